"""Benchmark the mock ResultsDB on a world of 10,000 results, next to the host's health ceiling."""

from __future__ import annotations

import json
import statistics
import time

import requests

from bench.harness import median_ms, requests_per_second, start_host, stop_host, write_results

RESULTS = 10_000
ROUNDS = 3  # uncached reads and the ceiling, measured in turn: the median ratio is reported


def big_world() -> dict:
    """10,000 results over 500 items, three testcases and two scenarios, a second apart."""
    results = [
        {
            "testcase": f"dist.check{i % 3}",
            "outcome": ("PASSED", "FAILED")[i % 2],
            "submitted": f"2024-11-{1 + i // 86400:02d}T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:"
            f"{i % 60:02d}Z",
            "note": "bench",
            "groups": [f"job-{i % 100}"],
            "data": {"item": f"pkg{i % 500}-1.0-1.fc41", "type": "koji_build", "scenario": f"s{i % 2}"},
        }
        for i in range(RESULTS)
    ]
    return {"name": "bench", "now": "2024-12-01T00:00:00Z", "results": results}


def uncached_against_ceiling(base: str, root: str, clients: int) -> tuple[float, float]:
    """Median uncached list reads per second, and their median ratio to the health ceiling, measured in
    turn with it ROUNDS times, so a slow spell of the machine weighs on both."""
    # an ignored _sort value gives every request its own URL: no answer comes from the memo
    uncached = f"{root}/results?limit=20&item=pkg7-1.0-1.fc41&_sort={{n}}"
    ratios, rates = [], []
    for _ in range(ROUNDS):
        ceiling = requests_per_second(f"{base}/_control/health", clients)
        rates.append(requests_per_second(uncached, clients))
        ratios.append(rates[-1] / ceiling)
    return statistics.median(rates), statistics.median(ratios)


POST_BODY = json.dumps(
    {
        "outcome": "PASSED",
        "testcase": "dist.bench",
        "groups": ["job-x"],
        "note": "n",
        "ref_url": "https://example.org/log",
        "data": {"item": "pkg1-1.0-1.fc41", "type": "koji_build", "arch": ["x86_64", "noarch"]},
    }
)


def client_figures(base: str, root: str, clients: int) -> dict:
    """With `clients` client processes: the health ceiling, memoised and uncached list reads, POSTs."""
    figures = {
        f"health_rps_{clients}": round(requests_per_second(f"{base}/_control/health", clients)),
        f"get_results_rps_{clients}": round(
            requests_per_second(f"{root}/results?limit=20&item=pkg7-1.0-1.fc41", clients)
        ),
    }
    rate, ratio = uncached_against_ceiling(base, root, clients)
    figures[f"get_results_uncached_rps_{clients}"] = round(rate)
    figures[f"get_results_uncached_vs_health_{clients}"] = round(ratio, 2)
    headers = {"Content-Type": "application/json"}
    figures[f"post_results_rps_{clients}"] = round(
        requests_per_second(f"{root}/results", clients, method="POST", body=POST_BODY, headers=headers)
    )
    return figures


def run() -> dict:
    """POST and GET rates with 1 and 4 clients, latest with _distinct_on, and the health ceiling."""
    proc, base, _ = start_host()
    try:
        started = time.perf_counter()
        loaded = requests.put(f"{base}/_control/worlds/bench", data=json.dumps(big_world()), timeout=120)
        load_s = time.perf_counter() - started
        assert loaded.status_code == 201, loaded.text
        root = f"{base}/w/bench/resultsdb/api/v2.0"
        figures: dict = {"world_load_10000_results_s": round(load_s, 2)}
        for clients in (1, 4):
            figures.update(client_figures(base, root, clients))
        session = requests.Session()
        latest = f"{root}/results/latest?item=pkg7-1.0-1.fc41&type=koji_build&_distinct_on=scenario"
        assert session.get(latest).status_code == 200
        figures["latest_distinct_on_median_ms"] = round(median_ms(lambda: session.get(latest), repeat=31), 2)
        counter = iter(range(10**6))
        figures["latest_distinct_on_uncached_median_ms"] = round(
            median_ms(lambda: session.get(f"{latest}&_sort=u{next(counter)}"), repeat=31), 2
        )
        figures["get_results_vs_health_1"] = round(figures["get_results_rps_1"] / figures["health_rps_1"], 2)
        figures["get_results_vs_health_4"] = round(figures["get_results_rps_4"] / figures["health_rps_4"], 2)
        figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    finally:
        stop_host(proc)
    write_results("resultsdb", figures)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
