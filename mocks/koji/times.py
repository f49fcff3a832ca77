"""Koji's two ways of writing a time: an isoformat(' ') string with +00:00, and a float timestamp."""

from __future__ import annotations

import datetime as dt


def koji_time(value: dt.datetime | None) -> str | None:
    """Stored naive UTC as Koji's TIMESTAMPTZ string, e.g. '2024-11-01 10:00:00+00:00'."""
    return None if value is None else value.replace(tzinfo=dt.UTC).isoformat(" ")


def koji_ts(value: dt.datetime | None) -> float | None:
    return None if value is None else value.replace(tzinfo=dt.UTC).timestamp()


def now() -> dt.datetime:
    """Wall-clock time for events the run itself causes (tagging through the API)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
