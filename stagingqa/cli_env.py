"""CLI commands for environments: up, status, list, down, gc (rendering only; the work is in environment/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from stagingqa.cli_options import JSON_OPTION, SPEC_OPTION, emit, progress_printer
from stagingqa.environment import lifecycle
from stagingqa.environment.handle import EnvironmentInfo
from stagingqa.spec import DURATION, LoadedSpec, load_spec


def show(env: EnvironmentInfo) -> None:
    drift = " (the spec changed since it was made: recreate it to follow)" if env.spec_changed else ""
    click.echo(f"environment {env.name}: {env.status} at {env.revision[:12]} ({env.ref}){drift}")
    for component, checked in list(env.components.items())[1:]:
        click.echo(f"  component {component}: {checked['revision'][:12]} ({checked['ref']})")
    for note in env.notes:
        click.echo(f"  note: {note}")
    click.echo(f"  folder: {env.path}")
    click.echo(f"  world:  {env.world}")
    for service, url in env.urls.items():
        click.echo(f"  {service + ':':10} {url}")
    if env.steps:
        click.echo("  steps:  " + ", ".join(f"{k} {v:.2f} s" for k, v in env.steps.items()))
    click.echo(f"  use it: source {env.path}/env.sh")


@click.command("up")
@SPEC_OPTION
@click.option(
    "--ref",
    "refs",
    multiple=True,
    help="Revision of the primary component (REV) or of component NAME (NAME=REV); repeatable. "
    "HEAD+BASE is HEAD merged into BASE. Default: each component's branch.",
)
@click.option("--name", help="Environment name (default: <spec name>-<n>).")
@click.option("--pristine", "mode", flag_value="pristine", default=True, help="A new environment (default).")
@click.option("--upgrade", "upgrade_name", metavar="NAME", help="Bring environment NAME to --ref in place.")
@click.option(
    "--recreate", is_flag=True, help="With --upgrade: make NAME again first if its spec has changed."
)
@JSON_OPTION
def up_command(
    spec_path: Path,
    refs: tuple[str, ...],
    name: str | None,
    mode: str,
    upgrade_name: str | None,
    recreate: bool,
    as_json: bool,
) -> None:
    """Stage the system under test at a revision: a pristine environment, or an upgraded one."""
    spec = load_spec(spec_path)
    progress = progress_printer(as_json)
    if upgrade_name:
        env = lifecycle.upgrade(spec, upgrade_name, refs or None, progress, recreate)
    else:
        env = lifecycle.up(spec, refs or None, name, progress)
    emit(env.info()) if as_json else show(env.info())


@click.command("status")
@SPEC_OPTION
@click.argument("name", required=False)
@JSON_OPTION
def status_command(spec_path: Path, name: str | None, as_json: bool) -> None:
    """Show one environment (or all of them)."""
    spec = load_spec(spec_path)
    envs = [lifecycle.status(spec, name)] if name else lifecycle.list_environments(spec)
    if as_json:
        emit(envs[0] if name else envs)
        return
    for env in envs:
        show(env)


@click.command("list")
@SPEC_OPTION
@JSON_OPTION
def list_command(spec_path: Path, as_json: bool) -> None:
    """List the environments of this spec's state folder."""
    envs = lifecycle.list_environments(load_spec(spec_path))
    if as_json:
        emit(envs)
        return
    for env in envs:
        used = dt.datetime.fromtimestamp(env.last_used).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{env.name:24} {env.status:9} {env.revision[:12]:12} {env.ref:16} last used {used}")
    if not envs:
        click.echo("no environments")


@click.command("down")
@SPEC_OPTION
@click.argument("names", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Remove every environment.")
@click.option(
    "--keep-host",
    is_flag=True,
    help="Leave the mock host running after the last environment, for the next one not to wait for it "
    "(Buildbot's teardown; `stagingqa gc` stops it).",
)
def down_command(spec_path: Path, names: tuple[str, ...], everything: bool, keep_host: bool) -> None:
    """Stop and remove environments (their worlds, processes and folders)."""
    if not names and not everything:
        raise click.UsageError("name an environment, or use --all")
    removed = lifecycle.down(load_spec(spec_path), None if everything else list(names), not keep_host)
    click.echo(f"removed: {', '.join(removed) or 'nothing'}")


@click.command("gc")
@SPEC_OPTION
@click.option("--older-than", help="Time to live, e.g. 30m, 24h, 7d (default: the spec's ttl).")
def gc_command(spec_path: Path, older_than: str | None) -> None:
    """Remove environments past their time to live or left half-built by a killed stagingqa."""
    spec: LoadedSpec = load_spec(spec_path)
    if older_than is not None:
        if not DURATION.match(older_than):
            raise click.BadParameter(
                "expected a duration such as 90s, 30m, 24h or 7d", param_hint="--older-than"
            )
    removed = lifecycle.gc(spec, older_than)
    click.echo(f"removed: {', '.join(removed) or 'nothing'}")


COMMANDS = [up_command, status_command, list_command, down_command, gc_command]
