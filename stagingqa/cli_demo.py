"""`stagingqa demo`: the README's first command (the work is in demo.py)."""

from __future__ import annotations

from pathlib import Path

import click

from stagingqa.cli_options import SPEC_OPTION


@click.command("demo")
@SPEC_OPTION
@click.option(
    "--once", is_flag=True, help="Exit after the first build, with its status (0 passed, 1 failed)."
)
@click.option("--www-port", default=8010, show_default=True, help="Buildbot's port (another if taken).")
@click.option("--ui-port", default=8020, show_default=True, help="The results UI's port (another if taken).")
@click.option("--poll", default=2, show_default=True, help="Seconds between polls of the repository.")
@click.option("-j", "jobs", default=4, show_default=True, help="Use cases verified at a time.")
def demo_command(spec_path: Path, once: bool, www_port: int, ui_port: int, poll: int, jobs: int) -> None:
    """Generate the examples/autoqa repository, start the mock host, the Buildbot master and the results UI,
    build master and print the verdicts; then commit a known bug and show the next poll's build fail on the
    right use cases. Runs until Ctrl-C (or --once)."""
    from stagingqa.demo import run_demo

    try:
        raise SystemExit(run_demo(spec_path, once, www_port, ui_port, poll, jobs, click.echo))
    except KeyboardInterrupt:
        click.echo("demo: stopped")


COMMANDS = [demo_command]
