"""A verify run: load the use cases, run them (up to N at a time) against one environment, sum up."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from stagingqa.environment.handle import Environment
from stagingqa.environment.lifecycle import revive
from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.runner import Steps, run_usecase
from stagingqa.verifier.usecase import LoadedUseCase, find_usecases, load_usecase
from stagingqa.verifier.verdict import Status, Verdict, overall
from stagingqa.world.problems import WorldInvalid


class Recorder(Protocol):
    """Where a run is recorded as it goes (the run store); the verifier knows it only by this shape."""

    def start(
        self,
        run_id: str,
        *,
        spec: LoadedSpec,
        environment: str,
        revision: str,
        ref: str,
        trigger: str,
        selection: dict[str, Any],
        build_url: str | None = None,
        revisions: dict[str, str] | None = None,
    ) -> None: ...

    def add(self, run_id: str, verdict: Verdict) -> None: ...

    def finish(self, run_id: str, status: str, seconds: float) -> None: ...

    def durations(self) -> dict[str, float]: ...


@dataclass(frozen=True)
class RunReport:
    run_id: str
    environment: str
    revision: str
    verdicts: tuple[Verdict, ...]
    seconds: float

    def count(self, status: str) -> int:
        return sum(1 for v in self.verdicts if v.status == status)

    @property
    def status(self) -> Status:
        return overall(v.status for v in self.verdicts)

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    @property
    def summary(self) -> str:
        return (
            f"{self.count('passed')} passed, {self.count('failed')} failed, {self.count('error')} errors "
            f"in {self.seconds:.2f} s"
        )


def selected(loaded: LoadedUseCase | None, path: Path, expression: str | None) -> bool:
    """-k: words that must appear in the name or tags; 'not WORD' excludes."""
    if not expression:
        return True
    haystack = path.stem if loaded is None else " ".join([loaded.usecase.name, *loaded.usecase.tags])
    for negate, word in re.findall(r"(not\s+)?([\w.-]+)", expression):
        if word in ("and", "or"):
            continue
        if bool(negate) == (word.lower() in haystack.lower()):
            return False
    return True


def verify(
    env: Environment,
    paths: list[Path],
    expression: str | None = None,
    jobs: int = 1,
    keep: bool = False,
    report: Callable[[Verdict], None] | None = None,
    store: Recorder | None = None,
    trigger: str = "cli",
    build_url: str | None = None,
) -> RunReport:
    """Every use case under `paths` against environment `env`; a broken use case is an error verdict.
    With a store, the run is recorded as it goes: interrupted (Ctrl-C, SIGTERM) it is kept as interrupted."""
    spec = env.spec
    revive(env)
    work = collect(spec, paths, expression)
    run_id = uuid.uuid4().hex[:12]
    started = time.perf_counter()
    if store:
        store.start(
            run_id,
            spec=spec,
            environment=env.name,
            revision=env.revision,
            ref=env.ref,
            trigger=trigger,
            selection={"paths": [str(p) for p in paths], "expression": expression},
            build_url=build_url,
            revisions=env.revisions,
        )
    steps = Steps()

    def run(item: LoadedUseCase | Verdict) -> Verdict:
        if steps.stopping:
            raise CancelledError
        verdict = item if isinstance(item, Verdict) else run_usecase(env, item, run_id, keep, steps)
        if store:
            store.add(run_id, verdict)
        if report and verdict.status != Status.INTERRUPTED:
            report(verdict)
        return verdict

    try:
        verdicts = run_all(work, run, jobs, steps, store.durations() if store else {})
    except BaseException:
        if store:
            store.finish(run_id, Status.INTERRUPTED, time.perf_counter() - started)
        raise
    env.touch()
    result = RunReport(run_id, env.name, env.revision, verdicts, time.perf_counter() - started)
    if store:
        store.finish(run_id, result.status, result.seconds)
    return result


def run_all(
    work: list[LoadedUseCase | Verdict],
    run: Callable[[LoadedUseCase | Verdict], Verdict],
    jobs: int,
    steps: Steps,
    durations: Mapping[str, float] | None = None,
) -> tuple[Verdict, ...]:
    """`run` on every item, `jobs` at a time; the verdicts in the items' order. The longest items (by
    `durations`, from earlier runs; unknown ones count as longest) start first: a long one started last
    would finish alone. Interrupted, the running steps are killed and the waiting items dropped before the
    interruption goes on."""
    known = durations or {}

    def expected(index: int) -> float:
        item = work[index]  # an error verdict already is one: no time
        return 0.0 if isinstance(item, Verdict) else known.get(item.usecase.name, float("inf"))

    order = sorted(range(len(work)), key=expected, reverse=True)  # stable: ties keep the items' order
    with ThreadPoolExecutor(max(jobs, 1)) as pool:
        futures = {index: pool.submit(run, work[index]) for index in order}
        try:
            return tuple(futures[index].result() for index in range(len(work)))
        except BaseException:
            steps.stop()
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def collect(spec: LoadedSpec, paths: list[Path], expression: str | None) -> list[LoadedUseCase | Verdict]:
    """The selected use cases, loaded; one that does not load is already its error verdict."""
    triggers = spec.spec.system.triggers
    work: list[LoadedUseCase | Verdict] = []
    for path in find_usecases(paths):
        if not path.exists():
            raise InputError(f"no use case or folder at {path}")
        try:
            loaded = load_usecase(path, triggers)
        except WorldInvalid as exc:
            if selected(None, path, expression):
                work.append(Verdict(path.stem, str(path), Status.ERROR, 0.0, error=str(exc)))
            continue
        if selected(loaded, path, expression):
            work.append(loaded)
    return work


@dataclass(frozen=True)
class UpgradeComparison:
    """The same use cases on a pristine environment and on one upgraded from an older revision."""

    pristine: RunReport
    upgraded: RunReport
    from_revision: str
    differences: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        return max(self.pristine.exit_code, self.upgraded.exit_code, 1 if self.differences else 0)


def compare_runs(pristine: RunReport, upgraded: RunReport, from_revision: str) -> UpgradeComparison:
    """Use cases whose posted results or comments differ between the two runs."""
    theirs = {v.name: v for v in upgraded.verdicts}
    differences = []
    for verdict in pristine.verdicts:
        other = theirs.get(verdict.name)
        if other is None or other.signature != verdict.signature:
            only_a = sorted(set(verdict.signature) - set(other.signature if other else ()))
            only_b = sorted(set(other.signature if other else ()) - set(verdict.signature))
            differences.append(f"{verdict.name}: pristine only {only_a}; upgraded only {only_b}")
    return UpgradeComparison(pristine, upgraded, from_revision, tuple(differences))
