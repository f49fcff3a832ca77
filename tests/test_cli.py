"""The command line: help, version, exit codes, and no tracebacks for user errors."""

from __future__ import annotations

import subprocess
import sys

from stagingqa import __version__
from tests.conftest import BASIC_WORLD, RESOURCES


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args], capture_output=True, text=True, timeout=60
    )


def test_help_lists_the_commands():
    done = run("--help")
    assert done.returncode == 0
    assert "mocks" in done.stdout and "world" in done.stdout and "Exit status" in done.stdout


def test_version():
    done = run("--version")
    assert done.returncode == 0 and __version__ in done.stdout


def test_usage_errors_exit_2():
    done = run("no-such-command")
    assert done.returncode == 2 and "No such command" in done.stderr
    assert run("mocks", "serve", "--port", "x").returncode == 2


def test_world_check_ok_and_invalid():
    ok = run("world", "check", str(BASIC_WORLD))
    assert ok.returncode == 0 and "is valid" in ok.stdout
    bad = run("world", "check", str(RESOURCES / "worlds" / "broken-refs.yaml"))
    assert bad.returncode == 2
    assert "broken-refs.yaml:11: builds[0].tags[1]" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_world_check_with_overlay_prints_json():
    done = run(
        "world", "check", str(BASIC_WORLD), "--overlay", str(RESOURCES / "worlds" / "overlay.yaml"), "--json"
    )
    assert done.returncode == 0 and '"htop-3.4.0-1.fc42"' in done.stdout


def test_build_rpms_fills_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    done = run("mocks", "build-rpms", str(RESOURCES / "worlds" / "koji.yaml"))
    assert done.returncode == 0 and "15 RPM files of world 'koji-tests' ready" in done.stdout
    assert len(list(tmp_path.glob("*/*.rpm"))) == 15


def test_the_cli_starts_without_the_heavy_libraries():
    # every command pays the CLI's start-up: SQLAlchemy, Flask and Buildbot load only where they are used
    heavy = "('sqlalchemy', 'flask', 'buildbot', 'twisted')"
    code = f"import sys, stagingqa.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_json_output_is_one_envelope():
    import json

    done = run("world", "check", str(BASIC_WORLD), "--json")
    envelope = json.loads(done.stdout)
    assert envelope["format"] == 1 and envelope["command"] == "world check"
    assert (envelope["status"], envelope["exit_code"], envelope["error"]) == ("ok", 0, None)
    assert envelope["data"]["name"] == "fedora-basic"


def test_errors_of_a_json_command_are_in_the_envelope_too():
    import json

    done = run("world", "check", str(RESOURCES / "worlds" / "broken-refs.yaml"), "--json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    envelope = json.loads(done.stdout)
    assert (envelope["command"], envelope["status"], envelope["exit_code"]) == ("world check", "error", 2)
    [first, *_] = envelope["error"]["problems"]
    assert first["line"] == 11 and first["path"] == "builds[0].tags[1]"
    missing = json.loads(
        run("runs", "show", "latest", "--spec", "/nonexistent/staging.yaml", "--json").stdout
    )
    assert missing["command"] == "runs show" and "cannot read staging spec" in str(missing["error"])
