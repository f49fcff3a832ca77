"""The mock host environments share: started on first need, reused while it answers, stopped with the
last environment. Its pid and base URL are recorded in the state folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from stagingqa.control import ControlClient
from stagingqa.environment.locks import locked
from stagingqa.environment.processes import alive, end_group
from stagingqa.errors import ServiceFailed
from stagingqa.spec import LoadedSpec

START_TIMEOUT = 30


def host_file(state_dir: Path) -> Path:
    return state_dir / "mockhost" / "host.json"


def recorded_host(state_dir: Path) -> dict | None:
    try:
        return json.loads(host_file(state_dir).read_text())
    except (OSError, ValueError):
        return None


def running_base(state_dir: Path) -> str | None:
    """The recorded host's base URL while its process lives: a file read, no request (for hot paths)."""
    known = recorded_host(state_dir)
    return known["base"] if known and alive(known["pid"]) else None


def ensure_host(spec: LoadedSpec) -> str:
    """The base URL of the spec's mock host: `mocks.url` if given, else the state folder's own, started
    if needed (bound to `mocks.host`, storing in `mocks.db`, demanding the control token off loopback)."""
    token = spec.control_token
    if spec.spec.mocks.url:
        if not _answers(spec.spec.mocks.url, token, patience=5):
            raise ServiceFailed(f"the mock host at {spec.spec.mocks.url} (mocks.url) does not answer")
        return spec.spec.mocks.url.rstrip("/")
    state_dir, host, db = spec.state_dir, spec.spec.mocks.host, spec.spec.mocks.db
    with locked(state_dir, "mockhost"):
        known = recorded_host(state_dir)
        if known and alive(known["pid"]):
            if known["base"] and _answers(known["base"], token):
                return known["base"]
            # alive but deaf (or never ready): end it before starting another, or it would live on
            end_group(known["pid"])
        folder = host_file(state_dir).parent
        folder.mkdir(parents=True, exist_ok=True)
        ready = folder / "ready.json"
        ready.unlink(missing_ok=True)
        with open(folder / "host.log", "ab") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "stagingqa",
                    "mocks",
                    "serve",
                    "--host",
                    host,
                    "--db",
                    db,
                    "--ready-file",
                    str(ready),
                ],
                stdout=log,
                stderr=log,
                start_new_session=True,
                # the token goes by the environment, never the command line (ps shows that to all)
                env={**os.environ, **({"STAGINGQA_CONTROL_TOKEN": token} if token else {})},
            )
        # recorded at once: if this caller is killed while the host starts, stop_host still finds it
        _record(state_dir, proc.pid, None)
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                end_group(proc.pid)
                why = (folder / "host.log").read_text(errors="replace").strip().splitlines()[-1:]
                raise ServiceFailed(
                    f"the mock host did not start ({''.join(why)}); see {folder / 'host.log'}"
                )
            time.sleep(0.02)
        base = json.loads(ready.read_text())["base"]
        _record(state_dir, proc.pid, base)
        return base


def _record(state_dir: Path, pid: int, base: str | None) -> None:
    """host.json, replaced atomically (a reader never sees half of it); base None while starting."""
    path = host_file(state_dir)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({"pid": pid, "base": base}))
    os.replace(partial, path)


def _answers(base: str, token: str | None, patience: float = 15) -> bool:
    """The host answers its health check within `patience` seconds (a busy machine may be slow)."""
    deadline = time.monotonic() + patience
    while True:
        if ControlClient(base, token, timeout=5).healthy():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def stop_host(state_dir: Path) -> bool:
    """Stop the recorded host (its whole process group); False if none was running."""
    with locked(state_dir, "mockhost"):
        known = recorded_host(state_dir)
        host_file(state_dir).unlink(missing_ok=True)
        if not known or not alive(known["pid"]):
            return False
        end_group(known["pid"])
        return True
