"""`stagingqa world import` against a mock host world: what it writes reproduces what it read (the
update, its builds with their RPMs, their upgrade-path neighbours, the results), importing that again
gives the same file (ids aside), and bad input leaves nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import requests
import yaml

from stagingqa.world import load_world
from stagingqa.world.model import World
from tests.conftest import RESOURCES

SOURCE = RESOURCES / "worlds" / "import.yaml"
UPDATE = "FEDORA-2024-1111111111"
NEIGHBOURS = {"alpha-1.0-1.fc41", "beta-1.9-1.fc41", "alpha-1.2-1.fc42", "delta-1.0-1.fc42"}


def put_world(base: str, text: str) -> str:
    name = f"imp{time.monotonic_ns()}"
    assert requests.put(f"{base}/_control/worlds/{name}", data=text.encode(), timeout=30).status_code == 201
    return f"{base}/w/{name}"


def world_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", "world", "import", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def imported(base: str, out: Path, *extra: str) -> dict:
    done = world_import(
        "--mock-world", base, "--update", UPDATE, "--results", UPDATE, "-o", str(out), "--json", *extra
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)["data"]


def rpm_facts(world: World) -> dict[tuple[str, str, str], tuple]:
    """Each RPM's summary, license and dependency sets, keyed by build, arch and name."""
    return {
        (b.nvr, r.arch, r.name or b.name): (
            r.summary,
            r.license,
            frozenset(r.requires),
            frozenset(r.provides),
            frozenset(r.obsoletes),
            frozenset(r.conflicts),
        )
        for b in world.builds
        for r in b.rpms or []
    }


def test_an_update_imported_from_a_mock_host_reproduces_it_and_imports_the_same_again(served, tmp_path):
    source = load_world(SOURCE)
    base = put_world(served, SOURCE.read_text())
    first = imported(base, tmp_path / "first.yaml")
    assert first["requests"] < 60 and first["builds"] == 9 and first["results"] == 2
    assert not (tmp_path / "first.yaml.import-cache").exists()  # removed after a whole import
    world = load_world(tmp_path / "first.yaml")  # it validates
    assert {b.nvr for b in world.builds} == {b.nvr for b in source.builds}  # the neighbours came along
    assert NEIGHBOURS <= {b.nvr for b in world.builds}
    assert [r.name for r in world.releases] == ["F41", "F42"]  # F40 is older: not a neighbour
    by_nvr = {b.nvr: b for b in world.builds}
    for build in source.builds:
        got = by_nvr[build.nvr]
        assert (got.epoch, got.owner, got.state, sorted(got.tags)) == (
            build.epoch,
            build.owner,
            build.state,
            sorted(build.tags),
        )
    assert by_nvr["alpha-1.1-1.fc41"].completed == source.builds[0].completed
    assert rpm_facts(world) == rpm_facts(source)
    gamma_requires = by_nvr["delta-0.9-1.fc41"].rpms[0]
    assert gamma_requires.files == ["/usr/bin/delta-run"]  # a file some RPM requires is kept
    [update] = world.updates
    [original] = source.updates
    for field in (
        "release",
        "builds",
        "type",
        "severity",
        "status",
        "request",
        "submitter",
        "submitted",
        "notes",
        "bugs",
    ):
        assert getattr(update, field) == getattr(original, field), field
    assert [c.model_dump() for c in update.comments] == [c.model_dump() for c in original.comments]
    assert update.karma == 1
    assert [
        (r.testcase, r.outcome, r.submitted, r.note, r.ref_url, set(r.groups), r.data) for r in world.results
    ] == [
        (r.testcase, r.outcome, r.submitted, r.note, r.ref_url, set(r.groups), r.data) for r in source.results
    ]
    # what it wrote, served and imported again, is what it wrote
    again = put_world(served, (tmp_path / "first.yaml").read_text())
    second = imported(again, tmp_path / "second.yaml", "--name", "first")
    assert second["builds"] == 9
    one, two = (yaml.safe_load((tmp_path / f).read_text()) for f in ("first.yaml", "second.yaml"))
    for doc in (one, two):
        del doc["description"], doc["now"]
    assert two == one


def test_unknown_update_or_build_is_named_and_nothing_is_written(served, tmp_path):
    base = put_world(served, SOURCE.read_text())
    out = tmp_path / "w.yaml"
    missing = world_import("--mock-world", base, "--update", "FEDORA-2024-0000000000", "-o", str(out))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert f"no update 'FEDORA-2024-0000000000' in Bodhi at {base}/bodhi/" in missing.stderr
    nobuild = world_import("--mock-world", base, "--build", "nope-1-1.fc41", "-o", str(out))
    assert nobuild.returncode == 2 and f"no build 'nope-1-1.fc41' in Koji at {base}/kojihub" in nobuild.stderr
    assert not out.exists()
    nothing = world_import("--mock-world", base, "-o", str(out))
    assert nothing.returncode == 2 and "name something to import" in nothing.stderr
    out.write_text("kept\n")
    exists = world_import("--mock-world", base, "--update", UPDATE, "-o", str(out))
    assert exists.returncode == 2 and "give --force" in exists.stderr and out.read_text() == "kept\n"


def test_a_failing_service_is_retried_then_named_and_the_import_resumes_from_its_cache(served, tmp_path):
    base = put_world(served, SOURCE.read_text())
    control = base.replace("/w/", "/_control/worlds/")
    out = tmp_path / "w.yaml"
    flaky = {
        "service": "bodhi",
        "method": "GET",
        "path": f"/updates/{UPDATE}",
        "times": 1,
        "respond": {"status": 503},
    }
    assert requests.post(f"{control}/faults", json=flaky, timeout=10).ok
    retried = imported(base, out)
    assert retried["updates"] == 1  # the 503 was retried
    down = {"service": "koji", "times": 50, "respond": {"status": 502}}
    assert requests.post(f"{control}/faults", json=down, timeout=10).ok
    failed = world_import(
        "--mock-world", base, "--update", UPDATE, "-o", str(tmp_path / "x.yaml"), "--retries", "2"
    )
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert f"koji at {base.split('/w/')[0]}: answered 502 (tried 2 times)" in failed.stderr
    assert not (tmp_path / "x.yaml").exists() and (tmp_path / "x.yaml.import-cache").exists()
    assert requests.delete(f"{control}/faults", timeout=10).ok
    slow = {"service": "resultsdb", "times": 1, "respond": {"delay_ms": 1500}}
    assert requests.post(f"{control}/faults", json=slow, timeout=10).ok
    late = world_import(
        "--mock-world",
        base,
        "--results",
        UPDATE,
        "-o",
        str(tmp_path / "y.yaml"),
        "--retries",
        "1",
        "--timeout",
        "0.5",
    )
    assert (
        late.returncode == 1
        and "resultsdb at" in late.stderr
        and "no answer within 0.5 s (tried once)" in late.stderr
    )
    resumed = imported(base, tmp_path / "x.yaml")
    assert resumed["cached"] >= 2  # Bodhi's answers were not asked for again
    assert not (tmp_path / "x.yaml.import-cache").exists()
