"""queryHistory for tag_listing (with the real dotted keys), and the side-tag plugin's listing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from stagingqa.mocks.koji.lookups import find_build, find_tag
from stagingqa.mocks.koji.methods.common import event_time, owner_id
from stagingqa.mocks.koji.times import koji_ts
from stagingqa.mocks.store import tables as t


def query_history(call: Any, tables: Any = None, **kwargs: Any) -> dict[str, list[dict[str, Any]]]:
    wanted = tables or ["tag_listing"]
    answer: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    if "tag_listing" in wanted:
        answer["tag_listing"] = _tag_listing(call, kwargs)
    return answer


def _tag_listing(call: Any, filters: dict[str, Any]) -> list[dict[str, Any]]:
    stmt = (
        select(t.TagListing, t.Build, t.Tag)
        .join(t.Build, t.Build.id == t.TagListing.build_id)
        .join(t.Tag, t.Tag.id == t.TagListing.tag_id)
        .order_by(t.TagListing.create_event, t.TagListing.id)
    )
    if "build" in filters:
        build = find_build(call.session, filters["build"], strict=True)
        stmt = stmt.where(t.TagListing.build_id == build.id)  # type: ignore[union-attr]
    if "tag" in filters:
        tag = find_tag(call.session, filters["tag"], strict=True)
        stmt = stmt.where(t.TagListing.tag_id == tag.id)  # type: ignore[union-attr]
    rows = []
    for listing, build, tag in call.session.execute(stmt).all():
        active = listing.revoke_event is None
        if "active" in filters and filters["active"] is not None and bool(filters["active"]) != active:
            continue
        rows.append(
            {
                "active": True if active else None,
                "create_event": listing.create_event,
                "revoke_event": listing.revoke_event,
                "creator_id": owner_id(call, listing.creator),
                "revoker_id": owner_id(call, listing.revoker) if listing.revoker else None,
                "creator_name": listing.creator,
                "revoker_name": listing.revoker,
                "create_ts": koji_ts(event_time(call, listing.create_event)),
                "revoke_ts": koji_ts(event_time(call, listing.revoke_event))
                if listing.revoke_event
                else None,
                "build_id": build.id,
                "tag_id": tag.id,
                "tag.name": tag.name,
                "name": build.name,
                "version": build.version,
                "release": build.release,
                "epoch": build.epoch,
                "build.state": {"BUILDING": 0, "COMPLETE": 1, "DELETED": 2, "FAILED": 3, "CANCELED": 4}[
                    build.state
                ],
            }
        )
    return rows


def list_side_tags(call: Any, basetag: Any = None, user: Any = None, queryOpts: Any = None) -> list[Any]:
    """Side tags are tags named <base>-build-side-<n>; a world declares them under `tags:`."""
    tags = call.session.scalars(select(t.Tag).where(t.Tag.name.contains("-side-")).order_by(t.Tag.id))
    return [
        {"id": tag.id, "name": tag.name, "user_id": "1", "user_name": "packager1"}
        for tag in tags
        if basetag is None or tag.name.startswith(str(basetag))
    ]
