"""The serve loop the mock host and the results UI share: waitress on an address, a ready line, then
until SIGINT or SIGTERM, with a clean stop."""

from __future__ import annotations

import ipaddress
import signal
import sys
from collections.abc import Callable
from typing import Any

import waitress

from stagingqa.errors import InputError
from stagingqa.mocks.dispatch import WarmThreadDispatcher


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback ranges, where no token or login is needed."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """An address as it appears in a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


def serve_wsgi(
    app: Callable[..., Any],
    host: str,
    port: int,
    *,
    ident: str,
    threads: int,
    ready: Callable[[str], None],
    on_stop: Callable[[], None] = lambda: None,
    **options: Any,
) -> None:
    """Serve `app` until SIGINT or SIGTERM. `ready` gets the base URL once listening; `on_stop` runs
    first when a signal arrives (so slow requests can end before waitress waits for them)."""
    dispatcher = WarmThreadDispatcher(threads)
    try:
        server = waitress.create_server(
            app, host=host, port=port, threads=threads, ident=ident, _dispatcher=dispatcher, **options
        )
    except OSError as exc:
        dispatcher.shutdown()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    def stop(signum: int, frame: Any) -> None:
        on_stop()
        raise SystemExit(0)

    base = f"http://{url_host(host)}:{server.effective_port}"  # type: ignore[union-attr]
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        ready(base)
        server.run()
    finally:
        on_stop()
        server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def announce(line: str) -> None:
    """Print a ready line at once (a parent process waits for it)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
