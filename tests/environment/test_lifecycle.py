"""stagingqa up / status / list / down / gc on examples/autoqa, as real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from stagingqa.environment.processes import alive, group_alive
from stagingqa.examplerepo import git
from tests.environment.conftest import CONSTRAINTS, host, stagingqa, worlds, write_spec


def test_pristine_and_upgraded_environments_side_by_side(cli, spec_path):
    first = cli("up", "--name", "head", "--json")
    assert first.returncode == 0, first.stderr
    head = json.loads(first.stdout)["data"]
    repo = spec_path.parent / "state" / "repos" / "autoqa"
    buggy = git(repo, "rev-parse", "master~3")
    second = cli("up", "--name", "old", "--ref", buggy, "--json")
    assert second.returncode == 0, second.stderr
    old = json.loads(second.stdout)["data"]
    assert head["revision"] != old["revision"] == buggy
    assert head["urls"]["koji"].endswith("/w/env-head/kojihub") and old["world"] == "env-old"
    assert set(head["steps"]) == {"clone", "venv", "world", "install", "ready"}
    # byte-compiled at install: the system's processes import bytecode even with PYTHONDONTWRITEBYTECODE
    site = next(Path(old["path"]).glob("venv/lib/python*/site-packages"))
    assert list((site / "koji" / "__pycache__").glob("*.pyc"))
    assert list(Path(old["path"], "src", "autoqa", "__pycache__").glob("*.pyc"))
    listed = json.loads(cli("list", "--json").stdout)["data"]
    assert [e["name"] for e in listed] == ["head", "old"]
    base = host(spec_path)["base"]
    assert {"env-head", "env-old"} <= set(worlds(base))
    # the environment's own venv runs the system, wired to its world
    env = {**os.environ, **old["environment"]}
    version = subprocess.run(
        [f"{old['path']}/venv/bin/autoqa", "--version"], env=env, capture_output=True, text=True
    )
    assert version.returncode == 0 and "autoqa" in version.stdout
    # an upgrade keeps the world's state
    requests.post(
        f"{old['urls']['resultsdb']}/results",
        timeout=5,
        json={"outcome": "PASSED", "testcase": "kept.across.upgrade"},
    )
    upgraded = cli("up", "--upgrade", "old", "--json")
    assert upgraded.returncode == 0, upgraded.stderr
    assert json.loads(upgraded.stdout)["data"]["revision"] == head["revision"]
    kept = requests.get(f"{old['urls']['resultsdb']}/results?testcases=kept.across.upgrade", timeout=5).json()
    assert len(kept["data"]) == 1
    assert json.loads(cli("status", "old", "--json").stdout)["data"]["revision"] == head["revision"]
    spec_path.write_text(spec_path.read_text().replace("ttl: 1h", "ttl: 2h"))
    assert json.loads(cli("status", "old", "--json").stdout)["data"]["spec_changed"] is True
    assert "the spec changed since it was made" in cli("status", "old").stdout


def test_down_and_gc_leave_nothing_behind(cli, spec_path):
    assert cli("up", "--name", "one").returncode == 0
    assert cli("up", "--name", "two").returncode == 0
    recorded = host(spec_path)
    assert alive(recorded["pid"])
    assert cli("down", "one").stdout.strip() == "removed: one"
    assert not (spec_path.parent / "state" / "envs" / "one").exists()
    assert "env-one" not in worlds(recorded["base"])
    assert cli("gc", "--older-than", "1h").stdout.strip() == "removed: nothing"
    assert cli("gc", "--older-than", "0s").stdout.strip() == "removed: two"
    time.sleep(0.2)
    assert not alive(recorded["pid"]) and host(spec_path) is None
    assert list((spec_path.parent / "state" / "envs").iterdir()) == []


def test_down_keep_host_leaves_the_host_for_the_next_environment(cli, spec_path):
    assert cli("up", "--name", "one").returncode == 0
    first = host(spec_path)
    assert cli("down", "--keep-host", "one").stdout.strip() == "removed: one"
    assert alive(first["pid"]) and host(spec_path) == first  # Buildbot's next build does not wait for it
    assert cli("up", "--name", "two").returncode == 0
    assert host(spec_path)["pid"] == first["pid"]
    assert cli("down", "--keep-host", "two").returncode == 0
    assert cli("gc").stdout.strip() == "removed: nothing"  # and gc stops the host nobody uses
    time.sleep(0.2)
    assert not alive(first["pid"]) and host(spec_path) is None


def test_kill_9_during_up_then_gc(tmp_path):
    spec = write_spec(tmp_path, install="sleep 60")
    proc = subprocess.Popen(
        [sys.executable, "-m", "stagingqa", "up", "--name", "killed", "--spec", str(spec)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env_json = tmp_path / "state" / "envs" / "killed" / "env.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if env_json.exists() and json.loads(env_json.read_text())["process_groups"]:
            break
        time.sleep(0.05)
    pgid = json.loads(env_json.read_text())["process_groups"][0]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert group_alive(pgid)  # the install command outlived the killed stagingqa
    done = stagingqa("gc", "--spec", str(spec))
    assert done.stdout.strip() == "removed: killed"
    assert not group_alive(pgid) and not env_json.parent.exists() and host(spec) is None


def test_bad_inputs_leave_nothing(cli, spec_path, tmp_path):
    missing = cli("up", "--name", "x", "--ref", "no-such-branch")
    assert missing.returncode == 2 and "revision 'no-such-branch' not found" in missing.stderr
    (tmp_path / "elsewhere").mkdir()
    bad_repo = write_spec(tmp_path / "elsewhere", repository=str(tmp_path / "nowhere"))
    cloned = stagingqa("up", "--spec", str(bad_repo))
    assert cloned.returncode == 2 and "cannot clone" in cloned.stderr
    (tmp_path / "broken").mkdir()
    broken = write_spec(tmp_path / "broken", install="echo building; exit 3")
    failed = stagingqa("up", "--name", "b", "--spec", str(broken))
    assert failed.returncode == 1 and "install command failed (exit 3)" in failed.stderr
    assert "building" in failed.stderr and "Traceback" not in failed.stderr
    assert not (tmp_path / "broken" / "state" / "envs" / "b").exists()
    assert cli("up", "--name", "dup").returncode == 0
    again = cli("up", "--name", "dup")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert [e["name"] for e in json.loads(cli("list", "--json").stdout)["data"]] == ["dup"]


def test_concurrent_ups_get_their_own_names_and_share_one_host(cli, spec_path):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "stagingqa", "up", "--json", "--spec", str(spec_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    names = sorted(json.loads(out)["data"]["name"] for out, _ in results)
    assert names == ["autoqa-1", "autoqa-2", "autoqa-3"]
    bases = {json.loads(out)["data"]["urls"]["koji"].split("/w/")[0] for out, _ in results}
    assert len(bases) == 1


def test_installs_use_the_specs_constraints_the_versions_bootstrap_cached(cli, spec_path):
    made = cli("up", "--name", "pinned", "--json")
    assert made.returncode == 0, made.stderr
    env = json.loads(made.stdout)["data"]
    pins = dict(
        line.split("==", 1)
        for line in CONSTRAINTS.read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    for package in ("koji", "requests-gssapi", "bodhi-client"):
        version = subprocess.run(
            [
                f"{env['path']}/venv/bin/python",
                "-c",
                f"import importlib.metadata as m; print(m.version({package!r}))",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert version == pins[package], package
    spec_path.write_text(spec_path.read_text().replace(str(CONSTRAINTS), "missing-constraints.txt"))
    refused = cli("up", "--name", "unpinned")
    assert (
        refused.returncode == 2
        and "system.constraints:" in refused.stderr
        and "is not a file" in refused.stderr
    )
