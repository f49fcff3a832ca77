"""Serve the results UI on 127.0.0.1 with the loop the mock host uses: a ready line, then until SIGINT
or SIGTERM."""

from __future__ import annotations

from collections.abc import Callable

from stagingqa.errors import InputError
from stagingqa.mocks.serving import announce, is_loopback, serve_wsgi
from stagingqa.spec import LoadedSpec
from stagingqa.ui.app import create_app


def serve_ui(
    spec: LoadedSpec,
    host: str = "127.0.0.1",
    port: int = 8020,
    buildbot_url: str | None = None,
    announce: Callable[[str], None] = announce,
) -> None:
    """Serve the UI of `spec`'s runs until stopped; `announce` receives `ui: URL`."""
    if not is_loopback(host):
        raise InputError(f"the results UI binds to loopback only (it has no login); not {host}")
    app = create_app(spec, buildbot_url=buildbot_url)
    serve_wsgi(app, host, port, ident="stagingqa-ui", threads=8, ready=lambda base: announce(f"ui: {base}/"))
