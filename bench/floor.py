"""The floor (issue 22): the use cases' steps alone, against worlds seeded beforehand, with verify's own
parallelism and nothing else (no world made in the run, no export, no matching, no record); in the
same run, `verify -j N` of the same use cases, Buildbot's commit to verdict, and a warm `up` against
its offline floor. What verify costs beyond the steps is stagingqa's; the steps are the system's own
time, which nothing can beat. Run with PYTHONDONTWRITEBYTECODE=1, as containers and CI images are:
the figures must hold there too."""

from __future__ import annotations

import os
import shutil
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
    src = folder / "floor-src"
    subprocess.run(
        ["git", "clone", "-q", str(load_spec(spec_path).state_dir / "repos" / "autoqa"), str(src)], check=True
    )
    uv = str(Path(sys.executable).parent / "uv")
    started = time.perf_counter()
    subprocess.run([uv, "venv", "-q", str(folder / "floor-venv")], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--offline", "--python", str(folder / "floor-venv" / "bin" / "python"),
         "-c", str(ROOT / "constraints.txt"), str(src)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def run(commits: int = 2) -> dict:
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # every process of the system, as on a CI image
    figures: dict = {"jobs": JOBS, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="stagingqa-floor-") as folder:
        spec_path = write_spec(Path(folder))
        spec = load_spec(spec_path)
        cases = [load_usecase(p) for p in find_usecases([ROOT / "usecases"])]
        figures["usecases"] = len(cases)
        try:
            lifecycle.down(spec, [lifecycle.up(spec, name="warm").name], stop_host=False)  # a warm cache
            started = time.perf_counter()
            env = lifecycle.up(spec, name="floor")
            figures["warm_up_s"] = round(time.perf_counter() - started, 2)
            figures["warm_up_offline_floor_s"] = round(offline_floor(spec_path, Path(folder)), 2)
            figures["steps_alone_s"] = round(steps_alone(env, cases), 2)
            report = verify(env, [ROOT / "usecases"], jobs=JOBS)
            figures["verify_s"] = round(report.seconds, 2)
            figures["verify_over_floor"] = round(report.seconds / figures["steps_alone_s"], 2)
            figures["up_over_offline_floor"] = round(
                figures["warm_up_s"] / figures["warm_up_offline_floor_s"], 2
            )
        finally:
            down_all(spec_path)
        master = buildbot.measure(Path(folder) / "buildbot", commits, JOBS)
        figures["commit_to_verdict_s"] = master["commit_to_verdict_s"]
        figures["commit_to_build_start_s"] = master["commit_to_build_start_s"]
        figures["verdict_over_floor"] = round(master["commit_to_verdict_s"] / figures["steps_alone_s"], 2)
    write_results("floor", figures)
    return figures
