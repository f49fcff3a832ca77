"""Tagging through the API: tagBuild, untagBuild, moveBuild (and the bypass variants); they change the
shared world, so Bodhi's view of the same world follows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from stagingqa.mocks.koji.errors import TagError
from stagingqa.mocks.koji.lookups import find_build, find_tag
from stagingqa.mocks.koji.tagged import package_list
from stagingqa.mocks.koji.times import now
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.tagging import active_listing, add_tag, remove_tag


def new_task(call: Any, method: str, request: list[Any]) -> int:
    next_id = (call.session.scalar(select(func.max(t.Task.id)).where(t.Task.id < 1_000_000)) or 100000) + 1
    stamp = now()
    call.session.add(
        t.Task(
            id=next_id,
            parent=None,
            method=method,
            arch="noarch",
            label=None,
            state=2,
            owner=call.user.name,
            request=request,
            create_time=stamp,
            start_time=stamp,
            completion_time=stamp,
        )
    )
    return next_id


def apply_tag(call: Any, tag: t.Tag, build: t.Build, force: bool) -> None:
    """Tag a build as the hub's tagBuild task would, raising its TagErrors."""
    if build.state != "COMPLETE":
        raise TagError(f"build {build.nvr} not complete: state {build.state}")
    active = active_listing(call.session, tag.id, build.id)
    if active is not None:
        raise TagError(f"build {build.nvr} already tagged ({tag.name})")
    listing = package_list(call.session, tag.id, inherit=True).get(build.package_id)
    if listing is None or listing.blocked:
        if not force:
            raise TagError(f"Package {build.name} not in list for {tag.name}")
        if listing is None:
            call.session.add(
                t.TagPackage(tag_id=tag.id, package_id=build.package_id, owner=build.owner, blocked=False)
            )
    add_tag(call.session, tag.id, build.id, call.user.name)


def apply_untag(call: Any, tag: t.Tag, build: t.Build, strict: bool) -> None:
    if not remove_tag(call.session, tag.id, build.id, call.user.name) and strict:
        raise TagError(f"build {build.nvr} not in tag {tag.name}")


def _resolve(call: Any, tag: Any, build: Any) -> tuple[t.Tag, t.Build]:
    found_tag = find_tag(call.session, tag, strict=True)
    found_build = find_build(call.session, build, strict=True)
    assert found_tag is not None and found_build is not None
    return found_tag, found_build


def tag_build(call: Any, tag: Any, build: Any, force: bool = False, fromtag: Any = None) -> int:
    call.require_login()
    found_tag, found_build = _resolve(call, tag, build)
    if fromtag is not None:
        apply_untag(call, find_tag(call.session, fromtag, strict=True), found_build, strict=True)
    apply_tag(call, found_tag, found_build, force)
    return new_task(call, "tagBuild", [found_tag.id, found_build.id, force, fromtag])


def untag_build(call: Any, tag: Any, build: Any, strict: bool = True, force: bool = False) -> None:
    call.require_login()
    found_tag, found_build = _resolve(call, tag, build)
    apply_untag(call, found_tag, found_build, strict)
    return None


def move_build(call: Any, tag1: Any, tag2: Any, build: Any, force: bool = False) -> int:
    call.require_login()
    source, found_build = _resolve(call, tag1, build)
    target = find_tag(call.session, tag2, strict=True)
    assert target is not None
    apply_untag(call, source, found_build, strict=True)
    apply_tag(call, target, found_build, force)
    return new_task(call, "tagBuild", [target.id, found_build.id, force, source.id])


def tag_build_bypass(call: Any, tag: Any, build: Any, force: bool = False, notify: bool = False) -> None:
    call.require_login()
    found_tag, found_build = _resolve(call, tag, build)
    apply_tag(call, found_tag, found_build, force=True)
    return None


def untag_build_bypass(
    call: Any, tag: Any, build: Any, strict: bool = True, force: bool = False, notify: bool = False
) -> None:
    return untag_build(call, tag, build, strict, force)
