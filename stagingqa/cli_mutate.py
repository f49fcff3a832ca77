"""`stagingqa mutate`: how good are the use cases? Mutants of the system under test, the use cases run
against each, the score and the survivors (rendering only; the work is in stagingqa/mutation/)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from stagingqa.cli_options import JSON_OPTION, SPEC_OPTION, emit
from stagingqa.spec import load_spec
from stagingqa.verifier.verdict import Status

if TYPE_CHECKING:  # cosmic-ray and the verifier load only when mutate runs
    from stagingqa.mutation.outcome import MutantResult, MutationReport
    from stagingqa.runs.mutations import MutationRunRecord


@click.command("mutate")
@SPEC_OPTION
@click.argument("usecases", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--ref", "refs", multiple=True, help="The revision to mutate (REV, or NAME=REV; default: the branch)."
)
@click.option("--component", help="The component whose source is mutated (default: the primary one).")
@click.option(
    "--path",
    "paths",
    multiple=True,
    metavar="GLOB",
    help="Files to mutate, relative to the component's checkout (repeatable; default: *.py outside tests).",
)
@click.option(
    "--operators",
    "operator_patterns",
    multiple=True,
    metavar="NAME",
    help="cosmic-ray operators, names or globs such as 'ReplaceComparisonOperator_*', or all "
    "(repeatable; default: the realistic set, docs/mutation.md).",
)
@click.option("-k", "expression", help="Only use cases whose name or tags contain these words.")
@click.option(
    "-j", "jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Mutants at a time."
)
@click.option("--max", "max_mutants", type=click.IntRange(1), help="At most this many mutants.")
@click.option(
    "--sample", type=click.FloatRange(0, 1, min_open=True), help="A random fraction of the mutants."
)
@click.option("--seed", default=0, show_default=True, help="The seed --sample draws with.")
@click.option(
    "--mutant",
    "only",
    multiple=True,
    metavar="ID",
    help="Only this mutant (repeatable): re-check survivors after writing use cases for them.",
)
@click.option(
    "--all-killers",
    is_flag=True,
    help="Run every use case on each mutant (which kill most), not stop at the first.",
)
@click.option(
    "--equivalent",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Mutants judged equivalent, with why (default: mutants-equivalent.yaml beside the use cases).",
)
@click.option("--list", "list_runs", is_flag=True, help="List recorded mutation runs instead.")
@JSON_OPTION
def mutate_command(
    spec_path: Path,
    usecases: tuple[Path, ...],
    refs: tuple[str, ...],
    component: str | None,
    paths: tuple[str, ...],
    operator_patterns: tuple[str, ...],
    expression: str | None,
    jobs: int,
    max_mutants: int | None,
    sample: float | None,
    seed: int,
    only: tuple[str, ...],
    all_killers: bool,
    equivalent: Path | None,
    list_runs: bool,
    as_json: bool,
) -> None:
    """Mutate the system under test and run the use cases against each mutant: which are killed (and by
    which use case), which survive (what the use cases miss, with their diffs). Exit 0 no survivor, 1
    survivors, 2 an error."""
    from stagingqa.mutation.session import Plan, mutate
    from stagingqa.runs.mutations import MutationStore
    from stagingqa.runs.store import open_store

    spec = load_spec(spec_path)
    store = open_store(spec)
    recorder = MutationStore(store)
    if list_runs:
        _list(recorder.list_mutations(), as_json)
        return
    plan = Plan(
        refs or None, component, list(paths), list(operator_patterns), list(usecases), expression, jobs,
        max_mutants, sample, seed, all_killers, equivalent, list(only),
    )  # fmt: skip
    signal.signal(signal.SIGTERM, _terminated)
    quiet = as_json
    report = mutate(
        spec, plan, store, recorder,
        progress=(lambda line: None) if quiet else click.echo,
        report=(lambda result: None) if quiet else _show,
    )  # fmt: skip
    if as_json:
        emit(report.to_dict(), Status.FAILED if report.survivors else Status.OK)
    else:
        _summary(report)
    raise SystemExit(report.exit_code)


def _terminated(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt  # recorded as interrupted, environments removed, as after Ctrl-C


def _show(result: MutantResult) -> None:
    mutant = result.mutant
    where = f"{mutant.path}:{mutant.line} {mutant.operator.removeprefix('core/')} in {mutant.definition}"
    by = f" by {', '.join(result.killed_by)}" if result.killed_by else ""
    click.echo(f"{str(result.outcome).upper():10} {mutant.id} {where}{by} ({result.seconds:.1f} s)")
    if result.outcome.value in ("survived", "broken") or (
        result.detail and result.outcome.value == "timeout"
    ):
        if result.detail:
            click.echo(f"    {result.detail}")


def _summary(report: MutationReport) -> None:
    for result in report.survivors:
        click.echo(f"\nsurvived {result.mutant.id} (ran {len(result.ran)} use cases):\n{result.mutant.diff}")
    if report.excluded:
        click.echo(f"not used (they do not pass on the revision): {', '.join(report.excluded)}")
    killers = ", ".join(f"{name} {n}" for name, n in report.killers()[:5])
    if killers:
        click.echo(f"killed most: {killers}")
    click.echo(f"mutation run {report.run_id} recorded (results UI: /mutations/{report.run_id})")
    click.echo(report.summary)


def _list(found: list[MutationRunRecord], as_json: bool) -> None:
    if as_json:
        emit([{"id": r.id, "status": r.status, "revision": r.revision, "score": r.score} for r in found])
        return
    for run in found:
        score = "-" if run.score is None else f"{run.score:.0%}"
        click.echo(
            f"{run.id}  {run.status:11} {run.revision[:12]} {run.component:12} "
            f"{len(run.mutants)}/{run.planned} mutants  score {score}  {run.count('survived')} survived"
        )
    if not found:
        click.echo("no mutation runs recorded yet (stagingqa mutate records one)")


COMMANDS = [mutate_command]
