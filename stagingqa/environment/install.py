"""Getting the system under test into an environment: clone, check out, venv, install commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from stagingqa.environment.locks import locked
from stagingqa.environment.processes import end_group
from stagingqa.errors import InputError, StagingQAError
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.spec import EXAMPLE_REPOSITORY

OUTPUT_TAIL = 4000


class InstallFailed(StagingQAError):
    """An install command of the spec failed (exit 1): its output is part of the message."""

    exit_code = 1


def uv_binary() -> str | None:
    """uv is one of our dependencies: next to our Python, else on PATH."""
    beside = Path(sys.executable).parent / "uv"
    return str(beside) if beside.exists() else shutil.which("uv")


def repository_source(repository: str, state_dir: Path) -> str:
    """The repository to clone; `example:autoqa` is generated once under the state folder (under a lock:
    several `up` may start at the same moment)."""
    if repository != EXAMPLE_REPOSITORY:
        return repository
    target = state_dir / "repos" / "autoqa"
    with locked(state_dir, "repos"):
        if not (target / ".git").exists():
            shutil.rmtree(target, ignore_errors=True)
            generate_autoqa_repository(target)
    return str(target)


def run_git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], capture_output=True, text=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    )


def clone(repository: str, src: Path) -> None:
    done = run_git("clone", "--quiet", "--no-checkout", repository, str(src))
    if done.returncode != 0:
        raise InputError(
            f"cannot clone {repository}: {done.stderr.strip().splitlines()[-1] if done.stderr else ''}"
        )


def resolve_commit(src: Path, ref: str) -> str | None:
    """The full commit id of `ref` in a clone: a branch of the origin, a tag or a commit."""
    for candidate in (f"origin/{ref}", ref):
        done = run_git("-C", str(src), "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
        if done.returncode == 0:
            return done.stdout.strip()
    return None


def origin_branch(src: Path, branch: str) -> str | None:
    """The commit of branch `branch` of the clone's origin (as last fetched), or None if it has none."""
    done = run_git(
        "-C", str(src), "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}^{{commit}}"
    )
    return done.stdout.strip() if done.returncode == 0 else None


def remote_branch(repository: str, branch: str) -> bool:
    """`branch` is a branch of `repository` (a path or URL), asked without a clone."""
    return run_git("ls-remote", "--exit-code", "--heads", repository, f"refs/heads/{branch}").returncode == 0


def checkout(src: Path, ref: str, repository: str) -> str:
    """Check out `ref` (a branch of the origin, a tag or a commit), detached; returns the full commit id."""
    sha = resolve_commit(src, ref)
    if sha is None:
        raise InputError(f"revision {ref!r} not found in {repository}")
    moved = run_git("-C", str(src), "checkout", "--quiet", "--detach", sha)
    if moved.returncode != 0:
        raise InputError(f"cannot check out {ref}: {moved.stderr.strip()}")
    return sha


def fetch(src: Path) -> None:
    """Fetch origin into the clone `src`, one process at a time: two fetches at once fail on each other's
    ref locks ("cannot lock ref ... is at X but expected Y"), as a deploy's upgrade and the deploy
    collector's check of the same environment did. The lock file lives in the Git folder, out of the
    working tree the isolation guard watches."""
    git_dir = src / ".git" if (src / ".git").is_dir() else src
    with locked(git_dir, "stagingqa-fetch"):
        done = run_git("-C", str(src), "fetch", "--quiet", "origin")
    if done.returncode != 0:
        raise InputError(f"cannot fetch into {src}: {done.stderr.strip()}")


def create_venv(venv: Path, python: str | None = None, site_packages: bool = False) -> None:
    """A venv of `python` (default: ours), seeing that interpreter's own packages with `site_packages`."""
    uv, python = uv_binary(), python or sys.executable
    command = (
        [uv, "venv", "--quiet", "--python", python, str(venv)] if uv else [python, "-m", "venv", str(venv)]
    )
    if site_packages:
        command.insert(-1, "--system-site-packages")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise InstallFailed(f"cannot create the virtual environment {venv}:\n{done.stderr[-OUTPUT_TAIL:]}")
    if not uv and not (venv / "bin" / "pip").exists():
        raise InstallFailed(f"{venv} has no pip and uv is not installed")


def install_environ(venv: Path, home: Path) -> dict[str, str]:
    """The environment install commands and the system under test run with: the venv first on PATH."""
    path = [str(venv / "bin")]
    uv = uv_binary()
    if uv:
        path.append(str(Path(uv).parent))
    # the control token is stagingqa's secret, not the system's: it never reaches its processes
    hidden = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "STAGINGQA_CONTROL_TOKEN")
    environ = {k: v for k, v in os.environ.items() if k not in hidden}
    # the environment gets a home of its own, but the package caches stay shared: warm installs are fast
    caches = {
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv"),
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"),
    }
    return {
        **environ,
        **caches,
        "VIRTUAL_ENV": str(venv),
        "PATH": os.pathsep.join([*path, environ.get("PATH", "")]),
        "HOME": str(home),
    }


def run_commands(
    commands: list[str],
    cwd: Path,
    environ: dict[str, str],
    on_start: Callable[[int], None],
    timeout: float = 600,
) -> None:
    """Run each command in its own process group (reported through `on_start` so a reaper can end it);
    one still running after `timeout` seconds is ended with its group, and says so. A uv command runs
    offline first (UV_OFFLINE): a warm cache answers at once; missing anything, it runs again online."""
    for command in commands:
        if offline_first(command):
            try:
                _run_one(command, cwd, {**environ, "UV_OFFLINE": "1"}, on_start, timeout)
                continue
            except InstallFailed as exc:
                if "timed out" in exc.message:
                    raise  # slow, not missing: the index would not make it faster
                # the cache does not hold everything: ask the index
        _run_one(command, cwd, environ, on_start, timeout)


def _run_one(
    command: str, cwd: Path, environ: dict[str, str], on_start: Callable[[int], None], timeout: float
) -> None:
    """One command in its own process group, ended with it after `timeout` seconds."""
    proc = subprocess.Popen(
        command,
        shell=True,
        cwd=cwd,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    on_start(proc.pid)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        end_group(proc.pid)
        output, _ = proc.communicate()
        raise InstallFailed(
            f"install command timed out after {timeout:g} s (system.install_timeout): {command}\n"
            f"{(output or '')[-OUTPUT_TAIL:].rstrip()}"
        ) from None
    if proc.returncode != 0:
        raise InstallFailed(
            f"install command failed (exit {proc.returncode}): {command}\n{output[-OUTPUT_TAIL:].rstrip()}"
        )


def offline_first(command: str) -> bool:
    """A uv command is tried from uv's cache first (no index round trips), then with the index."""
    return "uv" in command.split()
