"""Benchmark `stagingqa up --pristine` for examples/autoqa: cold and warm, against a bare uv install, and
the memory one idle environment costs."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import rss_kib, write_results
from tests.conftest import write_spec  # the repository's spec with absolute paths, as the tests use it


def timed_up(spec: Path, env: dict[str, str], name: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "stagingqa", "up", "--name", name, "--json", "--spec", str(spec)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return elapsed, json.loads(done.stdout)["data"]


def bare_install(src: str, env: dict[str, str], folder: Path) -> float:
    """uv venv + uv pip install of the same source, nothing else."""
    uv = str(Path(sys.executable).parent / "uv")
    started = time.perf_counter()
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(folder / "bare")], check=True, env=env)
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(folder / "bare/bin/python"), src], check=True, env=env
    )
    return time.perf_counter() - started


def run() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="stagingqa-bench-") as folder:
        work = Path(folder)
        spec = write_spec(work)
        env = {**os.environ, "UV_CACHE_DIR": str(work / "uv-cache")}  # an empty cache: the cold case
        figures["up_cold_s"], first = timed_up(spec, env, "cold")
        warm_runs = [timed_up(spec, env, name) for name in ("warm", "warm2", "warm3")]
        figures["up_warm_s"] = statistics.median(seconds for seconds, _ in warm_runs)
        warm = warm_runs[0][1]
        figures["bare_uv_venv_and_install_s"] = statistics.median(
            bare_install(first["path"] + "/src", env, work / f"bare{n}") for n in range(3)
        )
        figures["warm_over_bare"] = round(figures["up_warm_s"] / figures["bare_uv_venv_and_install_s"], 2)
        figures["warm_steps_s"] = warm["steps"]
        host = json.loads((work / "state" / "mockhost" / "host.json").read_text())
        before = rss_kib(host["pid"])
        for n in range(5):
            timed_up(spec, env, f"idle{n}")
        per_env_kib = (rss_kib(host["pid"]) - before) / 5
        figures["mock_host_rss_mib"] = round(rss_kib(host["pid"]) / 1024, 1)
        figures["idle_environment_mib"] = round(per_env_kib / 1024, 2)
        figures["environments_in_4_gib"] = int((4 * 1024 * 1024 - before) / max(per_env_kib, 1))
        figures["environment_disk_mib"] = round(
            sum(f.stat().st_size for f in (work / "state/envs/warm").rglob("*") if f.is_file()) / 2**20,
            1,
        )
        subprocess.run(
            [sys.executable, "-m", "stagingqa", "down", "--all", "--spec", str(spec)], capture_output=True
        )
        shutil.rmtree(work / "uv-cache", ignore_errors=True)
    figures = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in figures.items()}
    figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    write_results("environments", figures)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
