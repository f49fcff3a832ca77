"""CLI commands on run records: runs list/show/diff, reproduce, capture, bisect (rendering only; the work
is in runs/, where the results UI and Buildbot steps call the same functions)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from stagingqa.cli_options import JSON_OPTION, SPEC_OPTION, emit
from stagingqa.runs.records import RunRecord, UseCaseRecord
from stagingqa.spec import load_spec


@click.group("runs")
def runs_group() -> None:
    """Recorded verify runs (the spec's runs.database, or $STAGINGQA_RUNS_DB)."""


@runs_group.command("list")
@SPEC_OPTION
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@JSON_OPTION
def runs_list(spec_path: Path, limit: int, as_json: bool) -> None:
    """The newest runs first."""
    from stagingqa.runs.queries import list_runs

    found = list_runs(load_spec(spec_path), limit)
    if as_json:
        emit([dataclasses.replace(r, spec_text="") for r in found])
        return
    for run in found:
        duration = f"{run.seconds:.1f} s" if run.seconds is not None else "-"
        click.echo(
            f"{run.id}  {run.started_text}  {run.status:11} {_revisions(run)} {_ref(run):12} "
            f"{run.trigger:9} {run.counts:32} {duration}"
        )
    if not found:
        click.echo("no runs recorded yet (stagingqa verify records one)")


def _ref(run: RunRecord) -> str:
    """The ref as given; "-" when it was the commit itself (Buildbot builds by commit id)."""
    return "-" if run.ref == run.revision else run.ref


@runs_group.command("show")
@SPEC_OPTION
@click.argument("run")
@JSON_OPTION
def runs_show(spec_path: Path, run: str, as_json: bool) -> None:
    """One run: its revision, trigger, and every use case with its verdict and why it failed.
    RUN is an id, a unique prefix of one, latest or latest~N."""
    from stagingqa.runs.queries import show_run

    record = show_run(load_spec(spec_path), run)
    if as_json:
        emit(record)
        return
    _show_run(record)


def _show_run(record: RunRecord) -> None:
    click.echo(f"run {record.id}: {record.status}, {record.counts}")
    click.echo(f"  revision {record.revision} ({record.ref}), environment {record.environment}")
    for component, revision in record.other_revisions.items():
        click.echo(f"  component {component} at {revision}")
    click.echo(f"  started {record.started_text} UTC by {record.trigger} on {record.host}")
    if record.seconds is not None:
        click.echo(f"  took {record.seconds:.2f} s")
    if record.build_url:
        click.echo(f"  build {record.build_url}")
    for case in record.usecases:
        click.echo(f"{case.status.upper():11} {case.name} ({case.seconds:.2f} s)")
        for row in _case_explanation(case):
            click.echo(row)


def _case_explanation(case: UseCaseRecord) -> list[str]:
    from stagingqa.verifier.reports import failure_lines
    from stagingqa.verifier.verdict import Failure

    if case.error:
        return [f"  {line}" for line in case.error.splitlines()]
    return failure_lines(
        Failure(f["expectation"], f["detail"], tuple(f["candidates"]), f.get("step")) for f in case.failures
    )


@runs_group.command("diff")
@SPEC_OPTION
@click.argument("run_a")
@click.argument("run_b")
@JSON_OPTION
def runs_diff(spec_path: Path, run_a: str, run_b: str, as_json: bool) -> None:
    """What changed from RUN_A to RUN_B, per use case: verdicts, results posted, comments posted."""
    from stagingqa.runs.queries import diff

    found = diff(load_spec(spec_path), run_a, run_b)
    if as_json:
        emit(
            {
                "a": found.a.id,
                "b": found.b.id,
                "usecases": [dataclasses.asdict(u) | {"changed": u.changed} for u in found.usecases],
            }
        )
        return
    click.echo(f"--- run {found.a.id} at {_revisions(found.a)} ({found.a.counts})")
    click.echo(f"+++ run {found.b.id} at {_revisions(found.b)} ({found.b.counts})")
    for case in found.changed:
        click.echo(f"{case.name}: {case.status_a or 'not run'} -> {case.status_b or 'not run'}")
        for sign, rows in (
            ("-", case.results_only_a + case.comments_only_a),
            ("+", case.results_only_b + case.comments_only_b),
        ):
            for row in rows:
                click.echo(f"  {sign} {' | '.join(row)}".replace("\n", "\\n"))
    same = len(found.usecases) - len(found.changed)
    click.echo(f"{len(found.changed)} use cases changed, {same} the same")


def _revisions(run: RunRecord) -> str:
    """The primary revision, then NAME@REV of each other component."""
    others = "".join(f", {name}@{sha[:12]}" for name, sha in run.other_revisions.items())
    return f"{run.revision[:12]}{others}"


@click.command("reproduce")
@SPEC_OPTION
@click.argument("run")
@click.option("--usecase", help="The use case (default: the run's only one, or its first failure).")
@click.option(
    "--at",
    type=click.Choice(["before", "after"]),
    default="before",
    show_default=True,
    help="The world as it was before the run's steps, or after them.",
)
@click.option("--name", help="Name of the new environment (default: repro-RUN-USECASE).")
@click.option("--rerun", is_flag=True, help="Also rerun the steps now and show the verdict.")
@JSON_OPTION
def reproduce_command(
    spec_path: Path, run: str, usecase: str | None, at: str, name: str | None, rerun: bool, as_json: bool
) -> None:
    """Rebuild a recorded run's conditions: a new environment at its revision, a use case's world before
    (or after) the run with the same faults armed. Prints the URLs and the exact commands to rerun."""
    from stagingqa.replay.reproduce import reproduce
    from stagingqa.replay.reproduce import rerun as rerun_steps

    spec = load_spec(spec_path)
    found = reproduce(spec, run, usecase, at, name)
    verdict = rerun_steps(spec, found) if rerun else None
    if as_json:
        emit(found.to_dict() | ({"rerun": verdict.status} if verdict else {}))
    else:
        click.echo(f"run {found.run}, use case {found.usecase}: world {found.world} ({at} the run)")
        click.echo(
            f"  environment {found.environment} at {found.revision[:12]} (stagingqa down {found.environment})"
        )
        if found.spec_changed:
            click.echo("  note: the spec changed since the run; this uses the current one")
        for service, url in found.urls.items():
            click.echo(f"  {service + ':':10} {url}")
        click.echo(f"  use case as recorded: {found.usecase_file}")
        click.echo(f"rerun the steps: sh {found.script}")
        for command in found.commands:
            click.echo(f"  {command}")
        if verdict:
            from stagingqa.verifier import reports

            click.echo(reports.line(verdict))
            for row in reports.explanation(verdict):
                click.echo(row)
    if verdict and verdict.status != "passed":
        raise SystemExit(1 if verdict.status == "failed" else 2)


@click.command("capture")
@SPEC_OPTION
@click.argument("source")
@click.option("--usecase", help="The run's use case, or for a world the use case whose steps run on it.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the use case.")
@click.option("--name", help="The new use case's name (default: USECASE-captured).")
@click.option("--env", "env_name", help="For a world: the environment to run the steps in.")
def capture_command(
    spec_path: Path,
    source: str,
    usecase: str | None,
    out: Path | None,
    name: str | None,
    env_name: str | None,
) -> None:
    """Write a new use case from a recorded run (SOURCE: a run id, prefix, latest) or a world on the mock
    host: its world is the captured state, its expectations what was actually posted."""
    from stagingqa.replay.capture import capture

    found = capture(load_spec(spec_path), source, usecase, out, name, env_name)
    click.echo(f"wrote {found.usecase} ({found.results} results, {found.comments} comments expected)")
    click.echo(f"  world: {found.world}")
    click.echo(f"review it, then: stagingqa verify {found.usecase}")


@click.command("bisect")
@SPEC_OPTION
@click.option("--usecase", required=True, help="The use case (a name in the spec's folder, or a file).")
@click.option("--good", required=True, help="A revision where it passes.")
@click.option("--bad", required=True, help="A later revision where it fails.")
@click.option(
    "--component", help="Bisect this component's history; the others stay put (default: the primary one)."
)
@JSON_OPTION
def bisect_command(
    spec_path: Path, usecase: str, good: str, bad: str, component: str | None, as_json: bool
) -> None:
    """Find the first revision at which a use case fails, each candidate in a pristine environment."""
    from stagingqa.replay.bisect import Tested, bisect

    def progress(tested: Tested) -> None:
        if not as_json:
            click.echo(f"  {tested.revision[:12]} {tested.status} (run {tested.run})", err=True)

    found = bisect(load_spec(spec_path), usecase, good, bad, progress, component)
    if as_json:
        emit(found)
        return
    click.echo(f"{found.first_bad} is the first bad revision for {found.usecase}")
    click.echo(f"  {found.subject}")
    click.echo(f"  ({found.candidates} candidates, {len(found.tested)} built; run {found.run})")
    for row in found.failure:
        click.echo(row)


COMMANDS = [runs_group, reproduce_command, capture_command, bisect_command]
