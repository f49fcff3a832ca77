"""Helpers shared by the hub methods: owner ids, event times, build shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stagingqa.mocks.koji import shapes
from stagingqa.mocks.koji.lookups import user_ids
from stagingqa.mocks.store import tables as t


def owner_id(call: Any, name: str) -> int:
    """A user's id by name (memoised for the call)."""
    ids = call.scratch.get("user_ids")
    if ids is None:
        ids = call.scratch["user_ids"] = user_ids(call.session)
    return ids.get(name, 0)


def event_time(call: Any, event_id: int) -> dt.datetime | None:
    """An event's time (memoised for the call: builds share their creation event)."""
    times = call.scratch.setdefault("event_times", {})
    if event_id not in times:
        event = call.session.get(t.Event, event_id)
        times[event_id] = event.time if event is not None else None
    return times[event_id]


def build_info(call: Any, build: t.Build) -> dict[str, Any]:
    return shapes.build_info(build, owner_id(call, build.owner), event_time(call, build.creation_event))


def tagged_row(call: Any, build: t.Build, tag: t.Tag, create_event: int) -> dict[str, Any]:
    return shapes.tagged_row(
        build, owner_id(call, build.owner), event_time(call, build.creation_event), tag, create_event
    )


def query_opts(rows: list[Any], opts: dict[str, Any] | None) -> Any:
    """Koji's queryOpts on a list of dicts: order ('-' for descending), offset, limit, countOnly."""
    if not opts:
        return rows
    order = opts.get("order")
    if order:
        key = order.lstrip("-")
        rows = sorted(rows, key=lambda r: (r.get(key) is None, r.get(key)), reverse=order.startswith("-"))
    rows = rows[opts.get("offset") or 0 :]
    if opts.get("limit") is not None:
        rows = rows[: opts["limit"]]
    if opts.get("countOnly"):
        return len(rows)
    return rows
