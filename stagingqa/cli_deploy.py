"""`stagingqa deploy`, `undeploy` and `shell`: environments kept for people (the work is in deploy/)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import click

from stagingqa.cli_options import JSON_OPTION, SPEC_OPTION, emit
from stagingqa.spec import DURATION, LoadedSpec, load_spec

UI_URL = click.option(
    "--ui-url",
    default=lambda: os.environ.get("STAGINGQA_UI_URL", "http://127.0.0.1:8020/"),
    show_default="http://127.0.0.1:8020/",
    help="The results UI, for the environment's page (or $STAGINGQA_UI_URL).",
)


@click.command("deploy")
@SPEC_OPTION
@click.argument("ref", required=False)
@click.option("--name", help="The environment's name (default: deploy-<branch>).")
@click.option("--ttl", help="Remove it when unused this long (default: the spec's deploy.ttl).")
@click.option(
    "--merge/--no-merge",
    default=True,
    show_default=True,
    help="Deploy a branch merged into the spec's branch, as CI tests a pull request (or its head alone).",
)
@click.option("--list", "listing", is_flag=True, help="List the deployments instead.")
@UI_URL
@JSON_OPTION
def deploy_command(
    spec_path: Path,
    ref: str | None,
    name: str | None,
    ttl: str | None,
    merge: bool,
    listing: bool,
    ui_url: str,
    as_json: bool,
) -> None:
    """Deploy a branch (or revision) into a long-lived environment, or upgrade the one it has, verify it,
    and print its page in the results UI. A branch is deployed merged into the spec's branch; one that
    does not merge cleanly is refused, naming the conflicts. Exit 1 when a use case fails there."""
    from stagingqa.deploy.deployments import deploy
    from stagingqa.runs.store import open_store

    spec = load_spec(spec_path)
    if listing:
        _show_list(spec, ui_url, as_json)
        return
    if ref is None:
        raise click.UsageError("give the branch or revision to deploy (or --list)")
    if ttl is not None and not DURATION.match(ttl):
        raise click.BadParameter("expected a duration such as 30m, 72h or 7d", param_hint="--ttl")
    say = lambda line: click.echo(line, err=True)  # noqa: E731 - progress on stderr, the result on stdout
    found = deploy(spec, ref, name, ttl, open_store(spec), ui_url, say=say, merge=merge)
    if as_json:
        emit(found)
    else:
        verb = "upgraded" if found.upgraded else "deployed"
        click.echo(f"{verb} {found.branch} at {found.revision[:12]} into {found.name}: {found.status}")
        if found.merge:
            onto = (found.onto or "")[:12]
            click.echo(f"  merged into {spec.primary.branch} at {onto}: {found.merge[:12]}")
        elif found.onto:
            click.echo(f"  {spec.primary.branch} at {found.onto[:12]} is part of it: no merge needed")
        if found.previous:
            click.echo(f"  before: {', '.join(sha[:12] for sha in found.previous)}")
        if found.run:
            click.echo(f"  run {found.run} (stagingqa runs show {found.run})")
        click.echo(f"  expires {dt.datetime.fromtimestamp(found.expires):%Y-%m-%d %H:%M} unless used")
        click.echo(f"  page: {found.url}")
    raise SystemExit(0 if found.status == "passed" else 1)


def _show_list(spec: LoadedSpec, ui_url: str, as_json: bool) -> None:
    """`deploy --list`: each deployment's name, branch, revision, verdict and page."""
    from stagingqa.deploy.deployments import deployed, page_url

    rows = [
        {
            **env.state.deployment,
            "name": env.name,
            "revision": env.revision,
            "url": page_url(ui_url, env.name),
        }
        for env in deployed(spec)
    ]
    if as_json:
        emit(rows)
        return
    for row in rows:
        click.echo(_row(row))
    if not rows:
        click.echo("no deployments")


def _row(row: dict) -> str:
    return f"{row['name']:32} {row['branch']:24} {row['revision'][:12]} {row['status']:8} {row['url']}"


@click.command("undeploy")
@SPEC_OPTION
@click.argument("names", nargs=-1)
@click.option("--gone", is_flag=True, help="Every deployment whose branch was deleted or merged.")
def undeploy_command(spec_path: Path, names: tuple[str, ...], gone: bool) -> None:
    """Remove deployments: by name, or (--gone) those whose branch was deleted or merged into the spec's
    branch."""
    from stagingqa.deploy.deployments import undeploy
    from stagingqa.deploy.reconcile import undeploy_gone

    spec = load_spec(spec_path)
    if not names and not gone:
        raise click.UsageError("name a deployment, or use --gone")
    removed = [undeploy(spec, name) for name in names]
    if gone:
        removed += undeploy_gone(spec, say=click.echo)
    click.echo(f"undeployed: {', '.join(removed) or 'nothing'}")


@click.command("shell")
@SPEC_OPTION
@click.argument("name")
@click.option("-c", "command", help="Run this command in the environment instead of an interactive shell.")
def shell_command(spec_path: Path, name: str, command: str | None) -> None:
    """A subshell with environment NAME's variables and venv, its prompt naming it; exit to leave."""
    from stagingqa.deploy.shell import shell_command as build
    from stagingqa.environment.handle import Environment

    env = Environment.open(load_spec(spec_path), name)
    argv, environ = build(env, command)
    if command is None:
        click.echo(f"entering environment {name} (world {env.world}); exit to leave", err=True)
    raise SystemExit(subprocess.run(argv, env=environ).returncode)


COMMANDS = [deploy_command, undeploy_command, shell_command]
