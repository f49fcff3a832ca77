"""The floor (issue 22): the use cases' steps alone, against worlds seeded beforehand, with verify's own
parallelism and nothing else (no world made in the run, no export, no matching, no record); in the
same run, `verify -j N` of the same use cases, Buildbot's commit to verdict, and a warm `up` against
its offline floor. What verify costs beyond the steps is stagingqa's; the steps are the system's own
time, which nothing can beat. Run with PYTHONDONTWRITEBYTECODE=1, as containers and CI images are:
the figures must hold there too. Each figure and its floor are measured in turn, several times (the
floor, verify and a commit built by Buildbot, round after round), and the median of the rounds'
ratios reported: on this machine class one pair alone moved by a third from run to run."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import buildbot
from bench.harness import ROOT, write_results
from stagingqa.environment import lifecycle
from stagingqa.spec import load_spec
from stagingqa.verifier.runner import Steps, prepare_world, run_steps, step_context
from stagingqa.verifier.session import verify
from stagingqa.verifier.usecase import find_usecases, load_usecase
from tests.conftest import down_all, write_spec

JOBS = 4
ROUNDS = 5  # warm `up` and its floor, in turn
ROUNDS_WITH_BUILDBOT = 3  # the steps alone, verify, and a commit built by Buildbot, in turn


def steps_alone(env, cases) -> float:  # type: ignore[no-untyped-def]
    """Seed every world first, then time only the steps, `JOBS` use cases at a time."""
    client, runner, prepared = env.control(), Steps(), []
    for n, loaded in enumerate(cases):
        world = f"floor-{n}"
        urls = prepare_world(client, world, loaded.world_document, loaded.fault_documents)
        home = env.folder / "floor" / world
        home.mkdir(parents=True, exist_ok=True)
        values, environ = step_context(env, urls, world, home, loaded.path.parent)
        prepared.append((loaded, values, environ, home))
    started = time.perf_counter()
    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(lambda p: run_steps(env.spec, p[0].usecase.steps, p[1], p[2], p[3], runner), prepared))
    seconds = time.perf_counter() - started
    for n in range(len(cases)):
        client.delete_world(f"floor-{n}")
    shutil.rmtree(env.folder / "floor", ignore_errors=True)
    return seconds


def offline_floor(spec_path: Path, folder: Path) -> float:
    """`uv venv` and `uv pip install --offline` of the same checkout from the same warm cache."""
    src, venv = folder / "floor-src", folder / "floor-venv"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run(
        ["git", "clone", "-q", str(load_spec(spec_path).state_dir / "repos" / "autoqa"), str(src)], check=True
    )
    uv = str(Path(sys.executable).parent / "uv")
    started = time.perf_counter()
    subprocess.run([uv, "venv", "-q", str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--offline", "--python", str(venv / "bin" / "python"),
         "-c", str(ROOT / "constraints.txt"), str(src)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def warm_up_and_floor(spec, spec_path: Path, folder: Path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median seconds of a warm `up` and of its offline floor, measured in turn ROUNDS times (a single
    pair moved by half from run to run on this machine)."""
    ups, floors = [], []
    for n in range(ROUNDS):
        started = time.perf_counter()
        env = lifecycle.up(spec, name=f"warm-{n}")
        ups.append(time.perf_counter() - started)
        lifecycle.down(spec, [env.name], stop_host=False)
        floors.append(offline_floor(spec_path, folder))
    return statistics.median(ups), statistics.median(floors)


def rounds(env, cases, work: Path, figures: dict) -> tuple[list, list, list]:  # type: ignore[no-untyped-def]
    """The steps alone, verify, and a commit built by a master under `work`, in turn ROUNDS_WITH_BUILDBOT
    times (so a slow spell of the machine weighs on all three): their seconds, and each commit's
    (to build start, to verdict, to build end)."""
    floors, verifies, verdicts = [], [], []
    with buildbot.running_master(work, JOBS, figures) as (settings, repo, events):
        # a master builds commit after commit: its first build (nothing recorded yet to order the use
        # cases by, no world seeded before) is not timed, as the floor's worlds are made first
        first = buildbot.time_commit(settings, repo, 0, events)
        figures["first_build_commit_to_verdict_s"] = round(first[1], 2)
        for n in range(1, ROUNDS_WITH_BUILDBOT + 1):
            floors.append(steps_alone(env, cases))
            verifies.append(verify(env, [ROOT / "usecases"], jobs=JOBS).seconds)
            verdicts.append(buildbot.time_commit(settings, repo, n, events))
    return floors, verifies, verdicts


def median_ratio(figures: list[float], floors: list[float]) -> float:
    """The median of each round's figure over that round's floor."""
    return round(statistics.median(f / floor for f, floor in zip(figures, floors, strict=True)), 2)


def run() -> dict:
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # every process of the system, as on a CI image
    figures: dict = {"jobs": JOBS, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="stagingqa-floor-") as folder:
        spec_path = write_spec(Path(folder))
        spec = load_spec(spec_path)
        cases = [load_usecase(p) for p in find_usecases([ROOT / "usecases"])]
        figures["usecases"] = len(cases)
        try:
            lifecycle.down(spec, [lifecycle.up(spec, name="warm").name], stop_host=False)  # a warm cache
            up_s, floor_s = warm_up_and_floor(spec, spec_path, Path(folder))
            figures["warm_up_s"], figures["warm_up_offline_floor_s"] = round(up_s, 2), round(floor_s, 2)
            figures["up_over_offline_floor"] = round(up_s / floor_s, 2)
            env = lifecycle.up(spec, name="floor")
            floors, verifies, verdicts = rounds(env, cases, Path(folder) / "buildbot", figures)
        finally:
            down_all(spec_path)
        figures["steps_alone_each_s"] = [round(f, 2) for f in floors]
        figures["steps_alone_s"] = round(statistics.median(floors), 2)
        figures["verify_each_s"] = [round(v, 2) for v in verifies]
        figures["verify_s"] = round(statistics.median(verifies), 2)
        figures["verify_over_floor"] = median_ratio(verifies, floors)
        to_verdict = [timed[1] for timed in verdicts]
        figures["commit_to_verdict_each_s"] = [round(v, 2) for v in to_verdict]
        figures["commit_to_verdict_s"] = round(statistics.median(to_verdict), 2)
        figures["commit_to_build_start_s"] = round(statistics.median(timed[0] for timed in verdicts), 2)
        figures["verdict_over_floor"] = median_ratio(to_verdict, floors)
        figures["buildbot_step_s"] = buildbot.step_medians()
    write_results("floor", figures)
    return figures
