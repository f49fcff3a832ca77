"""Reliability figures (issue 20, docs/reliability.md): fuzzing every mock endpoint at length, the load
drill for 60 s on SQLite and PostgreSQL, and two `verify -j 4` processes against one mock host."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings

from bench.harness import start_host, stop_host, write_results
from bench.load import drill, load_world
from tests.conftest import BASIC_WORLD, down_all, write_spec
from tests.mocks.koji.strict_xmlrpc import NotXMLRPC, check_response
from tests.postgres import PostgresServer
from tests.reliability.fuzz import (
    BODHI,
    CONTROL,
    RESULTSDB,
    http_requests,
    koji_calls,
    make_client,
    problems_of,
    send,
)

EXAMPLES = 5000
LOAD_SECONDS = 60


def fuzz(examples: int = EXAMPLES) -> dict:
    client = make_client(str(BASIC_WORLD))
    figures: dict = {}
    fuzzing = settings(
        max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    for service, endpoints in (("resultsdb", RESULTSDB), ("bodhi", BODHI), ("control", CONTROL)):
        figures[service] = _fuzz_http(client, fuzzing, service, endpoints)
    statuses, problems, internal = collections.Counter(), [], 0

    @fuzzing
    @given(body=koji_calls())
    def koji(body):  # type: ignore[no-untyped-def]
        nonlocal internal
        answer = client.post("/w/fedora-basic/kojihub", data=body, headers={"Content-Type": "text/xml"})
        statuses[answer.status_code] += 1
        found = problems_of("koji", answer)
        if answer.status_code == 200:
            try:
                check_response(answer.get_data())
            except NotXMLRPC as exc:
                found.append(f"not strict XML-RPC: {exc}")
            internal += b"&lt;class '" in answer.get_data()
        problems.extend(p[:300] for p in found)

    koji()
    figures["koji"] = {
        "tried": sum(statuses.values()),
        "statuses": dict(statuses),
        "problems": problems[:20],
        "faults_from_our_own_exceptions": internal,  # a fault naming a Python class: a mock bug, answered
    }
    return figures


def _fuzz_http(client: Any, fuzzing: Any, service: str, endpoints: list[tuple[str, str]]) -> dict:
    statuses: collections.Counter = collections.Counter()
    problems: list[str] = []

    @fuzzing
    @given(request=http_requests(endpoints))
    def one(request):  # type: ignore[no-untyped-def]
        method, path, options, body = request
        answer = send(client, method, path, dict(options), body)
        statuses[answer.status_code] += 1
        problems.extend(f"{method} {path}: {p}"[:300] for p in problems_of(service, answer, path, body))

    one()
    return {"tried": sum(statuses.values()), "statuses": dict(statuses), "problems": problems[:20]}


def load(db_url: str, seconds: float = LOAD_SECONDS) -> dict:
    proc, base, _ = start_host("--db", db_url)
    try:
        assert requests.put(f"{base}/_control/worlds/load", data=json.dumps(load_world(8)), timeout=60).ok
        return drill(base, "load", seconds, writers=8)
    finally:
        stop_host(proc)


def two_verifies() -> dict:
    """Two `verify -j 4` of every shipped use case at once, in two environments on one mock host."""
    with tempfile.TemporaryDirectory(prefix="stagingqa-reliability-") as folder:
        spec = write_spec(Path(folder))
        try:
            for name in ("a", "b"):
                made = subprocess.run(
                    [sys.executable, "-m", "stagingqa", "up", "--name", name, "--spec", str(spec)],
                    capture_output=True,
                )
                assert made.returncode == 0, made.stderr
            started = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "stagingqa",
                        "verify",
                        "--env",
                        name,
                        "-j",
                        "4",
                        "--spec",
                        str(spec),
                    ],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for name in ("a", "b")
            ]
            summaries = [p.communicate()[0].strip().splitlines()[-1] for p in procs]
            return {
                "seconds": round(time.perf_counter() - started, 1),
                "exit_codes": [p.returncode for p in procs],
                "summaries": summaries,
            }
        finally:
            down_all(spec)


def run() -> dict:
    figures: dict = {"fuzz": fuzz(), "load_sqlite": load("sqlite://")}
    server = PostgresServer.find()
    if server is not None:
        server.start()
        try:
            figures["load_postgresql"] = load(server.url)
        finally:
            server.stop()
    figures["two_verifies_at_once"] = two_verifies()
    figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    write_results("reliability", figures)
    return figures
