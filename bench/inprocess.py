"""Benchmark the mocks in process (stagingqa.testing, issue 18) side by side with the host over HTTP:
entering and leaving `fedora_mocks` with examples/worlds/fedora-basic.yaml, and a `getBuild` through the
real koji client both ways."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from types import ModuleType

import requests

from bench.harness import ROOT, median_ms, start_host, stop_host, write_results
from stagingqa.testing import fedora_mocks

WORLD = ROOT / "examples" / "worlds" / "fedora-basic.yaml"
NVR = "htop-3.3.0-1.fc41"


def real_koji() -> ModuleType:
    """The koji client library: under bench/, a bare `import koji` finds the Koji benchmark."""
    here = Path(__file__).resolve().parent
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    try:
        return importlib.import_module("koji")
    finally:
        sys.path[:] = saved


def enter_and_leave() -> None:
    with fedora_mocks(WORLD):
        pass


def run() -> dict:
    koji = real_koji()
    figures: dict = {}
    started = time.perf_counter()
    enter_and_leave()  # the first one makes the services' apps, once per process
    figures["first_enter_leave_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["enter_leave_ms_median"] = round(median_ms(enter_and_leave, repeat=50), 2)
    with fedora_mocks(WORLD) as fedora:
        session = koji.ClientSession(fedora.urls["koji"])
        session.getBuild(NVR, strict=True)
        figures["getbuild_inprocess_ms_median"] = round(median_ms(lambda: session.getBuild(NVR), 300), 3)
        web = requests.Session()
        results = fedora.urls["resultsdb"] + "/results"
        figures["resultsdb_get_inprocess_ms_median"] = round(median_ms(lambda: web.get(results), 300), 3)
    proc, base, _ = start_host("--world", str(WORLD))
    try:
        session = koji.ClientSession(f"{base}/w/fedora-basic/kojihub")
        session.getBuild(NVR, strict=True)
        figures["getbuild_http_ms_median"] = round(median_ms(lambda: session.getBuild(NVR), 300), 3)
        web = requests.Session()
        results = f"{base}/w/fedora-basic/resultsdb/api/v2.0/results"
        figures["resultsdb_get_http_ms_median"] = round(median_ms(lambda: web.get(results), 300), 3)
    finally:
        stop_host(proc)
    write_results("inprocess", figures)
    return figures
