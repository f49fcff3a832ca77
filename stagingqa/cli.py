"""The `stagingqa` command line: the only place errors become messages and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stagingqa import __version__
from stagingqa.cli_options import JSON_OPTION, emit, emit_error
from stagingqa.errors import EXIT_USAGE, StagingQAError
from stagingqa.world.problems import WorldInvalid


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stagingqa")
def cli() -> None:
    """Staging environments, mock Fedora infrastructure and use-case verification for AutoQA-style systems.

    Exit status: 0 ok, 1 verification failed, 2 usage or input error.
    """


@cli.group()
def mocks() -> None:
    """The mock host: Koji hub, Bodhi and ResultsDB for many isolated worlds."""


@mocks.command("serve")
@click.option(
    "--world",
    "world_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="World file to load (repeatable); the first is also served at the root.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 picks a free one."
)
@click.option(
    "--db",
    "db_url",
    default="sqlite://",
    show_default=True,
    help="SQLAlchemy URL for the mocks' storage (in-memory SQLite by default, PostgreSQL works).",
)
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help='Write {"base", "pid", "worlds"} here (atomically) once ready.',
)
def mocks_serve(
    world_files: tuple[Path, ...], host: str, port: int, db_url: str, ready_file: Path | None
) -> None:
    """Serve the mock services until SIGINT or SIGTERM; prints `mocks: http://HOST:PORT` when ready."""
    from stagingqa.mocks.serve import serve
    from stagingqa.world import load_world

    worlds = [load_world(path) for path in world_files]
    serve(worlds, host=host, port=port, db_url=db_url, ready_file=ready_file)


@mocks.command("build-rpms")
@click.argument("world_file", type=click.Path(dir_okay=False, path_type=Path))
def mocks_build_rpms(world_file: Path) -> None:
    """Build every RPM file of a world into the cache ($STAGINGQA_RPM_CACHE, else ~/.cache/stagingqa/rpms).

    The mock Koji builds them on first use anyway; this fills the cache ahead of a run.
    """
    import time

    from stagingqa.mocks.koji.artifacts import ensure_world_files
    from stagingqa.mocks.koji.errors import KojiFault
    from stagingqa.mocks.koji.rpmbuild import cache_root
    from stagingqa.mocks.serve import build_host
    from stagingqa.world import load_world

    loaded = load_world(world_file)
    host = build_host([loaded])
    started = time.perf_counter()
    try:
        count = ensure_world_files(host.registry.get(loaded.name))
    except KojiFault as fault:
        raise StagingQAError(fault.message) from None
    finally:
        host.registry.close()
    click.echo(
        f"{count} RPM files of world {loaded.name!r} ready in {cache_root()} "
        f"({time.perf_counter() - started:.2f} s)"
    )


@cli.command("example-repo")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@JSON_OPTION
def example_repo(dest: Path, as_json: bool) -> None:
    """Create DEST as a git repository of examples/autoqa with a short history and two known bugs."""
    from stagingqa.examplerepo import generate_autoqa_repository

    commits = generate_autoqa_repository(dest)
    if as_json:
        emit(commits)
        return
    for c in commits:
        click.echo(f"{c.sha[:12]} {c.subject}" + (f"  [introduces {c.bug}]" if c.bug else ""))


@cli.group()
def world() -> None:
    """World files: check them, print the merged result of a world and its overlays, or import one from
    the live services."""


@world.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Overlay applied on top, in order (repeatable).",
)
@JSON_OPTION
def world_check(path: Path, overlays: tuple[Path, ...], as_json: bool) -> None:
    """Validate a world file (and overlays); every problem is reported with file, line and field."""
    from stagingqa.world import load_world

    loaded = load_world(path, list(overlays))
    if as_json:
        emit(loaded.model_dump(mode="json", exclude_defaults=True))
    else:
        click.echo(
            f"{path}: world {loaded.name!r} is valid: {len(loaded.releases)} releases, "
            f"{len(loaded.builds)} builds, {len(loaded.updates)} updates, {len(loaded.results)} results"
        )


def _register_environment_commands() -> None:
    from stagingqa.cli_demo import COMMANDS as DEMO_COMMANDS
    from stagingqa.cli_deploy import COMMANDS as DEPLOY_COMMANDS
    from stagingqa.cli_env import COMMANDS
    from stagingqa.cli_import import import_command
    from stagingqa.cli_init import COMMANDS as INIT_COMMANDS
    from stagingqa.cli_master import COMMANDS as MASTER_COMMANDS
    from stagingqa.cli_mutate import COMMANDS as MUTATE_COMMANDS
    from stagingqa.cli_runs import COMMANDS as RUN_COMMANDS
    from stagingqa.cli_ui import COMMANDS as UI_COMMANDS
    from stagingqa.cli_verify import verify_command

    for command in [
        *INIT_COMMANDS,
        *COMMANDS,
        *DEPLOY_COMMANDS,
        verify_command,
        *RUN_COMMANDS,
        *MUTATE_COMMANDS,
        *MASTER_COMMANDS,
        *UI_COMMANDS,
        *DEMO_COMMANDS,
    ]:
        cli.add_command(command)
    world.add_command(import_command)


_register_environment_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning the project's errors into a message and an exit code."""
    try:
        cli.main(args=argv, prog_name="stagingqa", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except WorldInvalid as exc:
        emit_error(exc)
        click.echo(f"error: invalid {exc.kind} ({len(exc.problems)} problem(s)):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_USAGE)
    except StagingQAError as exc:
        emit_error(exc)
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(0)
