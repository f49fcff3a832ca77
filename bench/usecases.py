"""Benchmark `stagingqa verify` over every use case on one warm environment: -j 1 and -j 4, and the
verifier's own overhead per use case (world create, faults, observe, check, delete: all but the steps)."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from bench.harness import ROOT, write_results
from tests.conftest import write_spec


def run() -> dict:
    from stagingqa.environment import lifecycle
    from stagingqa.spec import load_spec
    from stagingqa.verifier.session import verify

    figures: dict = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="stagingqa-bench-") as folder:
        path = write_spec(Path(folder))
        spec = load_spec(path)
        with lifecycle.pristine(spec) as env:
            targets = [ROOT / "usecases"]
            verify(env, targets, jobs=4)  # warm: rpm cache, imports, the venv's page cache
            for jobs in (1, 4):
                report = verify(env, targets, jobs=jobs)
                assert report.exit_code == 0, report.summary
                figures[f"usecases_j{jobs}_s"] = round(report.seconds, 2)
                figures["usecases"] = len(report.verdicts)
                if jobs == 1:
                    overheads = [v.seconds - sum(s.seconds for s in v.steps) for v in report.verdicts]
                    figures["verifier_overhead_median_ms"] = round(statistics.median(overheads) * 1000, 1)
                    figures["verifier_overhead_max_ms"] = round(max(overheads) * 1000, 1)
                    figures["steps_median_s"] = round(
                        statistics.median(sum(s.seconds for s in v.steps) for v in report.verdicts), 2
                    )
    write_results("usecases", figures)
    return figures
