"""Staging a system stagingqa was not written around: minitron's runner and checks in two repositories,
settings in a file, rpm from the distribution. Staged, verified four at a time with every result in its
own world, bisected over its checks component, guarded against steps that change what use cases share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.systems.minitron import USECASES, make_minitron, write_staging

pytestmark = pytest.mark.skipif(
    subprocess.run(["/usr/bin/python3", "-c", "import rpm"], capture_output=True).returncode != 0,
    reason="needs the distribution's python3-rpm (scripts/bootstrap test installs it)",
)


def stagingqa(spec: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args, "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def minitron(tmp_path_factory):
    folder = tmp_path_factory.mktemp("minitron")
    system = make_minitron(folder / "repos")
    spec = write_staging(folder, system)
    yield spec, system
    stagingqa(spec, "down", "--all")


def test_two_repositories_one_venv_the_systems_rpm(minitron):
    spec, system = minitron
    done = stagingqa(spec, "up", "--name", "both", "--ref", f"checks={system.good}", "--json")
    assert done.returncode == 0, done.stderr
    env = json.loads(done.stdout)["data"]
    runner_head = subprocess.run(
        ["git", "-C", str(system.runner), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert env["components"]["runner"]["revision"] == runner_head == env["revision"]
    assert env["components"]["checks"] == {
        "repository": str(system.checks),
        "ref": system.good,
        "revision": system.good,
    }
    assert (Path(env["path"]) / "components" / "checks" / "upgradepath.py").exists()
    version = subprocess.run(
        [f"{env['path']}/venv/bin/minitron", "version"], capture_output=True, text=True, cwd=env["path"]
    )
    assert version.returncode == 0 and "rpm 4." in version.stdout, version.stderr
    assert env["notes"] == []  # the interpreter is the distribution's: no mismatch to report
    # an editable install: run from anywhere, the system finds its default settings in its checkout
    defaults = subprocess.run(
        [
            f"{env['path']}/venv/bin/python",
            "-c",
            "from minitron.cli import settings; print(settings()['bodhi'])",
        ],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert defaults.stdout.strip() == "https://bodhi.fedoraproject.org/", defaults.stderr
    assert stagingqa(spec, "down", "both").returncode == 0


def test_verified_four_at_a_time_each_in_its_own_world(minitron):
    spec, system = minitron
    done = stagingqa(spec, "verify", "-j", "4", "--ref", f"checks={system.good}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed, 0 failed, 0 errors" in done.stdout
    shown = stagingqa(spec, "runs", "show", "latest", "--json")
    run = json.loads(shown.stdout)["data"]
    assert run["revisions"]["checks"] == system.good
    items = {name: item for name, _, item, _ in USECASES}
    assert sorted(case["name"] for case in run["usecases"]) == sorted(items)
    for case in run["usecases"]:
        # its own settings file pointed its one result at its own world, not at a neighbour's
        [posted] = case["state_after"]["results"]
        assert posted["data"]["item"] == [items[case["name"]]]
        assert case["results"] == [posted]
    text = stagingqa(spec, "runs", "show", "latest").stdout
    assert f"component checks at {system.good}" in text


def test_the_buggy_checks_fail_and_bisect_finds_the_commit(minitron):
    spec, system = minitron
    at_head = stagingqa(spec, "verify", "-j", "4")
    assert at_head.returncode == 1
    assert "FAILED  tool-1-10-is-newer" in at_head.stdout and "3 passed, 1 failed" in at_head.stdout
    found = stagingqa(
        spec,
        "bisect",
        "--usecase",
        "tool-1-10-is-newer",
        "--component",
        "checks",
        "--good",
        system.good,
        "--bad",
        "master",
        "--json",
    )
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)["data"]
    assert (
        result["first_bad"] == system.bug and result["subject"] == "upgradepath: simpler version comparison"
    )


def test_a_step_that_changes_the_checkout_is_an_error_naming_it(minitron, tmp_path):
    spec, _ = minitron
    watched = tmp_path / "var"
    watched.mkdir()
    text = spec.read_text().replace("  triggers:", f"  watch_paths: [{watched}]\n  triggers:")
    spec.write_text(text)
    case = tmp_path / "writes.yaml"
    case.write_text(
        f"name: writes\nworld: {{base: {spec.parent / 'world.yaml'}}}\nsteps:\n"
        "  - command: 'echo changed > {src:runner}/conf/local.yaml'\n"
        f"  - command: 'touch {watched}/spool-file'\n"
    )
    done = stagingqa(spec, "verify", str(case))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "ERROR   writes" in done.stdout
    assert "use cases running in parallel are not isolated" in done.stdout
    assert "checkout runner: + ?? conf/local.yaml" in done.stdout
    assert f"files created in watched folders:\n    {watched}/spool-file" in done.stdout


def test_a_venv_without_the_distributions_interpreter_says_so(minitron, tmp_path):
    spec, _ = minitron
    if os.path.realpath(sys.executable) == os.path.realpath("/usr/bin/python3"):
        pytest.skip("stagingqa itself runs on the distribution's interpreter")
    other = tmp_path / "staging.yaml"
    other.write_text(
        spec.read_text()
        .replace("  python: /usr/bin/python3", "")
        .replace(f"{spec.parent}/state", f"{tmp_path}/state")
    )
    done = stagingqa(other, "up", "--name", "mismatch")
    assert done.returncode == 1
    assert "system.site_packages gives the venv the packages of" in done.stderr
    assert "set system.python: /usr/bin/python3" in done.stderr
