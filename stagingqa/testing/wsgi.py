"""A `requests` request handed to a mock service's WSGI app in process, and its answer as `responses`
wants it. Werkzeug (Flask's own) builds the WSGI environ: it knows the corner cases (SCRIPT_NAME from the
base URL, percent-decoding, header names) better than code of ours would."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from requests import PreparedRequest
from werkzeug.test import EnvironBuilder, run_wsgi_app

WSGIApp = Callable[..., Iterable[bytes]]
Answer = tuple[int, list[tuple[str, str]], bytes]
SKIPPED = {"content-length", "transfer-encoding", "connection"}  # what a socket, not the app, decides


@dataclass(frozen=True)
class Route:
    """Requests whose URL starts with `prefix` go to service `service`; `base` is the URL its mount
    stands for (what SCRIPT_NAME becomes), so the links it makes point back here."""

    prefix: str
    base: str
    service: str


def environ_for(request: PreparedRequest, base: str) -> dict[str, Any]:
    """The WSGI environ of `request` for an app mounted at `base`."""
    url, body = request.url or "", _body(request.body)
    split, root = urlsplit(url), urlsplit(base)
    path = split.path[len(root.path.rstrip("/")) :] if split.path.startswith(root.path.rstrip("/")) else ""
    builder = EnvironBuilder(
        path=path or "",
        base_url=f"{root.scheme}://{root.netloc}{root.path.rstrip('/')}",
        query_string=split.query,
        method=request.method or "GET",
        headers=[(k, v) for k, v in request.headers.items() if k.lower() not in SKIPPED],
        input_stream=io.BytesIO(body),
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    environ["CONTENT_LENGTH"] = str(len(body))
    environ["REMOTE_ADDR"] = "127.0.0.1"
    if not path:
        environ["PATH_INFO"] = ""  # the Koji hub at /kojihub, not /kojihub/
    return environ


def call(app: WSGIApp, environ: dict[str, Any]) -> Answer:
    """Run `app` on `environ`; its status, headers (repeated ones kept: cookies) and whole body."""
    body, status, headers = run_wsgi_app(app, environ, buffered=True)
    try:
        payload = b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    kept = [(k, v) for k, v in headers.to_wsgi_list() if k.lower() not in SKIPPED]
    return int(status.split(" ", 1)[0]), kept, payload


def _body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):  # a file being uploaded
        data = body.read()
        body.seek(0) if hasattr(body, "seek") else None
        return data if isinstance(data, bytes) else data.encode("utf-8")
    return b"".join(part if isinstance(part, bytes) else part.encode("utf-8") for part in body)
