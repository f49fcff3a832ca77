"""Tag calls: listTagged, getLatestBuilds, listTags, getTag, inheritance, packages, targets."""

from __future__ import annotations

import fnmatch
from typing import Any

from sqlalchemy import select

from stagingqa.mocks.koji import shapes
from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.lookups import by_name_or_id, find_build, find_tag, find_user
from stagingqa.mocks.koji.methods.common import owner_id, query_opts, tagged_row
from stagingqa.mocks.koji.tagged import full_inheritance, package_list, tagged_builds
from stagingqa.mocks.store import tables as t


def list_tagged(
    call: Any,
    tag: Any,
    event: int | None = None,
    inherit: bool = False,
    prefix: str | None = None,
    latest: Any = False,
    package: str | None = None,
    owner: Any = None,
    type: Any = None,
    strict: bool = True,
    extra: bool = False,
    draft: Any = None,
) -> list[dict[str, Any]]:
    found = find_tag(call.session, tag, strict)
    if found is None:
        return []
    owner_name = (
        owner
        if isinstance(owner, str)
        else (getattr(find_user(call.session, owner), "name", "") if owner is not None else None)
    )
    rows = tagged_builds(call.session, found.id, inherit, latest, package, prefix, owner_name, event)
    tags = {tag_id: call.session.get(t.Tag, tag_id) for tag_id in {tag_id for _, tag_id, _ in rows}}
    return [
        _with_extra(tagged_row(call, build, tags[tag_id], event_id), extra)
        for build, tag_id, event_id in rows
    ]


def get_latest_builds(
    call: Any,
    tag: Any,
    event: int | None = None,
    package: str | None = None,
    type: Any = None,
    draft: Any = None,
) -> list[dict[str, Any]]:
    found = find_tag(call.session, tag)
    if found is None:
        if isinstance(tag, int):
            return []
        raise GenericError(f"No such entry in table tag: {tag}")
    rows = tagged_builds(call.session, found.id, inherit=True, latest=True, package=package, event=event)
    tags = {tag_id: call.session.get(t.Tag, tag_id) for tag_id in {tag_id for _, tag_id, _ in rows}}
    return [tagged_row(call, build, tags[tag_id], event_id) for build, tag_id, event_id in rows]


def _with_extra(row: dict[str, Any], extra: bool) -> dict[str, Any]:
    if extra:
        row["extra"] = None
    return row


def list_tags(
    call: Any,
    build: Any = None,
    package: Any = None,
    perms: bool = True,
    queryOpts: Any = None,
    pattern: str | None = None,
) -> Any:
    if build is not None and package is not None:
        raise GenericError("only one of build and package may be specified")
    tags = list(call.session.scalars(select(t.Tag).order_by(t.Tag.id)))
    if build is not None:
        found = find_build(call.session, build)
        if found is None:
            raise GenericError(f"No such build: {build}")
        active = set(
            call.session.scalars(
                select(t.TagListing.tag_id).where(
                    t.TagListing.build_id == found.id, t.TagListing.revoke_event.is_(None)
                )
            )
        )
        tags = [tag for tag in tags if tag.id in active]
    if pattern:
        tags = [tag for tag in tags if fnmatch.fnmatchcase(tag.name, pattern)]
    if package is None:
        return query_opts([shapes.list_tags_row(tag, perms) for tag in tags], queryOpts)
    pkg = _package(call, package)
    assert pkg is not None  # _package raises for unknown packages
    listings = {
        e.tag_id: e
        for e in call.session.scalars(select(t.TagPackage).where(t.TagPackage.package_id == pkg.id))
    }
    rows = []
    for tag in tags:
        if tag.id in listings:
            entry = listings[tag.id]
            rows.append(
                {
                    **shapes.list_tags_row(tag, perms),
                    "owner_id": _user_id(call, entry.owner),
                    "owner_name": entry.owner,
                    "blocked": entry.blocked,
                    "extra_arches": "",
                }
            )
    return query_opts(rows, queryOpts)


def get_tag(
    call: Any, tagInfo: Any, strict: bool = False, event: int | None = None, blocked: bool = False
) -> dict[str, Any] | None:
    found = find_tag(call.session, tagInfo, strict)
    if found is None:
        return None
    info = shapes.tag_info(found)
    if event is not None:
        info["query_event"] = event
    return info


def get_tag_id(call: Any, info: Any, strict: bool = False) -> int | None:
    found = find_tag(call.session, info, strict)
    return None if found is None else found.id


def get_full_inheritance(
    call: Any, tag: Any, event: Any = None, reverse: bool = False
) -> list[dict[str, Any]]:
    found = find_tag(call.session, tag, strict=True)
    assert found is not None
    return full_inheritance(call.session, found.id)


def get_inheritance_data(call: Any, tag: Any, event: Any = None) -> list[dict[str, Any]]:
    """The tag's direct parents only."""
    found = find_tag(call.session, tag, strict=True)
    assert found is not None
    links = call.session.scalars(
        select(t.TagInheritance)
        .where(t.TagInheritance.tag_id == found.id)
        .order_by(t.TagInheritance.priority)
    )
    return [
        {
            "child_id": found.id,
            "parent_id": link.parent_id,
            "name": call.session.get(t.Tag, link.parent_id).name,
            "priority": link.priority,
            "maxdepth": None,
            "intransitive": False,
            "noconfig": False,
            "pkg_filter": "",
        }
        for link in links
    ]


def get_package(call: Any, info: Any, strict: bool = False) -> dict[str, Any] | None:
    package = by_name_or_id(call.session, t.Package, info)
    if package is None:
        if strict:
            raise GenericError(f"No such entry in table package: {info}")
        return None
    return {"id": package.id, "name": package.name}


def get_package_id(call: Any, name: str, strict: bool = False) -> int | None:
    package = call.session.scalar(select(t.Package).where(t.Package.name == name))
    if package is None and strict:
        raise GenericError(f"No such package name: {name}")
    return None if package is None else package.id


def list_packages(
    call: Any,
    tagID: Any = None,
    userID: Any = None,
    pkgID: Any = None,
    prefix: str | None = None,
    inherited: bool = False,
    with_dups: bool = False,
    event: Any = None,
    queryOpts: Any = None,
    with_owners: bool = True,
    with_blocked: bool = True,
) -> Any:
    if tagID is None and userID is None and pkgID is None:
        packages = call.session.scalars(select(t.Package).order_by(t.Package.id))
        rows = [
            {"package_id": p.id, "package_name": p.name}
            for p in packages
            if not prefix or p.name.startswith(prefix)
        ]
        return query_opts(rows, queryOpts)
    tags = (
        [find_tag(call.session, tagID, strict=True)]
        if tagID is not None
        else list(call.session.scalars(select(t.Tag).order_by(t.Tag.id)))
    )
    user = find_user(call.session, userID) if userID is not None else None
    if userID is not None and user is None:
        raise GenericError(f"No such user: {userID}")
    package = _package(call, pkgID) if pkgID is not None else None
    rows = []
    for tag in tags:
        assert tag is not None
        for package_id, entry in sorted(package_list(call.session, tag.id, inherit=inherited).items()):
            rows.append(_package_row(call, entry, package_id, tag, with_owners))
    rows = [
        r
        for r in rows
        if (package is None or r["package_id"] == package.id)
        and (user is None or r.get("owner_name") == user.name)
        and (with_blocked or not r["blocked"])
        and (not prefix or r["package_name"].startswith(prefix))
    ]
    return query_opts(rows, queryOpts)


def get_package_config(call: Any, tag: Any, pkg: Any, event: Any = None) -> dict[str, Any] | None:
    found = find_tag(call.session, tag, strict=True)
    package = _package(call, pkg, strict=False)
    if found is None or package is None:
        return None
    entry = package_list(call.session, found.id, inherit=True).get(package.id)
    return None if entry is None else _package_row(call, entry, package.id, found, True)


def check_tag_package(call: Any, tag: Any, pkg: Any) -> bool:
    config = get_package_config(call, tag, pkg)
    return config is not None and not config["blocked"]


def _package_row(
    call: Any, entry: t.TagPackage, package_id: int, tag: t.Tag, with_owners: bool
) -> dict[str, Any]:
    package = call.session.get(t.Package, package_id)
    listed_in = call.session.get(t.Tag, entry.tag_id)
    row = {
        "package_id": package_id,
        "package_name": package.name,
        "tag_id": listed_in.id,
        "tag_name": listed_in.name,
        "extra_arches": None,
        "blocked": entry.blocked,
    }
    if with_owners:
        row.update(owner_id=_user_id(call, entry.owner), owner_name=entry.owner)
    return row


def _package(call: Any, info: Any, strict: bool = True) -> t.Package | None:
    package = by_name_or_id(call.session, t.Package, info)
    if package is None and strict:
        raise GenericError(f"No such entry in table package: {info}")
    return package


def _user_id(call: Any, name: str) -> int:
    return owner_id(call, name)


def _targets(call: Any) -> list[dict[str, Any]]:
    """One target per release, as Fedora has them: fNN builds in fNN-build into fNN-updates-candidate."""
    names = {tag.name: tag.id for tag in call.session.scalars(select(t.Tag))}
    found = []
    for release in call.session.scalars(select(t.Release).order_by(t.Release.id)):
        stem = release.name.lower()
        build_tag, dest_tag = f"{stem}-build", f"{stem}-updates-candidate"
        if build_tag in names and dest_tag in names:
            found.append(
                {
                    "id": release.id,
                    "name": stem,
                    "build_tag": names[build_tag],
                    "dest_tag": names[dest_tag],
                    "build_tag_name": build_tag,
                    "dest_tag_name": dest_tag,
                }
            )
    return found


def get_build_target(call: Any, info: Any, event: Any = None, strict: bool = False) -> dict[str, Any] | None:
    for target in _targets(call):
        if info in (target["id"], target["name"]) or (
            isinstance(info, dict) and info.get("name") == target["name"]
        ):
            return target
    if strict:
        raise GenericError(f"No such build target: {info}")
    return None


def get_build_targets(
    call: Any,
    info: Any = None,
    event: Any = None,
    buildTagID: Any = None,
    destTagID: Any = None,
    queryOpts: Any = None,
) -> Any:
    rows = [tg for tg in _targets(call) if info is None or info in (tg["id"], tg["name"])]
    rows = [tg for tg in rows if buildTagID is None or buildTagID in (tg["build_tag"], tg["build_tag_name"])]
    rows = [tg for tg in rows if destTagID is None or destTagID in (tg["dest_tag"], tg["dest_tag_name"])]
    return query_opts(rows, queryOpts)
