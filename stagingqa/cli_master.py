"""`stagingqa master start|stop|status|force|hook`: the Buildbot master (the work is in master/control.py)."""

from __future__ import annotations

import click

from stagingqa.cli_options import JSON_OPTION, emit
from stagingqa.master import control, hooks
from stagingqa.master.settings import load_settings, system_repositories


def _show(current: control.MasterStatus, as_json: bool) -> None:
    if as_json:
        emit(current.to_dict())
        return
    if not current.running:
        click.echo(f"master: not running (base directory {current.basedir})")
        return
    click.echo(f"master: running at {current.url} (pid {current.pid})")
    click.echo(f"  base directory: {current.basedir}")
    click.echo(f"  workers connected: {', '.join(current.workers) or 'none'}")
    if current.last_build:
        build = current.last_build
        state = control.RESULTS.get(build["results"], "?") if build["complete"] else "running"
        click.echo(f"  last build: #{build['number']} {state}: {build.get('state_string', '')}")


@click.group("master")
def master_group() -> None:
    """The Buildbot master (settings: buildbot/master.yaml and STAGINGQA_<KEY> variables)."""


@master_group.command("start")
@click.option("--foreground", is_flag=True, help="Run in this terminal until Ctrl-C.")
@JSON_OPTION
def master_start(foreground: bool, as_json: bool) -> None:
    """Create or upgrade the master's base directory as needed, start it and wait until it is ready."""
    _show(control.start(load_settings(), foreground), as_json)


@master_group.command("stop")
def master_stop() -> None:
    """Stop the master cleanly (no process of it is left)."""
    stopped = control.stop(load_settings())
    click.echo("master: stopped" if stopped else "master: was not running")


@master_group.command("status")
@JSON_OPTION
def master_status(as_json: bool) -> None:
    """Whether the master runs, its URL, its workers and its last build. Exit 1 when it does not run."""
    current = control.status(load_settings())
    _show(current, as_json)
    if not current.running:
        raise SystemExit(1)


@master_group.command("force")
@click.option("--ref", help="The revision to build (default: the branch head).")
@click.option(
    "--compare-upgrade", is_flag=True, help="Also compare fresh with upgraded, as nightly builds do."
)
@click.option("--wait", is_flag=True, help="Wait for the build; exit 0 if it passed, 1 if not.")
def master_force(ref: str | None, compare_upgrade: bool, wait: bool) -> None:
    """Ask the master for a build now."""
    settings = load_settings()
    request = control.force(settings, ref, compare_upgrade=compare_upgrade)
    click.echo(f"build request {request} queued at {settings.www_url}#/buildrequests/{request}")
    if wait:
        build = control.wait_build(settings, request)
        verdict = control.RESULTS.get(build["results"], str(build["results"]))
        click.echo(f"build #{build['number']}: {verdict}: {build['state_string']}")
        raise SystemExit(0 if build["results"] == 0 else 1)


@master_group.command("hook")
@click.option("--remove", is_flag=True, help="Take the hook out again (only one stagingqa wrote).")
@JSON_OPTION
def master_hook(remove: bool, as_json: bool) -> None:
    """Make a change build at once: a Git hook in each watched local repository asks the master to poll
    now (it still polls every poll_interval seconds). For a repository on a forge, point its webhook at
    the poller change hook URL this prints."""
    settings = load_settings()
    watched = system_repositories(settings)
    results = hooks.remove(watched) if remove else hooks.install(settings, watched)
    if as_json:
        emit([result.to_dict() for result in results])
        return
    for result in results:
        if result.done == hooks.Done.REMOTE:
            where = f"; set its webhook to POST {result.path}" if result.path else ""
            click.echo(f"{result.repository}: not a local repository{where}")
        else:
            click.echo(f"{result.repository}: hook {result.done} ({result.path})")


COMMANDS = [master_group]
