"""Benchmark the mock host: start to ready, world load and reset (200 builds), health ceiling."""

from __future__ import annotations

import json
import statistics
import time

import requests

from bench.harness import ROOT, median_ms, requests_per_second, start_host, stop_host, write_results
from tests.worldgen import generated_world_document

BASIC = str(ROOT / "examples" / "worlds" / "fedora-basic.yaml")


def run() -> dict:
    """Every figure issue 2 asks for, measured in one run."""
    starts = []
    for _ in range(5):
        proc, base, elapsed = start_host("--world", BASIC)
        starts.append(elapsed)
        stop_host(proc)
    proc, base, _ = start_host("--world", BASIC)
    try:
        body = json.dumps(generated_world_document(200, "big"))
        session = requests.Session()
        load = median_ms(lambda: _ok(session.put(f"{base}/_control/worlds/big", data=body), 201), repeat=9)
        reset = median_ms(lambda: _ok(session.post(f"{base}/_control/worlds/big/reset"), 200), repeat=21)
        health = {n: requests_per_second(f"{base}/_control/health", n) for n in (1, 4)}
    finally:
        stop_host(proc)
    figures = {
        "start_to_ready_s": round(statistics.median(starts), 3),
        "world_load_200_builds_ms": round(load, 1),
        "world_reset_200_builds_ms": round(reset, 1),
        "health_rps_1_client": round(health[1]),
        "health_rps_4_clients": round(health[4]),
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    write_results("mock_host", figures)
    return figures


def _ok(response: requests.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.url}: {response.status_code} {response.text[:200]}"
        )


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
