"""`stagingqa master`: create or upgrade the base directory, start, stop, status, force a build.

The base directory lives in the spec's state folder; its buildbot.tac points at buildbot/master.cfg in
this checkout, so the configuration is never copied and goes stale."""

from __future__ import annotations

import http.client
import importlib.metadata
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stagingqa.environment import install, lifecycle
from stagingqa.environment.processes import alive
from stagingqa.errors import InputError, ServiceFailed
from stagingqa.master.settings import (
    BUILDBOT_DIR,
    BUILDER,
    Settings,
    settings_environment,
    system_repositories,
)
from stagingqa.spec import load_spec

START_TIMEOUT = 60
RESULTS = {
    0: "success",
    1: "warnings",
    2: "failure",
    3: "skipped",
    4: "exception",
    5: "retry",
    6: "cancelled",
}


@dataclass(frozen=True)
class MasterStatus:
    running: bool
    pid: int | None
    url: str
    basedir: str
    workers: list[str]  # connected
    last_build: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def basedir(settings: Settings) -> Path:
    return load_spec(Path(settings.spec)).state_dir / "master"


def buildbot_command() -> str:
    return str(Path(sys.executable).parent / "buildbot")


def _buildbot(*args: str, environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [buildbot_command(), *args], capture_output=True, text=True, env=environ, timeout=300
    )


def prepare(settings: Settings, environ: dict[str, str]) -> Path:
    """Create the base directory if it is missing; upgrade its database when Buildbot or the DB changed."""
    folder = basedir(settings)
    config = str(BUILDBOT_DIR / "master.cfg")
    if not (folder / "buildbot.tac").exists():
        folder.mkdir(parents=True, exist_ok=True)
        done = _buildbot(
            "create-master", "-r", "-f", "-q", "--db", settings.db_url, "-c", config, str(folder)
        )
        if done.returncode != 0:
            raise ServiceFailed(f"buildbot create-master failed:\n{done.stdout}{done.stderr}")
    stamp = folder / ".stagingqa-upgraded"
    want = f"{importlib.metadata.version('buildbot')} {settings.db_url} {config}"
    if not stamp.exists() or stamp.read_text() != want:
        done = _buildbot("upgrade-master", "-q", str(folder), environ=environ)
        if done.returncode != 0:
            raise ServiceFailed(f"buildbot upgrade-master failed:\n{done.stdout}{done.stderr}")
        stamp.write_text(want)
    return folder


def master_environ(settings: Settings) -> dict[str, str]:
    """The master runs with exactly these settings, whatever its caller's environment said."""
    return {**os.environ, **settings_environment(settings), "PATH": _path()}


def _path() -> str:
    # local workers run `git` and `stagingqa` from the master's environment
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def start(settings: Settings, foreground: bool = False) -> MasterStatus:
    """Start the master in the background (or in the foreground, until Ctrl-C) and wait for it."""
    current = status(settings)
    if current.running:
        return current
    from stagingqa.master.orphans import clean_orphans

    clean_orphans(settings)  # a master killed mid-build left these; no build runs before it starts
    environ = master_environ(settings)
    folder = prepare(settings, environ)
    if foreground:
        with subprocess.Popen([buildbot_command(), "start", "--nodaemon", str(folder)], env=environ) as proc:
            try:
                proc.wait()
            except KeyboardInterrupt:
                proc.send_signal(signal.SIGTERM)
                proc.wait()
        return status(settings)
    # buildbot's own wait is 10 s, which a busy machine exceeds when a master restarts: give it ours
    done = _buildbot("start", f"--start_timeout={START_TIMEOUT}", str(folder), environ=environ)
    if done.returncode != 0:
        log = _tail(folder / "twistd.log")
        raise ServiceFailed(f"the Buildbot master did not start:\n{done.stdout}{done.stderr}\n{log}")
    return wait_ready(settings)


def wait_ready(settings: Settings, timeout: float = START_TIMEOUT) -> MasterStatus:
    """Until the REST API answers and (with a local worker) the worker is attached."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = status(settings)
        if current.running and (current.workers or not settings.local_worker):
            return current
        time.sleep(0.2)
    raise ServiceFailed(
        f"the Buildbot master is not ready after {timeout} s; see {basedir(settings)}/twistd.log"
    )


def status(settings: Settings) -> MasterStatus:
    folder = basedir(settings)
    pid = _pid(folder)
    workers: list[str] = []
    last = None
    running = False
    if pid is not None:
        try:
            answer = rest(settings, "workers")
            workers = [w["name"] for w in answer["workers"] if w.get("connected_to")]
            builds = rest(settings, f"builders/{BUILDER}/builds?order=-number&limit=1&property=got_revision")
            last = builds["builds"][0] if builds["builds"] else None
            running = True
        except ServiceFailed:
            running = False
    return MasterStatus(running, pid, settings.www_url, str(folder), workers, last)


def stop(settings: Settings) -> bool:
    """Stop the master and make sure no process of it is left; False if it was not running."""
    folder = basedir(settings)
    pid = _pid(folder)
    if pid is None:
        return False
    _buildbot("stop", str(folder))
    deadline = time.monotonic() + 15
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    (folder / "twistd.pid").unlink(missing_ok=True)
    lifecycle.stop_host_if_unused(load_spec(Path(settings.spec)))  # builds leave it for the next one
    return True


def force(
    settings: Settings,
    ref: str | None = None,
    reason: str = "forced with stagingqa master force",
    compare_upgrade: bool = False,
) -> int:
    """Ask for a build of `ref` (default: the branch heads): REV for the primary component, NAME=REV for
    another; the build request's id."""
    watched = system_repositories(settings)
    several = len(watched) > 1
    name, sep, rev = (ref or "").partition("=")
    wanted = {name: rev} if sep and name in {w.name for w in watched} else {watched[0].name: ref or ""}
    params: dict[str, Any] = {
        "builderid": _builder_id(settings),
        "reason": reason,
        "compare_upgrade": compare_upgrade,
    }
    for w in watched:
        prefix = f"{w.name}_" if several else ""
        params[f"{prefix}branch"] = w.branch
        params[f"{prefix}revision"] = resolve(w.repository, wanted[w.name]) if wanted.get(w.name) else ""
    body = {"jsonrpc": "2.0", "method": "force", "id": 1, "params": params}
    answer = rest(settings, "forceschedulers/force", body)
    if "error" in answer:
        raise ServiceFailed(f"the master refused the build: {answer['error'].get('message')}")
    return int(next(iter(answer["result"][1].values())))


def wait_build(settings: Settings, request: int, timeout: float = 900) -> dict[str, Any]:
    """The build of a build request once it is complete (results: 0 success, 2 failure, ...)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        builds = rest(settings, f"buildrequests/{request}/builds?property=*")["builds"]
        if builds and builds[-1]["complete"]:
            return builds[-1]
        time.sleep(0.5)
    raise ServiceFailed(f"build request {request} did not finish in {timeout} s")


def resolve(repository: str, ref: str) -> str:
    """A revision of the repository as a full commit id (the Git step needs one)."""
    with tempfile.TemporaryDirectory(prefix="stagingqa-ref-") as folder:
        install.clone(repository, Path(folder) / "src")
        sha = install.resolve_commit(Path(folder) / "src", ref)
    if sha is None:
        raise InputError(f"revision {ref!r} not found in {repository}")
    return sha


def _builder_id(settings: Settings) -> int:
    return int(rest(settings, f"builders/{BUILDER}")["builders"][0]["builderid"])


REST_TRIES = 3  # a busy master cuts an answer short now and then (IncompleteRead): read again


def rest(settings: Settings, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """GET (or JSON-RPC POST) the master's REST API. A GET that fails is tried again briefly; a POST is
    not (it could force a build twice)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    tries = 1 if data else REST_TRIES
    for attempt in range(1, tries + 1):
        request = urllib.request.Request(f"{settings.www_url}api/v2/{path}", data=data, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own master, http
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            return json.loads(exc.read() or b"{}") | {"status": exc.code}
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if attempt == tries:
                raise ServiceFailed(
                    f"the Buildbot master at {settings.www_url} does not answer {path.split('?')[0]} "
                    f"({type(exc).__name__}: {exc}; tried {tries} times)"
                ) from None
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def rest_text(settings: Settings, path: str) -> str:
    """A plain-text answer of the REST API (a raw log), tried again briefly as `rest` is."""
    for attempt in range(1, REST_TRIES + 1):
        try:
            with urllib.request.urlopen(f"{settings.www_url}api/v2/{path}", timeout=30) as answer:  # noqa: S310
                return answer.read().decode(errors="replace")
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if attempt == REST_TRIES:
                raise ServiceFailed(
                    f"the Buildbot master at {settings.www_url} does not answer: {type(exc).__name__}: {exc}"
                ) from None
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def _pid(folder: Path) -> int | None:
    try:
        pid = int((folder / "twistd.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
