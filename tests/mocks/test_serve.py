"""`stagingqa mocks serve` as a real process: ready line and file, errors, faults on the wire, shutdown."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import BASIC_WORLD, start_served_host


def serve_command(*args):
    return [sys.executable, "-m", "stagingqa", "mocks", "serve", *args]


def test_ready_line_and_ready_file(tmp_path):
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        serve_command("--world", str(BASIC_WORLD), "--ready-file", str(ready)),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        info = json.loads(ready.read_text())
        assert line == f"mocks: {info['base']}"
        assert info["pid"] == proc.pid and info["worlds"] == ["fedora-basic"]
        assert info["base"].startswith("http://127.0.0.1:")
        assert requests.get(info["base"] + "/_control/health", timeout=5).json() == {
            "status": "ok",
            "worlds": 1,
        }
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0


def test_sigterm_stops_within_five_seconds(tmp_path):
    proc, base = start_served_host(tmp_path, "--world", str(BASIC_WORLD))
    requests.post(
        f"{base}/_control/worlds/fedora-basic/faults",
        timeout=5,
        json={"service": "bodhi", "respond": {"delay_ms": 60000}},
    )
    slow = subprocess.Popen(["curl", "-s", "-m", "30", f"{base}/bodhi/updates/"])
    time.sleep(0.3)
    started = time.monotonic()
    proc.terminate()
    assert proc.wait(10) == 0
    assert time.monotonic() - started < 5
    slow.wait(30)


def test_port_in_use_is_a_clear_error(served):
    port = served.rsplit(":", 1)[1]
    done = subprocess.run(serve_command("--port", port), capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_world_file_is_rejected_with_line_numbers(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nbuilds:\n  - nvr: x-1-1\n    colour: red\n")
    done = subprocess.run(serve_command("--world", str(bad)), capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert f"{bad}:4: builds[0].colour: unknown field 'colour'" in done.stderr
    assert "Traceback" not in done.stderr


def test_non_loopback_needs_a_token(monkeypatch):
    monkeypatch.delenv("STAGINGQA_CONTROL_TOKEN", raising=False)
    done = subprocess.run(serve_command("--host", "0.0.0.0"), capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "STAGINGQA_CONTROL_TOKEN" in done.stderr


def test_drop_closes_the_connection_without_an_answer(fresh_world):
    base, name = fresh_world
    requests.post(
        f"{base}/_control/worlds/{name}/faults",
        timeout=5,
        json={"service": "bodhi", "path": "/updates/", "respond": {"drop": True}, "times": 1},
    )
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base}/w/{name}/bodhi/updates/", timeout=5)
    assert requests.get(f"{base}/w/{name}/bodhi/updates/", timeout=5).status_code != 599
    journal = requests.get(f"{base}/_control/worlds/{name}/journal", timeout=5).json()
    assert journal[0]["fault"] is not None and len(journal) == 2


def test_after_handling_lets_the_request_take_effect(fresh_world):
    base, name = fresh_world
    requests.post(
        f"{base}/_control/worlds/{name}/faults",
        timeout=5,
        json={"service": "kojifiles", "respond": {"status": 502, "after_handling": True}},
    )
    assert requests.get(f"{base}/w/{name}/kojifiles/packages/", timeout=5).status_code == 502
    [entry] = requests.get(f"{base}/_control/worlds/{name}/journal", timeout=5).json()
    assert entry["status"] == 502 and entry["fault"] == 1


def test_worlds_do_not_see_each_others_journal(served):
    names = [f"iso{time.monotonic_ns()}-{i}" for i in range(2)]
    for name in names:
        requests.put(f"{served}/_control/worlds/{name}", data=BASIC_WORLD.read_bytes(), timeout=10)
    requests.get(f"{served}/w/{names[0]}/bodhi/updates/", timeout=5)
    first = requests.get(f"{served}/_control/worlds/{names[0]}/journal", timeout=5).json()
    second = requests.get(f"{served}/_control/worlds/{names[1]}/journal", timeout=5).json()
    assert len(first) == 1 and second == []
    for name in names:
        assert requests.delete(f"{served}/_control/worlds/{name}", timeout=5).status_code == 204
