"""The load drill, bounded (bench/reliability.py runs it for 60 s): writers to ResultsDB, Bodhi and Koji
of one world at once, on SQLite and on PostgreSQL; every write acknowledged is stored, once."""

from __future__ import annotations

import json

import requests

from bench.load import drill, load_world
from tests.conftest import start_served_host


def test_concurrent_writers_lose_nothing_and_store_nothing_twice(db_url, tmp_path):
    proc, base = start_served_host(tmp_path, "--db", db_url)
    try:
        put = requests.put(f"{base}/_control/worlds/load", data=json.dumps(load_world(4)), timeout=60)
        assert put.status_code == 201, put.text
        report = drill(base, "load", seconds=3, writers=4)
    finally:
        proc.terminate()
        proc.wait(10)
    for service, figures in report.items():
        assert figures["acknowledged"] > 10, (service, figures)
        assert figures["lost"] == 0 and figures["twice"] == 0, (service, figures)
