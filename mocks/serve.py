"""Serve the mock host with waitress: ready line, ready file, clean stop on SIGINT and SIGTERM."""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import waitress

from stagingqa.errors import InputError
from stagingqa.mocks.host import STOPPING, MockHost
from stagingqa.mocks.store.database import Storage
from stagingqa.mocks.worlds import WorldRegistry
from stagingqa.world import World

THREADS = 16


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback ranges, where the control API needs no token."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    announce: Callable[[str], None] | None = None,
) -> None:
    """Run until SIGINT or SIGTERM; `announce` receives the ready line."""
    token = os.environ.get("STAGINGQA_CONTROL_TOKEN") or None
    if not is_loopback(host) and not token:
        raise InputError(
            f"refusing to serve the control API on {host} without a token: "
            "set STAGINGQA_CONTROL_TOKEN, or bind to 127.0.0.1"
        )
    app = build_host(worlds, db_url, token if not is_loopback(host) else None)
    try:
        server = waitress.create_server(
            app,
            host=host,
            port=port,
            threads=THREADS,
            ident="stagingqa-mocks",
            log_socket_errors=False,
            clear_untrusted_proxy_headers=False,  # the services read X-Forwarded-Host as the real ones do
            channel_timeout=300,
        )
    except OSError as exc:
        app.registry.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    base = f"http://{_url_host(host)}:{server.effective_port}"  # type: ignore[union-attr]
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if ready_file:
            write_ready_file(ready_file, {"base": base, "pid": os.getpid(), "worlds": app.registry.names()})
        (announce or _print)(f"mocks: {base}")
        server.run()
    finally:
        STOPPING.set()
        server.close()
        app.registry.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(signum: int, frame: Any) -> None:
    STOPPING.set()  # first, so fault delays in worker threads end before waitress waits for them
    raise SystemExit(0)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
