"""Serve the mock host with waitress: ready line, ready file, clean stop on SIGINT and SIGTERM."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stagingqa.errors import InputError
from stagingqa.mocks.host import MockHost
from stagingqa.mocks.serving import announce, is_loopback, serve_wsgi
from stagingqa.mocks.store.database import Storage
from stagingqa.mocks.worlds import WorldRegistry
from stagingqa.world import World

THREADS = 16


def build_host(worlds: list[World], db_url: str = "sqlite://", token: str | None = None) -> MockHost:
    """A mock host with `worlds` loaded, the first one also served at the root."""
    try:
        storage = Storage(db_url)
    except Exception as exc:
        raise InputError(f"cannot use --db {db_url!r}: {exc}") from None
    registry = WorldRegistry(storage)
    for world in worlds:
        registry.put(world.name, world)
    registry.default = worlds[0].name if worlds else None
    return MockHost(registry, token=token)


def write_ready_file(path: Path, info: dict[str, Any]) -> None:
    """Write atomically: a reader sees the old file or the whole new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ready-")
    with os.fdopen(fd, "w") as handle:
        json.dump(info, handle)
    os.replace(tmp, path)


def serve(
    worlds: list[World],
    host: str = "127.0.0.1",
    port: int = 0,
    db_url: str = "sqlite://",
    ready_file: Path | None = None,
    announce: Callable[[str], None] = announce,
) -> None:
    """Run until SIGINT or SIGTERM; `announce` receives the ready line."""
    token = os.environ.get("STAGINGQA_CONTROL_TOKEN") or None
    if not is_loopback(host) and not token:
        raise InputError(
            f"refusing to serve the control API on {host} without a token: "
            "set STAGINGQA_CONTROL_TOKEN, or bind to 127.0.0.1"
        )
    app = build_host(worlds, db_url, token if not is_loopback(host) else None)

    def ready(base: str) -> None:
        if ready_file:
            write_ready_file(ready_file, {"base": base, "pid": os.getpid(), "worlds": app.registry.names()})
        announce(f"mocks: {base}")

    try:
        serve_wsgi(
            app,
            host,
            port,
            ident="stagingqa-mocks",
            threads=THREADS,
            ready=ready,
            on_stop=app.stopping.set,
            log_socket_errors=False,
            clear_untrusted_proxy_headers=False,  # the services read X-Forwarded-Host as the real ones do
            channel_timeout=300,
        )
    finally:
        app.registry.close()
