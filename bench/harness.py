"""Benchmark helpers: a served mock host, timing, and a multi-process HTTP load generator."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def start_host(*args: str) -> tuple[subprocess.Popen, str, float]:
    """Start `stagingqa mocks serve`; return the process, its base URL and seconds to the ready line."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stagingqa", "mocks", "serve", *args], stdout=subprocess.PIPE, text=True
    )
    line = proc.stdout.readline().strip()  # type: ignore[union-attr]
    elapsed = time.perf_counter() - started
    if not line.startswith("mocks: "):
        proc.kill()
        raise RuntimeError(f"mock host did not start: {line!r}")
    return proc, line.removeprefix("mocks: "), elapsed


def stop_host(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(10)


def median_ms(fn: Callable[[], object], repeat: int = 15) -> float:
    """Median wall time of `fn` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _client_loop(args: tuple[str, str, float, str | None, dict | None]) -> int:
    url, method, seconds, body, headers = args
    session = requests.Session()
    done = 0
    deadline = time.perf_counter() + seconds
    tag = f"{os.getpid()}-{time.perf_counter_ns()}"
    while time.perf_counter() < deadline:
        target = url.replace("{n}", f"{tag}-{done}")  # "{n}" makes every request's URL different
        response = session.request(method, target, data=body, headers=headers, timeout=30)
        if response.status_code >= 500:
            raise RuntimeError(f"{method} {url}: {response.status_code}")
        done += 1
    return done


def requests_per_second(
    url: str,
    clients: int,
    seconds: float = 3.0,
    method: str = "GET",
    body: str | None = None,
    headers: dict | None = None,
) -> float:
    """Requests per second `clients` separate processes achieve, each on one keep-alive connection."""
    with ProcessPoolExecutor(clients) as pool:
        _client_loop((url, method, 0.2, body, headers))  # warm up
        started = time.perf_counter()
        counts = list(pool.map(_client_loop, [(url, method, seconds, body, headers)] * clients))
        elapsed = time.perf_counter() - started
    return sum(counts) / elapsed


def write_results(name: str, figures: dict) -> Path:
    """Keep the figures as JSON under bench/results/ (not committed) and return the path."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2))
    return path


def temp_file(text: str, suffix: str = ".yaml") -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False)
    handle.write(text)
    handle.close()
    return Path(handle.name)


def rss_kib(pid: int) -> int:
    """A process's resident memory (VmRSS) in KiB."""
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
