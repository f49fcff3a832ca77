"""Meta calls: hello, versions, events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.times import koji_ts
from stagingqa.mocks.store import tables as t

KOJI_VERSION = "1.36.1"


def hello(call: Any, *args: Any) -> str:
    return "Hello World"


def echo(call: Any, *args: Any) -> list[Any]:
    return list(args)


def get_api_version(call: Any) -> int:
    return 1


def get_koji_version(call: Any) -> str:
    return KOJI_VERSION


def get_last_event(call: Any, before: Any = None, strict: bool = True) -> dict[str, Any]:
    last = call.session.scalar(select(func.max(t.Event.id)))
    event = call.session.get(t.Event, last)
    return {"id": event.id, "ts": koji_ts(event.time)}


def get_event(call: Any, id: int, strict: bool = True) -> dict[str, Any] | None:
    event = call.session.get(t.Event, id) if isinstance(id, int) else None
    if event is None:
        if strict:
            raise GenericError("query returned no rows")
        return None
    return {"id": event.id, "ts": koji_ts(event.time)}


def list_methods(call: Any) -> list[str]:
    from stagingqa.mocks.koji.methods import METHODS

    return sorted(METHODS)
