"""`stagingqa demo`: the whole mission on the reference system. A fresh git repository of examples/autoqa,
the mock host, the Buildbot master and the results UI; a build of master (all use cases pass); then a
commit that brings back a known bug, which the next poll builds, and which fails the right use cases."""

from __future__ import annotations

import dataclasses
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stagingqa.environment.mockhost import ensure_host, stop_host
from stagingqa.errors import InputError, ServiceFailed
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control, hooks
from stagingqa.master.settings import Settings, load_settings, system_repositories
from stagingqa.runs.records import RunRecord, failures_first
from stagingqa.runs.store import open_store
from stagingqa.spec import LoadedSpec, load_spec

FIX_SUBJECT = "depcheck: builds of one update satisfy each other's requires"
BUG_COMMIT = "depcheck: check each build against the repository alone (the known bug, again)"


@dataclass
class Demo:
    spec: LoadedSpec
    settings: Settings
    repository: Path
    ui_port: int
    ui: subprocess.Popen[str] | None = None
    ui_url: str = ""

    def stop(self) -> None:
        """Stop everything the demo started; a second Ctrl-C while stopping must not leave a master behind."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        control.stop(self.settings)
        if self.ui is not None:
            self.ui.terminate()
            self.ui.wait(timeout=15)
        stop_host(self.spec.state_dir)


def free_port(preferred: int) -> int:
    """The preferred port when it is free, else any free one (0: any)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT is free for us
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_spec(spec: LoadedSpec, folder: Path, repository: Path) -> Path:
    """The spec with the demo's own repository and state folder (paths made absolute)."""
    data = yaml.safe_load(spec.path.read_text())
    data["system"]["repository"] = str(repository)
    data["world"] = str(spec.world_file)
    data["usecases"] = str(spec.resolve(spec.spec.usecases))
    data["state"] = str(folder / "state")
    path = folder / "staging.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def prepare(
    spec_path: Path, www_port: int, ui_port: int, poll: int, jobs: int, say: Callable[[str], None]
) -> Demo:
    base = load_spec(spec_path)
    folder = base.state_dir / "demo"
    control_settings = load_settings()
    if folder.exists():  # a demo starts from scratch: stop what an earlier one left running, then clear it
        if (folder / "staging.yaml").exists():
            control.stop(dataclasses.replace(control_settings, spec=str(folder / "staging.yaml")))
        stop_host(folder / "state")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    repository = folder / "autoqa"
    commits = generate_autoqa_repository(repository)
    say(f"repository: {repository} ({len(commits)} commits, master at {commits[-1].subject!r})")
    path = demo_spec(base, folder, repository)
    spec = load_spec(path)
    ui = free_port(ui_port)
    settings = dataclasses.replace(
        control_settings,
        spec=str(path),
        repository="",
        www_port=free_port(www_port),
        ui_url=f"http://127.0.0.1:{ui}/",
        poll_interval=poll,
        tree_stable_timer=0,
        jobs=jobs,
    )
    say(f"mock host:  {ensure_host(spec)}")
    hooks.install(settings, system_repositories(settings))  # a commit builds at once, not at the next poll
    return Demo(spec, settings, repository, ui)


def start_services(demo: Demo, say: Callable[[str], None]) -> None:
    current = control.start(demo.settings)
    say(f"buildbot:   {current.url} (workers: {', '.join(current.workers)})")
    demo.ui = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stagingqa",
            "ui",
            "--spec",
            demo.settings.spec,
            "--port",
            str(demo.ui_port),
            "--buildbot-url",
            demo.settings.www_url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = demo.ui.stdout.readline().strip() if demo.ui.stdout else ""
    if not line.startswith("ui: "):
        raise ServiceFailed(f"the results UI did not start: {line}")
    demo.ui_url = line.removeprefix("ui: ")
    say(f"results UI: {demo.ui_url}")


def run_record(demo: Demo, build: dict[str, Any]) -> RunRecord | None:
    run_id = build.get("properties", {}).get("stagingqa_run", [None])[0]
    return open_store(demo.spec).get(run_id, heavy=False) if run_id else None


def verdict_table(demo: Demo, build: dict[str, Any]) -> list[str]:
    """The build's verdicts, failures first, with the links to look further."""
    state = control.RESULTS.get(build["results"], "?")
    rows = [
        f"build #{build['number']} of {str(build['properties'].get('got_revision', ['?'])[0])[:12]}: {state}"
    ]
    record = run_record(demo, build)
    if record is None:
        return [*rows, "  (no run recorded: see the build's logs)"]
    for case in failures_first(record.usecases):
        why = f"  {case.failures[0]['expectation']}: {case.failures[0]['detail']}" if case.failures else ""
        rows.append(f"  {case.status.upper():8} {case.name}{why}")
    rows.append(f"  {record.counts}")
    rows.append(f"  run:   {demo.ui_url}runs/{record.id}")
    rows.append(f"  build: {record.build_url or demo.settings.www_url}")
    return rows


def commit_bug(repository: Path) -> str:
    """Revert the commit that fixed the depcheck bug: master~1's behaviour comes back as a new commit."""
    git = ["git", "-C", str(repository), "-c", "user.name=Demo", "-c", "user.email=demo@example.org"]
    fix = subprocess.run(
        [*git, "log", "-1", "--format=%H", "--fixed-strings", f"--grep={FIX_SUBJECT}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not fix:
        raise InputError(f"{repository} has no commit {FIX_SUBJECT!r} to revert")
    subprocess.run([*git, "revert", "--no-edit", "--no-commit", fix], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-q", "-m", BUG_COMMIT], check=True, capture_output=True)
    return subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def wait_for_build_of(demo: Demo, revision: str, timeout: float = 600) -> dict[str, Any]:
    """The completed build of `revision`, started by the poller."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        builds = control.rest(demo.settings, "builds?order=-buildid&limit=5&property=*")["builds"]
        for build in builds:
            if build["properties"].get("got_revision", [None])[0] == revision and build["complete"]:
                return build
        time.sleep(0.5)
    raise ServiceFailed(f"no build of {revision[:12]} finished within {timeout} s")


def run_demo(
    spec_path: Path, once: bool, www_port: int, ui_port: int, poll: int, jobs: int, say: Callable[[str], None]
) -> int:
    demo = prepare(spec_path, www_port, ui_port, poll, jobs, say)
    try:
        start_services(demo, say)
        say("building master ...")
        build = control.wait_build(demo.settings, control.force(demo.settings, reason="stagingqa demo"))
        build = control.rest(demo.settings, f"builds/{build['buildid']}?property=*")["builds"][0]
        for row in verdict_table(demo, build):
            say(row)
        if once:
            return 0 if build["results"] == 0 else 1
        revision = commit_bug(demo.repository)
        say(f"committed {revision[:12]} {BUG_COMMIT!r}; waiting for the poller ({poll} s) to build it ...")
        for row in verdict_table(demo, wait_for_build_of(demo, revision)):
            say(row)
        say(f"Buildbot: {demo.settings.www_url}   results UI: {demo.ui_url}   (Ctrl-C stops everything)")
        while True:
            time.sleep(3600)
    finally:
        demo.stop()
