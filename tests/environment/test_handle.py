"""The environment handle's promises: pristine environments are always removed, a drifted environment
is refused (naming what changed) or recreated, and an install command that hangs is ended."""

from __future__ import annotations

import json
import os

from tests.conftest import ROOT
from tests.environment.conftest import stagingqa, write_spec

USECASE = str(ROOT / "usecases" / "upgradepath-passes.yaml")


def test_compare_upgrade_removes_the_first_environment_when_the_second_cannot_be_made(cli, spec_path):
    done = cli("verify", "--compare-upgrade", "no-such-revision", USECASE)
    assert done.returncode == 2 and "revision 'no-such-revision' not found" in done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(cli("list", "--json").stdout)["data"] == []
    assert list((spec_path.parent / "state" / "envs").iterdir()) == []


def test_a_drifted_environment_is_refused_then_recreated(cli, spec_path):
    assert cli("up", "--name", "kept").returncode == 0
    before = json.loads(cli("status", "kept", "--json").stdout)["data"]
    spec_path.write_text(spec_path.read_text().replace("ttl: 1h", "ttl: 2h"))  # not built from: no drift
    assert cli("verify", "--env", "kept", USECASE).returncode == 0
    spec_path.write_text(spec_path.read_text().replace("check: autoqa --version", "check: autoqa --help"))
    refused = cli("verify", "--env", "kept", USECASE)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "environment 'kept' no longer follows the staging spec: system.check changed" in refused.stderr
    assert "stagingqa verify --env kept --recreate" in refused.stderr
    upgrade = cli("up", "--upgrade", "kept")
    assert upgrade.returncode == 2 and "stagingqa up --upgrade kept --recreate" in upgrade.stderr
    recreated = cli("verify", "--env", "kept", "--recreate", USECASE)
    assert recreated.returncode == 0, recreated.stdout + recreated.stderr
    after = json.loads(cli("status", "kept", "--json").stdout)["data"]
    assert after["revision"] == before["revision"] and after["created"] > before["created"]
    assert cli("verify", "--env", "kept", USECASE).returncode == 0  # it follows the spec again


def test_an_install_command_that_hangs_is_ended_at_the_timeout(tmp_path):
    spec = write_spec(tmp_path, install="echo installing; sleep 60")
    spec.write_text(spec.read_text().replace("  check:", "  install_timeout: 1s\n  check:"))
    done = stagingqa("up", "--name", "slow", "--spec", str(spec), timeout=60)
    assert done.returncode == 1, done.stderr
    assert "install command timed out after 1 s (system.install_timeout)" in done.stderr
    assert "installing" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "state" / "envs" / "slow").exists()


def test_uv_commands_run_from_the_cache_first_then_with_the_index(tmp_path):
    """A stand-in `uv` that has nothing offline: the command runs offline, then online; a command that is
    not uv's runs once."""
    from stagingqa.environment import install

    bin_dir, log = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    (bin_dir / "uv").write_text(
        f'#!/bin/sh\necho "offline=${{UV_OFFLINE:-0}}" >> {log}\n[ -z "$UV_OFFLINE" ]\n'
    )
    (bin_dir / "uv").chmod(0o755)
    environ = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    install.run_commands(
        ["uv pip install demo", f"echo plain >> {log}"], tmp_path, environ, lambda pgid: None
    )
    assert log.read_text().split() == ["offline=1", "offline=0", "plain"]
