"""Benchmark the mock Koji hub: getBuild, listTagged(latest=True), a 20-call multicall, RPM files."""

from __future__ import annotations

import json
import os
import tempfile
import time
import xmlrpc.client

import requests

from bench.harness import requests_per_second, start_host, stop_host, write_results

BUILDS, TAGS = 2000, 20


def big_world(builds: int = BUILDS, tags: int = TAGS, name: str = "kojibench") -> dict:
    """`builds` builds of 200 packages, each tagged into one or two of `tags` tags."""
    items = []
    for i in range(builds):
        package = f"pkg{i % 200}"
        items.append(
            {
                "nvr": f"{package}-1.{i}-1.fc41",
                "tags": sorted({f"bench{i % tags}", f"bench{(i * 7) % tags}"}),
                "rpms": [{"arch": "x86_64", "requires": [f"lib{i % 13}"]}, {"arch": "src"}],
            }
        )
    return {
        "name": name,
        "now": "2024-11-02T12:00:00Z",
        "releases": [{"name": "F41", "version": "41"}],
        "tags": [{"name": f"bench{n}"} for n in range(tags)],
        "builds": items,
    }


def call_body(method: str, *params: object) -> str:
    return xmlrpc.client.dumps(params, method, allow_none=True)


def rpm_build_times() -> dict:
    """Make every RPM file of a 50-build world with an empty cache, then again with the cache filled."""
    from stagingqa.mocks.koji.artifacts import ensure_world_files
    from stagingqa.mocks.serve import build_host
    from stagingqa.world.loader import validate
    from stagingqa.world.source import Located

    figures = {}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["STAGINGQA_RPM_CACHE"] = cache
        world = validate(Located(big_world(50, 5, "rpms50"), {(): ("bench", 1)}))
        for label in ("cold", "warm"):
            host = build_host([world])
            started = time.perf_counter()
            count = ensure_world_files(host.registry.get("rpms50"))
            figures[f"rpms_50_builds_{label}_s"] = round(time.perf_counter() - started, 2)
            figures["rpm_files"] = count
            host.registry.close()
        del os.environ["STAGINGQA_RPM_CACHE"]
    return figures


def run() -> dict:
    proc, base, _ = start_host()
    try:
        started = time.perf_counter()
        assert (
            requests.put(
                f"{base}/_control/worlds/kojibench", data=json.dumps(big_world()), timeout=300
            ).status_code
            == 201
        )
        figures: dict = {"world_load_2000_builds_s": round(time.perf_counter() - started, 2)}
        hub = f"{base}/w/kojibench/kojihub"
        headers = {"Content-Type": "text/xml"}
        bodies = {
            "get_build": call_body("getBuild", "pkg7-1.1007-1.fc41"),
            "list_tagged_latest": call_body("listTagged", "bench3", {"__starstar": True, "latest": True}),
            "multicall_20": call_body(
                "multiCall",
                [{"methodName": "getBuild", "params": [f"pkg{i}-1.{i}-1.fc41"]} for i in range(20)],
            ),
        }
        for clients in (1, 4):
            figures[f"health_rps_{clients}"] = round(requests_per_second(f"{base}/_control/health", clients))
            for label, body in bodies.items():
                figures[f"{label}_per_s_{clients}"] = round(
                    requests_per_second(hub, clients, method="POST", body=body, headers=headers)
                )
        figures["multicall_20_calls_per_s_1"] = figures["multicall_20_per_s_1"] * 20
        figures["multicall_20_calls_per_s_4"] = figures["multicall_20_per_s_4"] * 20
    finally:
        stop_host(proc)
    figures.update(rpm_build_times())
    figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    write_results("koji", figures)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
