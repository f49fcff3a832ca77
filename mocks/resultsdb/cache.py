"""Per-world memo of GET answers, dropped on every write: checks poll the same queries over and over, and
answering them from the database each time made the mock slower than it needs to be."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Response, make_response, request

from stagingqa.mocks.resultsdb.urls import request_url
from stagingqa.mocks.worlds import WorldState

CACHE_KEY = "resultsdb.get"
MAX_ENTRIES = 512


def _world() -> WorldState:
    return request.environ["stagingqa.world"]


def cached_get(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a repeated GET (same URL after proxy headers) from memory until the world changes."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = _world()
        with state.database.lock:  # writers hold it too, so an answer is never stored after a newer write
            entries: OrderedDict = state.cache.setdefault(CACHE_KEY, OrderedDict())
            key = request_url()  # after the proxy headers: what the answer, links included, depends on
            hit = entries.get(key)
            if hit is not None:
                entries.move_to_end(key)
                body, status, mimetype = hit
                return Response(body, status=status, mimetype=mimetype)
            response = make_response(view(*args, **kwargs))
            if response.status_code < 500:
                entries[key] = (response.get_data(), response.status_code, response.mimetype)
                if len(entries) > MAX_ENTRIES:
                    entries.popitem(last=False)
            return response

    return wrapper


def forget_answers() -> None:
    """Drop every memoised answer of this world (after any write)."""
    _world().cache.pop(CACHE_KEY, None)
