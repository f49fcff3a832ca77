"""`stagingqa verify`: run use cases against an environment and report like a test runner."""

from __future__ import annotations

import os
import signal
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from stagingqa.cli_options import SPEC_OPTION, progress_printer
from stagingqa.environment import lifecycle
from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec, load_spec

if TYPE_CHECKING:  # the verifier and SQLAlchemy load only when verify runs: every command starts faster
    from stagingqa.environment.handle import Environment
    from stagingqa.runs.store import RunStore
    from stagingqa.verifier.session import RunReport
    from stagingqa.verifier.verdict import Verdict


@click.command("verify")
@SPEC_OPTION
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--env", "env_name", help="A ready environment (default: a pristine one at --ref, removed after)."
)
@click.option(
    "--up",
    "up_name",
    metavar="NAME",
    help="Stage a pristine environment NAME at --ref first and leave it for `stagingqa down NAME`: what "
    "`up --name NAME` then `verify --env NAME` do, in one process (Buildbot's verify step).",
)
@click.option(
    "--ref",
    "refs",
    multiple=True,
    help="With no --env: the revision to stage, REV for the primary component or NAME=REV for any "
    "(repeatable; default: each component's branch).",
)
@click.option(
    "-k", "expression", help="Only use cases whose name or tags contain these words ('not X' excludes)."
)
@click.option(
    "-j", "jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Use cases at a time."
)
@click.option(
    "--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML here."
)
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the run as JSON."
)
@click.option(
    "--keep",
    is_flag=True,
    help="Keep each use case's world and home (and without --env, the environment) for inspection.",
)
@click.option(
    "--recreate", is_flag=True, help="With --env: make the environment again if its spec has changed."
)
@click.option(
    "--trigger",
    default="cli",
    show_default=True,
    help="What started this run, as recorded (cli, buildbot, nightly, ...).",
)
@click.option("--build-url", help="The CI build running this verify, linked from its run record.")
@click.option("--no-record", is_flag=True, help="Do not keep this run in the run database.")
@click.option(
    "--compare-upgrade",
    "from_rev",
    metavar="FROM_REV",
    help="Also run where FROM_REV was upgraded to --ref; fail if what is posted differs.",
)
def verify_command(
    spec_path: Path,
    paths: tuple[Path, ...],
    env_name: str | None,
    up_name: str | None,
    refs: tuple[str, ...],
    expression: str | None,
    jobs: int,
    junit_path: Path | None,
    json_path: Path | None,
    keep: bool,
    recreate: bool,
    trigger: str,
    build_url: str | None,
    no_record: bool,
    from_rev: str | None,
) -> None:
    """Verify use cases (files or folders; default: the spec's usecases folder). Exit 0 all passed, 1 a use
    case failed, 2 a use case has errors (or bad usage)."""
    from stagingqa.result import CommandResult
    from stagingqa.runs.store import open_store
    from stagingqa.verifier import reports
    from stagingqa.verifier.session import verify

    _check_environment_options(env_name, up_name, from_rev)
    for option, path in (("--junit", junit_path), ("--json", json_path)):
        check_output_path(option, path)  # before anything runs: a whole run must not end in a traceback
    spec = load_spec(spec_path)
    targets = list(paths) or [spec.resolve(spec.spec.usecases)]
    store = None if no_record else open_store(spec)
    signal.signal(signal.SIGTERM, _terminated)
    if from_rev:
        raise SystemExit(_compare_upgrade(spec, targets, refs or None, from_rev, expression, jobs, store))
    with ExitStack() as stack:
        env = _environment(stack, spec, env_name, up_name, refs, keep, recreate)
        report = verify(env, targets, expression, jobs, keep, _show, store, trigger, build_url)
    if keep:
        _show_kept(env, report)
    if store:
        click.echo(f"run {report.run_id} recorded (stagingqa runs show {report.run_id})")
    click.echo(report.summary)
    if junit_path:
        reports.junit(report, junit_path)
    if json_path:
        json_path.write_text(CommandResult("verify", reports.as_data(report), report.status).to_json())
    raise SystemExit(report.exit_code)


def _environment(
    stack: ExitStack,
    spec: LoadedSpec,
    env_name: str | None,
    up_name: str | None,
    refs: tuple[str, ...],
    keep: bool,
    recreate: bool,
) -> Environment:
    """The environment to verify: a ready one (--env), one staged and left (--up), one kept (--keep),
    else a pristine one removed when `stack` closes."""
    if env_name is not None:
        return lifecycle.open_environment(spec, env_name, recreate)
    if up_name is not None:
        return _stage(spec, up_name, refs)
    if keep:
        return lifecycle.up(spec, refs or None)  # kept, as the worlds are: removed by `down`
    return stack.enter_context(lifecycle.pristine(spec, refs or None))


def _check_environment_options(env_name: str | None, up_name: str | None, from_rev: str | None) -> None:
    if env_name is not None and up_name is not None:
        raise click.UsageError("--env uses a ready environment, --up stages one: give only one")
    if from_rev and up_name is not None:
        raise click.UsageError("--compare-upgrade stages its own two environments: --up does not apply")


def check_output_path(option: str, path: Path | None) -> None:
    """A report path whose folder does not exist or cannot be written is a usage error, at once. An
    older report there is removed: a run that ends early must not leave one that looks like its own."""
    if path is None:
        return
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(f"{option} {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{option} {path}: cannot be written")
    path.unlink(missing_ok=True)


def _stage(spec: LoadedSpec, name: str, refs: tuple[str, ...]) -> Environment:
    """`up --name NAME`, its steps on stderr as `up` shows them; then one `staged` line on stdout with
    every component's revision, which Buildbot's verify step reads as the build's got_revision."""
    env = lifecycle.up(spec, refs or None, name, progress_printer(False))
    revisions = " ".join(f"{component}={sha}" for component, sha in env.revisions.items())
    click.echo(f"staged {env.name}: {revisions}")
    return env


def _show_kept(env: Environment, report: RunReport) -> None:
    """Where what --keep kept is, and how to remove it."""
    click.echo(f"kept: environment {env.name} in {env.folder} (stagingqa down {env.name} removes it all)")
    for verdict in report.verdicts:
        if verdict.world:
            home = env.folder / "runs" / verdict.world
            click.echo(f"  {verdict.name}: world {env.mock_base}/w/{verdict.world}/  home {home}")


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM ends a run as Ctrl-C does: what finished is kept, the run is recorded as interrupted."""
    raise SystemExit(128 + signum)


def _show(verdict: Verdict) -> None:
    from stagingqa.verifier import reports

    click.echo(reports.line(verdict))
    for row in reports.explanation(verdict):
        click.echo(row)


def _compare_upgrade(
    spec: LoadedSpec,
    targets: list[Path],
    ref: tuple[str, ...] | None,
    from_rev: str,
    expression: str | None,
    jobs: int,
    store: RunStore | None,
) -> int:
    """A pristine environment at REF and one upgraded from FROM_REV to REF run the same use cases."""
    from stagingqa.verifier.session import compare_runs, verify

    # each environment is removed whatever happens, the first one too when the second cannot be made
    with lifecycle.pristine(spec, ref) as pristine, lifecycle.pristine(spec, from_rev) as upgraded:
        lifecycle.upgrade(spec, upgraded.name, ref)
        click.echo(f"== pristine environment {pristine.name}")
        first = verify(pristine, targets, expression, jobs, False, _show, store, "compare-pristine")
        click.echo(first.summary)
        click.echo(f"== environment {upgraded.name}, upgraded from {from_rev}")
        second = verify(upgraded, targets, expression, jobs, False, _show, store, "compare-upgraded")
        click.echo(second.summary)
    comparison = compare_runs(first, second, from_rev)
    for difference in comparison.differences:
        click.echo(f"DIFFERS {difference}")
    click.echo(
        f"upgrade comparison: {len(first.verdicts) - len(comparison.differences)} use cases post the same, "
        f"{len(comparison.differences)} differ"
    )
    return comparison.exit_code
