"""The `koji` command-line tool, as a subprocess, against the mock hub and file tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import koji
import pytest

KOJI = str(Path(sys.executable).with_name("koji"))


@pytest.fixture
def cli(kworld, tmp_path):
    config = tmp_path / "koji.conf"
    config.write_text(
        f"[mock]\nserver = {kworld['hub']}\ntopurl = {kworld['topurl']}\nweburl = {kworld['base']}\n"
    )

    def run(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [KOJI, "-c", str(config), "-p", "mock", "--noauth", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done

    return run


def test_hello_and_buildinfo(cli, kworld):
    assert f"You are using the hub at {kworld['hub']} (Koji 1.36.1)" in cli("hello").stdout
    info = cli("buildinfo", "python3-3.12.4-1.fc41").stdout
    assert "BUILD: python3-3.12.4-1.fc41" in info and "State: COMPLETE" in info and "Tags: f41" in info
    assert "/packages/python3/3.12.4/1.fc41/x86_64/python3-libs-3.12.4-1.fc41.x86_64.rpm" in info


def test_listings(cli):
    tagged = cli("list-tagged", "f41-updates").stdout
    assert "bash-5.2.21-1.fc41" in tagged and "bash-5.2.32-1.fc41" in tagged
    assert "bash-5.2.21-1.fc41" in cli("latest-build", "f41-updates", "bash").stdout
    assert "bash-5.2.26-1.fc41" in cli("latest-build", "f41", "bash").stdout
    tags = cli("list-tags").stdout.split()
    assert {"f41", "f41-build", "f41-updates-testing", "f40-updates"} <= set(tags)


def test_taskinfo(cli, kworld):
    task_id = koji.ClientSession(kworld["hub"]).getBuild("python3-3.12.4-1.fc41")["task_id"]
    out = cli("taskinfo", "-r", str(task_id)).stdout
    assert f"Task: {task_id}" in out and "Type: build" in out and "Build: python3-3.12.4-1.fc41" in out


@pytest.mark.skipif(shutil.which("rpmbuild") is None, reason="rpmbuild is needed to make RPM files")
def test_download_build_verifies_size_and_sigmd5(cli, kworld, tmp_path):
    target = tmp_path / "downloads"
    target.mkdir()
    cli("download-build", "python3-3.12.4-1.fc41", cwd=target)
    cli("download-build", "bash-5.2.26-1.fc41", "--arch", "x86_64", cwd=target)
    files = sorted(p.name for p in target.iterdir())
    assert files == [
        "bash-5.2.26-1.fc41.x86_64.rpm",
        "python3-3.12.4-1.fc41.src.rpm",
        "python3-3.12.4-1.fc41.x86_64.rpm",
        "python3-docs-3.12.4-1.fc41.noarch.rpm",
        "python3-libs-3.12.4-1.fc41.x86_64.rpm",
    ]
    hub = koji.ClientSession(kworld["hub"])
    for rpm in hub.listBuildRPMs("python3-3.12.4-1.fc41"):
        path = target / f"{rpm['nvr']}.{rpm['arch']}.rpm"
        assert path.stat().st_size == rpm["size"]
        headers = koji.get_rpm_header(str(path))
        assert koji.get_rpm_ident(headers) == rpm["payloadhash"]
        assert koji.get_header_field(headers, "name") == rpm["name"]
