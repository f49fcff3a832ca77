"""Serve the results UI with waitress on 127.0.0.1: a ready line, then until SIGINT or SIGTERM."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from typing import Any

import waitress

from stagingqa.errors import InputError
from stagingqa.mocks.serve import is_loopback
from stagingqa.spec import LoadedSpec
from stagingqa.ui.app import create_app


def serve_ui(
    spec: LoadedSpec,
    host: str = "127.0.0.1",
    port: int = 8020,
    buildbot_url: str | None = None,
    announce: Callable[[str], None] | None = None,
) -> None:
    if not is_loopback(host):
        raise InputError(f"the results UI binds to loopback only (it has no login); not {host}")
    app = create_app(spec, buildbot_url=buildbot_url)
    try:
        server = waitress.create_server(app, host=host, port=port, threads=8, ident="stagingqa-ui")
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    url = f"http://{host}:{server.effective_port}/"  # type: ignore[union-attr]
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        (announce or _print)(f"ui: {url}")
        server.run()
    finally:
        server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
