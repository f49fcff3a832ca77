"""Find the first revision at which a use case fails: each candidate built in a pristine environment.

Our own loop rather than `git bisect run`: each step is an environment and a recorded run, the endpoints
are checked first (a good that fails is an error, not a search), and no checkout's state is touched."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stagingqa.environment import install, lifecycle
from stagingqa.errors import InputError
from stagingqa.runs.store import RunStore, open_store
from stagingqa.spec import Component, LoadedSpec
from stagingqa.verifier import reports
from stagingqa.verifier.session import verify
from stagingqa.verifier.usecase import named_usecase
from stagingqa.verifier.verdict import Status, Verdict


@dataclass(frozen=True)
class Tested:
    revision: str
    status: str  # passed, failed, error
    run: str


@dataclass(frozen=True)
class BisectResult:
    usecase: str
    first_bad: str
    subject: str
    failure: list[str]  # why it fails there, as verify explains it
    run: str  # the recorded run of the first bad revision
    candidates: int  # revisions between good (excluded) and bad (included)
    tested: list[Tested] = field(default_factory=list)


def bisect(
    spec: LoadedSpec,
    usecase: str,
    good: str,
    bad: str,
    progress: Callable[[Tested], None] | None = None,
    component: str | None = None,
) -> BisectResult:
    """Binary search over the first-parent history good..bad of one component (the primary one unless
    named); the other components stay at the revisions their branches had when the search began. The use
    case must pass at good and fail at bad."""
    path = named_usecase(spec.resolve(spec.spec.usecases), usecase)
    moving = spec.component(component) if component else spec.primary
    store = open_store(spec)
    good_sha, bad_sha, subjects = first_parent_history(spec, good, bad, moving)
    candidates = list(subjects)
    tested: list[Tested] = []
    verdicts: dict[str, Verdict] = {}
    pinned: dict[str, str] = {}  # the other components' revisions, fixed by the first build

    def test(sha: str) -> str:
        verdict, run_id = _verify_at(spec, store, path, {**pinned, moving.name: sha}, pinned)
        verdicts[sha] = verdict
        tested.append(Tested(sha, verdict.status, run_id))
        if progress:
            progress(tested[-1])
        if verdict.status == Status.ERROR:
            raise InputError(f"use case {usecase} has an error at {sha[:12]}: {verdict.error}")
        return verdict.status

    if test(bad_sha) != Status.FAILED:
        raise InputError(f"use case {usecase} passes at the bad revision {bad}: nothing to bisect")
    if test(good_sha) != Status.PASSED:
        raise InputError(f"use case {usecase} already fails at the good revision {good}")
    low, high = -1, len(candidates) - 1  # candidates[low] passes (-1: good), candidates[high] fails
    while high - low > 1:
        middle = (low + high) // 2
        if test(candidates[middle]) == Status.PASSED:
            low = middle
        else:
            high = middle
    first = candidates[high]
    run = next(t.run for t in tested if t.revision == first)
    return BisectResult(
        path.stem,
        first,
        subjects[first],
        reports.explanation(verdicts[first]),
        run,
        len(candidates),
        tested,
    )


def first_parent_history(
    spec: LoadedSpec, good: str, bad: str, component: Component | None = None
) -> tuple[str, str, dict[str, str]]:
    """Both ends as commit ids, and the first-parent commits after good up to bad (oldest first) with
    their subject lines, read from a temporary clone of the component's repository."""
    repository = install.repository_source(spec.repository_of(component or spec.primary), spec.state_dir)
    with tempfile.TemporaryDirectory(prefix="stagingqa-bisect-") as folder:
        src = Path(folder) / "src"
        install.clone(repository, src)
        ends = {ref: install.resolve_commit(src, ref) for ref in (good, bad)}
        missing = [ref for ref, sha in ends.items() if sha is None]
        if missing:
            raise InputError(f"revision {missing[0]!r} not found in {repository}")
        good_sha, bad_sha = ends[good] or "", ends[bad] or ""
        listed = install.run_git(
            "-C", str(src), "log", "--first-parent", "--reverse", "--format=%H %s", f"{good_sha}..{bad_sha}"
        )
    subjects = dict(line.split(" ", 1) if " " in line else (line, "") for line in listed.stdout.splitlines())
    if not subjects:
        raise InputError(f"{bad} is not a descendant of {good}: nothing to bisect")
    return good_sha, bad_sha, subjects


def _verify_at(
    spec: LoadedSpec, store: RunStore, path: Path, refs: dict[str, str], pinned: dict[str, str]
) -> tuple[Verdict, str]:
    """The use case in a pristine environment at `refs`; the first build pins the components not named."""
    with lifecycle.pristine(spec, refs) as env:
        for name, revision in env.revisions.items():
            if name not in refs:
                pinned[name] = revision
        report = verify(env, [path], store=store, trigger="bisect")
    return report.verdicts[0], report.run_id
