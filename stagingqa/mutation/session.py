"""A mutation run: the use cases on the revision first (the baseline), then each mutant in its own
environment made from that revision, its use cases likeliest-first until one tells it apart."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from stagingqa.environment import lifecycle
from stagingqa.environment.checkouts import Refs, checkout_dir
from stagingqa.environment.handle import Environment
from stagingqa.errors import InputError, StagingQAError
from stagingqa.mutation.equivalent import FILE_NAME, load_equivalent
from stagingqa.mutation.mutants import Mutant, generate, operators, source_files
from stagingqa.mutation.outcome import MutantResult, MutationReport, Outcome
from stagingqa.mutation.selection import Touched, importers, order, touched
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.runner import Steps, run_usecase
from stagingqa.verifier.session import Recorder, collect, verify
from stagingqa.verifier.usecase import LoadedUseCase
from stagingqa.verifier.verdict import Status, Verdict


class MutationRecorder(Protocol):
    """Where a mutation run is recorded as it goes (the run store)."""

    def start_mutation(self, run_id: str, **fields: Any) -> None: ...

    def add_mutant(self, run_id: str, result: dict[str, Any]) -> None: ...

    def finish_mutation(self, run_id: str, status: str, summary: dict[str, Any]) -> None: ...


@dataclass
class Plan:
    """What to mutate and how: the defaults are the whole primary component, realistic operators."""

    ref: Refs = None
    component: str | None = None
    paths: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    usecases: list[Path] = field(default_factory=list)
    expression: str | None = None
    jobs: int = 1
    max_mutants: int | None = None
    sample: float | None = None
    seed: int = 0
    all_killers: bool = False  # run every use case on each mutant (which kill most), not stop at the first
    equivalent: Path | None = None
    only: list[str] = field(default_factory=list)  # mutant ids: re-check these (survivors, most often)


@dataclass
class Baseline:
    """What the revision itself gives: its use cases' verdicts, and the mutants of its checkout."""

    run_id: str
    revisions: dict[str, str]
    mutants: list[Mutant]
    modules: dict[str, set[str]]  # each mutated file's module and the modules that import it
    cases: dict[str, LoadedUseCase]  # those that passed: the ones that can kill
    touches: list[Touched]
    excluded: tuple[str, ...]


def _usecases_and_equivalents(spec: LoadedSpec, plan: Plan) -> tuple[list[Path], dict[str, str]]:
    """The use cases to run, and the mutants judged equivalent (by default listed beside them)."""
    usecase_paths = plan.usecases or [spec.resolve(spec.spec.usecases)]
    folder = usecase_paths[0] if usecase_paths[0].is_dir() else usecase_paths[0].parent
    return usecase_paths, load_equivalent(plan.equivalent or folder / FILE_NAME)


def _recorded(
    done: MutantResult, run_id: str, recorder: MutationRecorder | None, report: Callable[[MutantResult], None]
) -> MutantResult:
    """A mutant's result, recorded (where there is a recorder) and reported as it is known."""
    if recorder:
        recorder.add_mutant(run_id, done.to_dict())
    report(done)
    return done


def _judge_one(
    spec: LoadedSpec,
    plan: Plan,
    base: Baseline,
    component: str,
    equivalent: dict[str, str],
    record: Callable[[MutantResult], MutantResult],
) -> Callable[[Mutant, Steps], MutantResult]:
    """How one mutant is judged: its use cases likeliest-first; a survivor listed as equivalent is one."""

    def one(mutant: Mutant, runner: Steps) -> MutantResult:
        ordered = [base.cases[n] for n in order(mutant, base.touches, base.modules.get(mutant.path))]
        done = run_mutant(spec, base.revisions, component, mutant, ordered, plan, runner)
        if done.outcome == Outcome.SURVIVED and mutant.id in equivalent:
            done = MutantResult(mutant, Outcome.EQUIVALENT, done.seconds, (), done.ran, equivalent[mutant.id])
        return record(done)

    return one


def mutate(
    spec: LoadedSpec,
    plan: Plan,
    store: Recorder | None = None,
    recorder: MutationRecorder | None = None,
    progress: Callable[[str], None] = lambda line: None,
    report: Callable[[MutantResult], None] = lambda result: None,
) -> MutationReport:
    """Every mutant of the plan, killed or not; recorded as it goes (interrupted: kept as interrupted)."""
    component = spec.component(plan.component) if plan.component else spec.primary
    usecase_paths, equivalent = _usecases_and_equivalents(spec, plan)
    chosen = operators(plan.operators)
    run_id, started = uuid.uuid4().hex[:12], time.perf_counter()
    base = baseline(spec, plan, component.name, usecase_paths, chosen, store, progress)
    mutants = pick(base.mutants, plan)
    result = MutationReport(
        run_id, base.revisions[spec.primary.name], component.name, tuple(sorted(base.cases))
    )
    result.generated, result.excluded = len(base.mutants), base.excluded
    if recorder:
        recorder.start_mutation(
            run_id, spec=spec, revision=result.revision, revisions=base.revisions, component=component.name,
            baseline_run=base.run_id, operators=chosen, usecases=list(result.usecases),
            excluded=list(result.excluded), generated=result.generated, planned=len(mutants),
        )  # fmt: skip
    progress(f"{len(mutants)} mutants of {result.generated}, {len(base.cases)} use cases to tell them apart")
    one = _judge_one(
        spec, plan, base, component.name, equivalent, lambda done: _recorded(done, run_id, recorder, report)
    )
    try:
        result.results = judge_all(mutants, one, plan.jobs)
    except BaseException:
        if recorder:
            recorder.finish_mutation(run_id, "interrupted", {"seconds": time.perf_counter() - started})
        raise
    finally:
        lifecycle.stop_host_if_unused(spec)  # the mutants' environments kept it for one another
    result.seconds = time.perf_counter() - started
    if recorder:
        recorder.finish_mutation(run_id, "finished", result.to_dict())
    return result


def baseline(
    spec: LoadedSpec,
    plan: Plan,
    component: str,
    usecase_paths: list[Path],
    chosen: list[str],
    store: Recorder | None,
    progress: Callable[[str], None],
) -> Baseline:
    """The use cases on the revision itself (a recorded run) and the mutants of its checkout; an
    InputError when no use case passes there, as none could tell a mutant apart."""
    loaded = [w for w in collect(spec, usecase_paths, plan.expression) if isinstance(w, LoadedUseCase)]
    progress(f"baseline: the use cases on the revision itself ({len(loaded)})")
    with lifecycle.pristine(spec, plan.ref, f"mut-{uuid.uuid4().hex[:12]}-base") as env:
        run = verify(env, usecase_paths, plan.expression, plan.jobs, store=store, trigger="mutate")
        checkout = checkout_dir(env.folder, spec, spec.component(component))
        files = source_files(checkout, plan.paths)
        mutants = list(generate(component, checkout, files, chosen))
        modules = importers(checkout, files)
        revisions = dict(env.revisions)
    passing = {v.name for v in run.verdicts if v.status == Status.PASSED}
    if not passing:
        raise InputError(
            f"no use case passes on revision {revisions[spec.primary.name][:12]} (run {run.run_id}): "
            "none could tell a mutant apart; fix them or choose another --ref"
        )
    cases = {case.usecase.name: case for case in loaded if case.usecase.name in passing}
    touches = [_touched(v, cases[v.name]) for v in run.verdicts if v.name in cases]
    excluded = tuple(sorted({v.name for v in run.verdicts} - passing))
    return Baseline(run.run_id, revisions, mutants, modules, cases, touches, excluded)


def judge_all(
    mutants: list[Mutant], one: Callable[[Mutant, Steps], MutantResult], jobs: int
) -> list[MutantResult]:
    """`one` on every mutant, `jobs` at a time, sharing one step runner (as verify does): interrupted,
    every running step is killed and the waiting mutants dropped before the interruption goes on."""
    runner = Steps()
    with ThreadPoolExecutor(max(jobs, 1)) as pool:
        futures = [pool.submit(one, mutant, runner) for mutant in mutants]
        try:
            return [future.result() for future in futures]
        except BaseException:
            runner.stop()
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def pick(mutants: list[Mutant], plan: Plan) -> list[Mutant]:
    """--mutant ids, --sample (a fraction, drawn with --seed, in file order), then --max."""
    if plan.only:
        unknown = sorted(set(plan.only) - {m.id for m in mutants})
        if unknown:
            raise InputError(
                f"--mutant: no mutant {', '.join(unknown)} at this revision with these --path and --operators"
            )
        mutants = [m for m in mutants if m.id in plan.only]
    if plan.sample is not None:
        keep = sorted(random.Random(plan.seed).sample(range(len(mutants)), round(len(mutants) * plan.sample)))
        mutants = [mutants[n] for n in keep]
    return mutants[: plan.max_mutants] if plan.max_mutants is not None else mutants


def _touched(verdict: Verdict, case: LoadedUseCase) -> Touched:
    checks = [step.check or "" for step in case.usecase.steps]
    return touched(verdict.name, verdict.seconds, verdict.requests, checks)


def run_mutant(
    spec: LoadedSpec,
    revisions: dict[str, str],
    component: str,
    mutant: Mutant,
    ordered: list[LoadedUseCase],
    plan: Plan,
    runner: Steps,
) -> MutantResult:
    """One environment for the mutant, its use cases (likeliest first) until one tells it apart."""
    started = time.perf_counter()
    if runner.stopping:
        raise KeyboardInterrupt
    target = spec.component(component)
    try:
        env = lifecycle.up(
            spec, revisions, f"mut-{uuid.uuid4().hex[:6]}-{mutant.id}",
            patch=lambda folder: mutant.apply(checkout_dir(folder, spec, target)),
        )  # fmt: skip
    except StagingQAError as exc:
        return MutantResult(mutant, Outcome.BROKEN, time.perf_counter() - started, detail=exc.message)
    try:
        return _tell_apart(env, mutant, ordered, plan, runner, started)
    finally:
        lifecycle.down(spec, [env.name], stop_host=False)


def _tell_apart(
    env: Environment,
    mutant: Mutant,
    ordered: list[LoadedUseCase],
    plan: Plan,
    runner: Steps,
    started: float,
) -> MutantResult:
    ran, killers, detail, timed_out = [], [], "", False
    for case in ordered:
        verdict = run_usecase(env, case, f"m{mutant.id}", steps_runner=runner)
        if runner.stopping or verdict.status == Status.INTERRUPTED:
            raise KeyboardInterrupt
        ran.append(case.usecase.name)
        if verdict.status != Status.PASSED:
            killers.append(case.usecase.name)
            timed_out = timed_out or any(step.exit is None for step in verdict.steps)
            detail = detail or _why(verdict)
            if not plan.all_killers:
                break
    seconds = time.perf_counter() - started
    if not killers:
        return MutantResult(mutant, Outcome.SURVIVED, seconds, (), tuple(ran))
    outcome = Outcome.TIMEOUT if timed_out else Outcome.KILLED
    return MutantResult(mutant, outcome, seconds, tuple(killers), tuple(ran), detail)


def _why(verdict: Verdict) -> str:
    """The first thing the killing use case found wrong, in one line."""
    if verdict.error:
        return verdict.error.splitlines()[0][:300]
    first = verdict.failures[0] if verdict.failures else None
    return f"{verdict.name}: {first.expectation}: {first.detail}"[:300] if first else verdict.name
