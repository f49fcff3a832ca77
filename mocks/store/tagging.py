"""Tagging as one world store sees it: Koji's tag changes and Bodhi's update states stay in step here,
whichever service made the change (no HTTP between mocks)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.store import tables as t


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_event(session: Session) -> int:
    """A new Koji event at the wall-clock time."""
    event = t.Event(time=utcnow())
    session.add(event)
    session.flush()
    return event.id


def active_listing(session: Session, tag_id: int, build_id: int) -> t.TagListing | None:
    return session.scalar(
        select(t.TagListing).where(
            t.TagListing.tag_id == tag_id,
            t.TagListing.build_id == build_id,
            t.TagListing.revoke_event.is_(None),
        )
    )


def add_tag(session: Session, tag_id: int, build_id: int, user: str) -> None:
    """Tag a build (a no-op if it already is), then let Bodhi's updates follow."""
    if active_listing(session, tag_id, build_id) is None:
        session.add(
            t.TagListing(
                tag_id=tag_id,
                build_id=build_id,
                create_event=new_event(session),
                revoke_event=None,
                creator=user,
                revoker=None,
                seeded=False,
            )
        )
        session.flush()
        follow_tags(session, build_id)


def remove_tag(session: Session, tag_id: int, build_id: int, user: str) -> bool:
    """Untag a build; False if it was not tagged there."""
    listing = active_listing(session, tag_id, build_id)
    if listing is None:
        return False
    listing.revoke_event, listing.revoker = new_event(session), user
    session.flush()
    follow_tags(session, build_id)
    return True


def build_tags(session: Session, build_id: int) -> set[str]:
    return set(
        session.scalars(
            select(t.Tag.name)
            .join(t.TagListing, t.TagListing.tag_id == t.Tag.id)
            .where(t.TagListing.build_id == build_id, t.TagListing.revoke_event.is_(None))
        )
    )


def follow_tags(session: Session, build_id: int) -> None:
    """Updates whose builds all sit in their release's stable (or testing) tag become stable (or testing)."""
    updates = session.scalars(
        select(t.Update)
        .join(t.UpdateBuild, t.UpdateBuild.update_id == t.Update.id)
        .where(t.UpdateBuild.build_id == build_id)
    )
    for update in updates:
        if update.status in ("obsolete", "unpushed"):
            continue
        release = session.get(t.Release, update.release_id)
        assert release is not None  # the foreign key guarantees it
        stem = release.name.lower()
        members = session.scalars(select(t.UpdateBuild.build_id).where(t.UpdateBuild.update_id == update.id))
        tags = [build_tags(session, member) for member in members]
        if all(f"{stem}-updates" in found for found in tags) and update.status != "stable":
            update.status, update.request, update.date_stable = "stable", None, utcnow()
            update.date_modified = update.date_stable
        elif all(f"{stem}-updates-testing" in found for found in tags) and update.status == "pending":
            update.status, update.request, update.date_testing = "testing", None, utcnow()
            update.date_modified = update.date_testing
