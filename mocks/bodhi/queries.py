"""Bodhi's reads for its list endpoints: updates by every filter, comments, and the builds Bodhi knows
(those in updates). The handlers parse (schemas.py), call these, and serialise."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.bodhi.schemas import DATE_FILTERS, CommentsQuery, UpdatesQuery
from stagingqa.mocks.store import tables as t


def find_updates(session: Session, query: UpdatesQuery) -> list[t.Update]:
    """The updates GET /updates/ answers with, newest first: SQL for the columns, Python for the rest."""
    stmt = select(t.Update).order_by(t.Update.date_submitted.desc(), t.Update.id.desc())
    if query.release_ids is not None:
        stmt = stmt.where(t.Update.release_id.in_(query.release_ids))
    if query.statuses:
        stmt = stmt.where(t.Update.status.in_(query.statuses))
    if query.request:
        stmt = stmt.where(t.Update.request == query.request)
    if query.type:
        stmt = stmt.where(t.Update.type == query.type)
    if query.severity:
        stmt = stmt.where(t.Update.severity == query.severity)
    if query.users:
        stmt = stmt.where(t.Update.submitter.in_(query.users))
    if query.aliases:
        stmt = stmt.where(t.Update.alias.in_(query.aliases))
    if query.flags["critpath"] is not None:
        stmt = stmt.where(t.Update.critpath == query.flags["critpath"])
    found = _with_builds_matching(session, list(session.scalars(stmt)), query)
    return [
        u
        for u in found
        if _dates_match(u, query.dates)
        and _flags_match(u, query.flags)
        and (not query.bugs or set(query.bugs) & set(u.bugs))
        and not query.gating  # no update is gated in a mock world
        and query.content_type in (None, "rpm")
    ]


def _with_builds_matching(session: Session, updates: list[t.Update], query: UpdatesQuery) -> list[t.Update]:
    """The updates whose builds match the packages, builds, like and search filters."""
    packages, builds, like, search = query.packages, query.builds, query.like, query.search
    if not (packages or builds or like or search):
        return updates
    members: dict[int, list[t.Build]] = {}
    for link, build in session.execute(
        select(t.UpdateBuild, t.Build)
        .join(t.Build, t.Build.id == t.UpdateBuild.build_id)
        .where(t.UpdateBuild.update_id.in_([u.id for u in updates]))
    ):
        members.setdefault(link.update_id, []).append(build)

    def keep(update: t.Update) -> bool:
        mine = members.get(update.id, [])
        return (
            (not packages or any(b.name in packages for b in mine))
            and (not builds or any(b.nvr in builds for b in mine))
            and (not like or any(like in b.nvr for b in mine))
            and (
                not search
                or search.lower() in update.alias.lower()
                or any(search.lower() in b.nvr.lower() for b in mine)
            )
        )

    return [u for u in updates if keep(u)]


def _dates_match(update: t.Update, dates: dict[str, Any]) -> bool:
    for key, column in DATE_FILTERS.items():
        value = (
            (update.date_stable or update.date_testing)
            if column == "date_pushed"
            else getattr(update, column, None)
        )
        since, before = dates[f"{key}_since"], dates[f"{key}_before"]
        if (since or before) and value is None:
            return False
        if (since and value < since) or (before and value >= before):
            return False
    return True


def _flags_match(update: t.Update, flags: dict[str, bool | None]) -> bool:
    pushed = update.status in ("testing", "stable")
    return (
        (flags["locked"] in (None, False))
        and (flags["pushed"] in (None, pushed))
        and (flags["from_side_tag"] in (None, False))
    )


def update_builds(session: Session) -> list[tuple[t.Build, t.Update]]:
    """Each build with its update: Bodhi only knows the builds that are in updates."""
    return list(
        session.execute(
            select(t.Build, t.Update)
            .join(t.UpdateBuild, t.UpdateBuild.build_id == t.Build.id)
            .join(t.Update, t.Update.id == t.UpdateBuild.update_id)
        ).all()
    )


def find_comments(session: Session, query: CommentsQuery) -> list[t.Comment]:
    """Comments newest first, by author, update owner, update, package, time and text."""
    stmt = (
        select(t.Comment, t.Update)
        .join(t.Update, t.Update.id == t.Comment.update_id)
        .order_by(t.Comment.timestamp.desc(), t.Comment.id.desc())
    )
    members = _update_packages(session) if query.packages else {}
    found = []
    for comment, update in session.execute(stmt).all():
        if (
            (query.users and comment.user not in query.users)
            or (query.owners and update.submitter not in query.owners)
            or (comment.user in query.ignored)
            or (query.aliases and update.alias not in query.aliases)
            or (query.packages and not members.get(update.id, set()) & set(query.packages))
            or (query.since and comment.timestamp < query.since)
            or (query.like and query.like not in comment.text)
            or (query.chrome and comment.user == "bodhi")
        ):
            continue
        found.append(comment)
    return found


def _update_packages(session: Session) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for link, build in session.execute(
        select(t.UpdateBuild, t.Build).join(t.Build, t.Build.id == t.UpdateBuild.build_id)
    ):
        found.setdefault(link.update_id, set()).add(build.name)
    return found
