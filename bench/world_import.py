"""Benchmark `stagingqa world import` (issue 19): an update of five builds and their upgrade-path
neighbours (tests/resources/worlds/import.yaml) from a local mock host, as a user runs it; the first time
with the host's RPM files not yet built (getRPMHeaders reads them), then again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, start_host, stop_host, write_results

WORLD = ROOT / "tests" / "resources" / "worlds" / "import.yaml"
UPDATE = "FEDORA-2024-1111111111"
COMMAND = [sys.executable, "-m", "stagingqa", "world", "import", "--update", UPDATE, "--results", UPDATE]


def timed_import(base: str, out: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [*COMMAND, "--mock-world", f"{base}/w/import-source", "-o", str(out), "--force", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)["data"]
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "requests": data["requests"],
        "builds": data["builds"],
    }


def run() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="stagingqa-import-bench-") as folder:
        os.environ["STAGINGQA_RPM_CACHE"] = str(Path(folder) / "rpms")
        proc, base, _ = start_host("--world", str(WORLD))
        try:
            figures["cold_rpm_files"] = timed_import(base, Path(folder) / "a.yaml")
            figures["warm"] = timed_import(base, Path(folder) / "b.yaml")
        finally:
            stop_host(proc)
            del os.environ["STAGINGQA_RPM_CACHE"]
    write_results("world_import", figures)
    return figures
