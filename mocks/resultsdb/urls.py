"""The request's URL and API root as Werkzeug spells them, without redoing Werkzeug's work on every read.

`request.url` quotes each part and decodes the whole back to an IRI: a tenth of an uncached list read.
Everything before the query string is the same for every read of a list, so Werkzeug's own spelling of
it is remembered; a query string of characters that quoting and unquoting both leave alone is appended
as it is. Anything else goes to Werkzeug whole.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request

# what Werkzeug's quote keeps in a query (its safe set and the unreserved characters), minus "%"
PLAIN_QUERY = re.compile(r"[A-Za-z0-9_.~!$&'()*+,/:;=?@-]*")
MAX_REMEMBERED = 4096  # distinct paths (one per result or group read by id), hosts and mounts

_bases: dict[tuple[Any, ...], str] = {}
_roots: dict[tuple[Any, ...], str] = {}


def _where(environ: dict[str, Any]) -> tuple[Any, ...]:
    """Everything Werkzeug builds the host part from."""
    return (
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME", ""),
    )


def _remember(memo: dict[tuple[Any, ...], str], key: tuple[Any, ...], value: str) -> str:
    if len(memo) >= MAX_REMEMBERED:
        memo.clear()  # a host this varied gains nothing from a memo; start again rather than grow
    memo[key] = value
    return value


def request_url() -> str:
    """`request.url`: scheme, host, root path, path and query string, as an IRI."""
    environ = request.environ
    query = environ.get("QUERY_STRING", "")
    if not PLAIN_QUERY.fullmatch(query):
        return request.url
    key = (*_where(environ), environ.get("PATH_INFO", ""))
    base = _bases.get(key) or _remember(_bases, key, request.base_url)
    return f"{base}?{query}" if query else base


def api_root() -> str:
    """The API's absolute root the request came in through (after proxy headers)."""
    key = _where(request.environ)
    return _roots.get(key) or _remember(
        _roots, key, request.host_url.rstrip("/") + request.script_root + "/api/v2.0"
    )
