"""`stagingqa ui`: the results UI (the pages are in ui/)."""

from __future__ import annotations

from pathlib import Path

import click

from stagingqa.cli_options import SPEC_OPTION
from stagingqa.spec import load_spec


@click.command("ui")
@SPEC_OPTION
@click.option(
    "--port", default=8020, show_default=True, type=click.IntRange(0, 65535), help="0: any free port."
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="A loopback address (the UI has no login)."
)
@click.option("--buildbot-url", help="The Buildbot master's URL, linked from every page.")
def ui_command(spec_path: Path, port: int, host: str, buildbot_url: str | None) -> None:
    """Serve the results UI: runs, verdicts, expected-versus-posted differences, worlds, journals."""
    from stagingqa.ui.serve import serve_ui

    serve_ui(load_spec(spec_path), host, port, buildbot_url)


COMMANDS = [ui_command]
