"""`stagingqa init`: a staging spec, a world and a use case for a new system (the work is in init.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stagingqa.init import DEFAULT_TRIGGER, Answers, initialize


@click.command("init")
@click.option(
    "--repository",
    "repositories",
    multiple=True,
    help="The system's git repository; for several, NAME=URL each, the primary one first.",
)
@click.option("--name", help="The system's name (default: the folder's).")
@click.option("--python", help="The environment's interpreter, e.g. /usr/bin/python3 (default: stagingqa's).")
@click.option(
    "--site-packages", is_flag=True, help="Give the venv the interpreter's own packages (rpm, libdnf)."
)
@click.option("--trigger", default=DEFAULT_TRIGGER, show_default=True, help="How to run a check on an item.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=".",
    help="Where to write the files.",
)
@click.option("--force", is_flag=True, help="Replace files that exist.")
@click.option(
    "--interactive/--no-interactive", default=None, help="Ask (default: when no --repository, in a terminal)."
)
def init_command(
    repositories: tuple[str, ...],
    name: str | None,
    python: str | None,
    site_packages: bool,
    trigger: str,
    folder: Path,
    force: bool,
    interactive: bool | None,
) -> None:
    """Write a commented staging.yaml, worlds/world.yaml and usecases/example.yaml for a new system, and
    check them at once."""
    if interactive is None:
        interactive = not repositories and sys.stdin.isatty()
    name = name or folder.resolve().name
    if interactive:
        name = click.prompt("System name", default=name)
        repositories = tuple(
            click.prompt("Repositories (a URL, or NAME=URL for each of several, separated by spaces)").split()
        )
        python = (
            click.prompt("Interpreter (empty: stagingqa's)", default=python or "", show_default=False) or None
        )
        site_packages = click.confirm(
            "Give the venv the interpreter's own packages (rpm, libdnf)?", default=site_packages
        )
        trigger = click.prompt("Command that runs check {check} on item {item}", default=trigger)
    answers = Answers(name, list(repositories), python, site_packages, trigger)
    done = initialize(folder, answers, force)
    for path in done.files:
        click.echo(f"wrote {path}")
    click.echo("checked: the spec and the example use case are valid")
    click.echo(f"next: stagingqa verify --spec {done.spec.path}")


COMMANDS = [init_command]
