"""The request journal: every request a world's services received, in order."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

BODY_LIMIT = 64 * 1024  # bodies past this are cut: a journal of RPM downloads would otherwise eat memory


@dataclass
class Entry:
    """One request and its answer, as GET /_control/worlds/W/journal lists it."""

    seq: int
    time: str
    service: str
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    request: Any
    response: Any
    call: list[str] | None = None
    params: list[Any] | None = None
    fault: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["request"], data["response"] = readable(self.request), readable(self.response)
        extra = data.pop("extra")
        for key in ("call", "params", "fault"):
            if data[key] is None:
                del data[key]
        data.update(extra)
        return data


class Journal:
    """Thread-safe, append-only list of entries with increasing sequence numbers."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self._seq = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, **fields: Any) -> Entry:
        """Append an entry; the sequence number and time are given here, in arrival order."""
        with self._lock:
            entry = Entry(seq=next(self._seq), time=dt.datetime.now(dt.UTC).isoformat(), **fields)
            self._entries.append(entry)
        return entry

    def entries(self, services: set[str] | None = None, since: int = 0) -> list[Entry]:
        """Entries after sequence number `since`, optionally for some services only."""
        with self._lock:
            found = list(self._entries)
        return [e for e in found if e.seq > since and (not services or e.service in services)]

    def clear(self) -> None:
        """Forget every entry (a reset starts a new journal, numbering goes on)."""
        with self._lock:
            self._entries.clear()


class Body:
    """A body as it went by, made readable (JSON parsed, text decoded) only when the journal is read:
    parsing every answer on its way out took a third of a memoised ResultsDB answer's time."""

    __slots__ = ("_readable", "content_type", "raw", "size")

    def __init__(self, raw: bytes, content_type: str) -> None:
        kind = (content_type or "").split(";")[0].strip()
        # JSON is kept whole to parse; anything else only as far as the journal shows it
        self.raw = raw if kind == "application/json" else raw[: BODY_LIMIT + 1]
        self.size, self.content_type = len(raw), kind
        self._readable: Any = self

    def __deepcopy__(self, memo: dict[int, Any]) -> Body:
        return self  # asdict copies fields deeply; a body never changes

    def readable(self) -> Any:
        """JSON parsed, text as text (cut at BODY_LIMIT), binary as its size; worked out once."""
        if self._readable is self:
            self._readable = body_for_journal(self.raw, self.content_type, self.size)
        return self._readable


def readable(body: Any) -> Any:
    return body.readable() if isinstance(body, Body) else body


def keep_body(raw: bytes, content_type: str) -> Body | None:
    """What the journal keeps of a body (None for an empty one)."""
    return Body(raw, content_type) if raw else None


def body_for_journal(raw: bytes, content_type: str, size: int | None = None) -> Any:
    """A body as the journal shows it: JSON parsed, text as text, binary as its size."""
    size = len(raw) if size is None else size
    if not raw:
        return None
    kind = (content_type or "").split(";")[0].strip()
    if kind.startswith(("application/x-rpm", "application/octet-stream")):
        return {"bytes": size}
    if kind == "application/json":
        try:
            return json.loads(raw)
        except ValueError:
            pass
    text = raw[:BODY_LIMIT].decode("utf-8", errors="replace")
    return text + ("…" if size > BODY_LIMIT else "")
