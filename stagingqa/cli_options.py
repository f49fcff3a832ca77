"""The options commands share (--spec, --json) and the one renderer of the `--json` envelope
(stagingqa/result.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from stagingqa.errors import StagingQAError
from stagingqa.result import CommandResult, error_result
from stagingqa.verifier.verdict import Status
from stagingqa.world.problems import WorldInvalid

if TYPE_CHECKING:
    from stagingqa.environment.lifecycle import Progress

SPEC_OPTION = click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("STAGINGQA_SPEC", "staging.yaml"),
    show_default="staging.yaml",
    help="The staging spec (or $STAGINGQA_SPEC).",
)
_asked: list[str] = []  # the command that asked for JSON, so that its errors are JSON too


def _remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        _asked.append(command_name(ctx))
    return value


JSON_OPTION = click.option(
    "--json",
    "as_json",
    is_flag=True,
    callback=_remember,
    help="Print the result as JSON, in the envelope docs/json.md describes.",
)


def command_name(ctx: click.Context) -> str:
    """`runs show`, `up`...: the command as typed, without the program's name."""
    return ctx.command_path.partition(" ")[2] or ctx.command_path


def emit(data: Any, status: Status = Status.OK) -> None:
    """Print a command's result in the envelope."""
    name = command_name(click.get_current_context())
    click.echo(CommandResult(name, data, status).to_json())


def emit_error(exc: StagingQAError | WorldInvalid) -> None:
    """When the failed command was asked for JSON, its error in the envelope on stdout too."""
    if _asked:
        click.echo(error_result(_asked[-1], exc).to_json())


def progress_printer(as_json: bool) -> Progress:
    """Steps as they happen, on stderr: a live status line in a terminal, plain lines otherwise (`up`'s,
    and `verify --up`'s)."""
    if as_json:
        from stagingqa.environment.lifecycle import quiet

        return quiet
    if sys.stderr.isatty():
        from rich.console import Console

        console = Console(stderr=True)
        status = console.status("")

        def live(step: str, phase: str, seconds: float) -> None:
            if phase == "start":
                status.update(f"{step} ...")
                status.start()
            else:
                status.stop()
                console.print(f"[green]✓[/green] {step} ({seconds:.2f} s)")

        return live

    def plain(step: str, phase: str, seconds: float) -> None:
        click.echo(f"{step} ..." if phase == "start" else f"{step} done ({seconds:.2f} s)", err=True)

    return plain
