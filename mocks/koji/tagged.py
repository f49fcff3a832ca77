"""Tag inheritance, package lists and Koji's readTaggedBuilds ("latest" = most recently tagged)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stagingqa.mocks.store import tables as t


def full_inheritance(session: Session, tag_id: int) -> list[dict[str, Any]]:
    """getFullInheritance: parents depth-first in priority order, each tag once."""
    links: dict[int, list[t.TagInheritance]] = defaultdict(list)
    for link in session.scalars(select(t.TagInheritance).order_by(t.TagInheritance.priority)):
        links[link.tag_id].append(link)
    names = {tag_id: name for tag_id, name in session.execute(select(t.Tag.id, t.Tag.name)).all()}
    seen = {tag_id}
    found: list[dict[str, Any]] = []

    def visit(child: int, depth: int) -> None:
        for link in links[child]:
            if link.parent_id in seen:
                continue
            seen.add(link.parent_id)
            found.append(
                {
                    "child_id": child,
                    "parent_id": link.parent_id,
                    "name": names[link.parent_id],
                    "priority": link.priority,
                    "maxdepth": None,
                    "intransitive": False,
                    "noconfig": False,
                    "pkg_filter": "",
                    "filter": [],
                    "currdepth": depth,
                    "nextdepth": None,
                }
            )
            visit(link.parent_id, depth + 1)

    visit(tag_id, 1)
    return found


def tag_order(session: Session, tag_id: int, inherit: bool) -> list[int]:
    """The tag itself, then (with inheritance) its ancestors in readFullInheritance order."""
    return [tag_id] + ([entry["parent_id"] for entry in full_inheritance(session, tag_id)] if inherit else [])


def package_list(session: Session, tag_id: int, inherit: bool = True) -> dict[int, t.TagPackage]:
    """package id -> its nearest listing (the tag's own wins over a parent's, blocked included)."""
    listings: dict[int, t.TagPackage] = {}
    for current in tag_order(session, tag_id, inherit):
        for entry in session.scalars(select(t.TagPackage).where(t.TagPackage.tag_id == current)):
            listings.setdefault(entry.package_id, entry)
    return listings


def active_at(event: int | None) -> Any:
    """tag_listing rows in effect at `event` (now when None)."""
    if event is None:
        return t.TagListing.revoke_event.is_(None)
    return (t.TagListing.create_event <= event) & or_(
        t.TagListing.revoke_event.is_(None), t.TagListing.revoke_event > event
    )


def tagged_builds(
    session: Session,
    tag_id: int,
    inherit: bool = False,
    latest: bool | int = False,
    package: str | None = None,
    prefix: str | None = None,
    owner: str | None = None,
    event: int | None = None,
) -> list[tuple[t.Build, int, int]]:
    """(build, tag id, tagging event) rows as readTaggedBuilds returns them: COMPLETE builds of listed,
    unblocked packages, per tag newest tagging first; `latest` keeps the first (or first N) per package."""
    packages = package_list(session, tag_id, inherit=True)
    limit = 1 if latest is True else int(latest or 0)
    seen: dict[int, int] = defaultdict(int)
    found = []
    for current in tag_order(session, tag_id, inherit):
        stmt = (
            select(t.Build, t.TagListing.create_event)
            .join(t.TagListing, t.TagListing.build_id == t.Build.id)
            .where(t.TagListing.tag_id == current, active_at(event), t.Build.state == "COMPLETE")
            .order_by(t.TagListing.create_event.desc(), t.Build.id.desc())
        )
        if package:
            stmt = stmt.where(t.Build.name == package)
        if prefix:
            stmt = stmt.where(t.Build.name.startswith(prefix))
        if owner:
            stmt = stmt.where(t.Build.owner == owner)
        for build, create_event in session.execute(stmt).all():
            listing = packages.get(build.package_id)
            if listing is None or listing.blocked:
                continue
            if limit:
                if seen[build.package_id] >= limit:
                    continue
                seen[build.package_id] += 1
            found.append((build, current, create_event))
    return found
