"""Reverse-proxy headers as the real server's middleware reads them (not X-Forwarded-Proto)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class ReverseProxied:
    """X-Script-Name becomes the link prefix (replacing the mount), X-Forwarded-Scheme the scheme,
    X-Forwarded-Host the host."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        script_name = environ.get("HTTP_X_SCRIPT_NAME", "")
        if script_name:
            environ["SCRIPT_NAME"] = script_name
            path = environ.get("PATH_INFO", "")
            if path.startswith(script_name):
                environ["PATH_INFO"] = path[len(script_name) :]
        scheme = environ.get("HTTP_X_FORWARDED_SCHEME", "")
        if scheme:
            environ["wsgi.url_scheme"] = scheme
        host = environ.get("HTTP_X_FORWARDED_HOST", "")
        if host:
            environ["HTTP_HOST"] = host
        return self.app(environ, start_response)
