"""`stagingqa init`: the files it writes are valid at once, and a new system verifies with them as they
are; from flags (one repository or several) or by asking."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.systems.minitron import commit, git


def run(*args, cwd, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "stagingqa", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        timeout=300,
    )


def tiny_repository(folder):
    """A Python project with nothing in it but its name: what a new system's first commit may be."""
    folder.mkdir()
    git(folder, "init", "-q", "-b", "master")
    commit(
        folder,
        {
            "pyproject.toml": '[build-system]\nrequires = ["uv_build>=0.13,<0.14"]\n'
            'build-backend = "uv_build"\n[project]\nname = "tiny"\nversion = "0.1.0"\n'
            '[tool.uv.build-backend]\nmodule-name = "tiny"\nmodule-root = ""\n',
            "tiny/__init__.py": "",
        },
        "tiny",
    )
    return folder


def test_init_writes_a_spec_world_and_use_case_that_verify_as_they_are(tmp_path):
    repository = tiny_repository(tmp_path / "tiny")
    work = tmp_path / "staging"
    work.mkdir()
    done = run("init", "--repository", str(repository), "--name", "tiny", cwd=work)
    assert done.returncode == 0, done.stderr
    assert "checked: the spec and the example use case are valid" in done.stdout
    spec = yaml.safe_load((work / "staging.yaml").read_text())
    assert spec["system"]["repository"] == str(repository) and spec["name"] == "tiny"
    assert "# What stagingqa stages and how" in (work / "staging.yaml").read_text()
    verified = run("verify", "--spec", "staging.yaml", cwd=work)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "1 passed, 0 failed, 0 errors" in verified.stdout
    again = run("init", "--repository", str(repository), cwd=work)
    assert again.returncode == 2 and "already exist" in again.stderr and "--force" in again.stderr


def test_init_with_several_repositories_and_by_asking(tmp_path):
    done = run(
        "init",
        "--repository",
        "runner=../runner",
        "--repository",
        "checks=../checks",
        "--python",
        "/usr/bin/python3",
        "--site-packages",
        "--dir",
        "multi",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    system = yaml.safe_load((tmp_path / "multi" / "staging.yaml").read_text())["system"]
    assert [c["name"] for c in system["components"]] == ["runner", "checks"]
    assert system["python"] == "/usr/bin/python3" and system["site_packages"] is True
    answers = "asked\nhttps://example.org/asked.git\n\nn\nasked run {check} {item}\n"
    asked = run("init", "--interactive", "--dir", "asked", cwd=tmp_path, stdin=answers)
    assert asked.returncode == 0, asked.stderr
    spec = yaml.safe_load((tmp_path / "asked" / "staging.yaml").read_text())
    assert (
        spec["name"] == "asked" and spec["system"]["triggers"]["bodhi_update"] == "asked run {check} {item}"
    )
    bad = run("init", "--repository", "runner=../r", "--repository", "../c", "--dir", "bad", cwd=tmp_path)
    assert bad.returncode == 2 and "each is NAME=URL" in bad.stderr and "Traceback" not in bad.stderr
    none = run("init", "--no-interactive", "--dir", "none", cwd=tmp_path)
    assert none.returncode == 2 and "--repository URL" in none.stderr
