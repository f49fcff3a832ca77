"""Running one use case: a fresh world, its faults, its steps in the environment, then what was posted."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stagingqa.control import ControlClient
from stagingqa.environment import install
from stagingqa.environment.handle import Environment
from stagingqa.environment.lifecycle import world_urls
from stagingqa.environment.placeholders import placeholders, render, write_files
from stagingqa.environment.processes import end_group
from stagingqa.errors import ServiceFailed, StagingQAError
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.home import home_environ
from stagingqa.verifier.isolation import changes, fingerprint, snapshot
from stagingqa.verifier.matching import check_expectations, observe, relevant_journal
from stagingqa.verifier.usecase import LoadedUseCase, Step
from stagingqa.verifier.verdict import Failure, Status, StepOutcome, Verdict


class Steps:
    """Runs steps as process groups so a timeout or an interrupted run kills everything a step started."""

    def __init__(self) -> None:
        self.running: set[subprocess.Popen[str]] = set()
        self.stopping = False

    def run(self, command: str, timeout: float, environ: dict[str, str], home: Path) -> StepOutcome:
        started = time.perf_counter()
        with subprocess.Popen(
            command,
            shell=True,
            cwd=home,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        ) as proc:
            self.running.add(proc)
            try:
                output, _ = proc.communicate(timeout=timeout)
                return StepOutcome(command, proc.returncode, time.perf_counter() - started, output)
            except subprocess.TimeoutExpired:
                end_group(proc.pid)
                output, _ = proc.communicate()
                note = f"\n(timed out after {timeout} s)"
                return StepOutcome(command, None, time.perf_counter() - started, (output or "") + note)
            finally:
                self.running.discard(proc)

    def stop(self) -> None:
        """Kill every running step (an interrupted run)."""
        self.stopping = True
        for proc in list(self.running):
            end_group(proc.pid)


def prepare_world(
    client: ControlClient, world: str, document: dict[str, Any], faults: Iterable[dict[str, Any]]
) -> dict[str, str]:
    """Create (or replace) a world from a document, arm its fault rules; its service URLs."""
    urls = world_urls(client.put_world(world, json.dumps(document)))
    for rule in faults:
        client.add_fault(world, rule)
    return urls


def step_context(
    env: Environment, urls: dict[str, str], world: str, home: Path, usecase_dir: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """The placeholder values and the process environment steps run with, pointed at `world`."""
    values = {
        **placeholders(env.spec, env.folder, urls, env.mock_base, world),
        "home": str(home),
        "usecase_dir": str(usecase_dir),
    }
    environ = {
        **install.install_environ(env.venv, home),
        **home_environ(home),
        **{k: render(v, values) for k, v in env.spec.spec.system.environment.items()},
    }
    return values, environ


def step_command(spec: LoadedSpec, step: Step, values: dict[str, str]) -> str:
    """The shell command a step runs: its trigger's template or its own command, placeholders filled."""
    if step.trigger is not None:
        template = spec.spec.system.triggers[step.trigger]
        extra = {"check": step.check or "", "item": step.item or "", "type": step.trigger}
        return render(template, {**values, **extra})
    return render(step.command or "", values)


def run_usecase(
    env: Environment,
    loaded: LoadedUseCase,
    run_id: str,
    keep: bool = False,
    steps_runner: Steps | None = None,
) -> Verdict:
    """Create the world, arm the faults, run the steps, observe and match; the world goes unless `keep`."""
    started = time.perf_counter()
    client = env.control()
    world = f"v-{run_id}-{loaded.usecase.name}"[:120]
    home = env.folder / "runs" / world
    try:
        urls = prepare_world(client, world, loaded.world_document, loaded.fault_documents)
        return run_in_world(env, loaded, world, urls, home, steps_runner, started)
    except StagingQAError as exc:
        message = exc.message
        if isinstance(exc, ServiceFailed) and not client.healthy():
            message = f"the mock host died during this use case (it no longer answers): {exc.message}"
        return Verdict(
            loaded.usecase.name,
            str(loaded.path),
            Status.ERROR,
            time.perf_counter() - started,
            error=message,
            **_recorded(loaded, world),
        )
    finally:
        if not keep:
            try:
                client.delete_world(world)
            except ServiceFailed:
                pass  # the host is gone, and the world with it; the verdict already says so
            shutil.rmtree(home, ignore_errors=True)


def _recorded(loaded: LoadedUseCase, world: str) -> dict[str, Any]:
    return {
        "usecase_text": loaded.text,
        "world_document": loaded.world_document,
        "faults": tuple(loaded.fault_documents),
        "world": world,
    }


def run_in_world(
    env: Environment,
    loaded: LoadedUseCase,
    world: str,
    urls: dict[str, str],
    home: Path,
    steps_runner: Steps | None = None,
    started: float | None = None,
) -> Verdict:
    """Run a use case's steps against a world that is ready (seeded, faults armed), then match."""
    started = time.perf_counter() if started is None else started
    usecase = loaded.usecase
    runner = steps_runner or Steps()
    client = env.control()
    home.mkdir(parents=True, exist_ok=True)
    values, environ = step_context(env, urls, world, home, loaded.path.parent)
    write_files(env.spec, values, home)
    steps, created, isolation = run_watched(env, usecase.steps, values, environ, home, runner)
    failures = [
        f
        for n, (step, outcome) in enumerate(zip(usecase.steps, steps, strict=False))  # fewer if interrupted
        for f in _step_failures(n, step, outcome)
    ]
    journal = client.journal(world)
    export = client.export(world)
    seen = observe(usecase.expect, loaded.world_document, export, journal)
    failures += check_expectations(usecase.expect, seen)
    status = Status.INTERRUPTED if runner.stopping else (Status.FAILED if failures else Status.PASSED)
    if isolation and status != Status.INTERRUPTED:
        status = Status.ERROR
    return Verdict(
        usecase.name,
        str(loaded.path),
        status,
        time.perf_counter() - started,
        tuple(failures),
        tuple(steps),
        tuple(relevant_journal(journal)) if failures else (),
        error=not_isolated(isolation) if isolation else None,
        state_after=export,
        requests=tuple(journal),
        results=tuple(seen.results),
        comments=tuple(seen.comments),
        created=created,
        **_recorded(loaded, world),
    )


def run_watched(
    env: Environment,
    steps: list[Step],
    values: dict[str, str],
    environ: dict[str, str],
    home: Path,
    runner: Steps,
) -> tuple[list[StepOutcome], tuple[str, ...], list[str]]:
    """The steps, with the files they created in the spec's watch_paths and what they changed that every
    use case shares (the isolation guard)."""
    watched = [Path(render(path, values)) for path in env.spec.spec.system.watch_paths]
    shared, existing = fingerprint(env), snapshot(watched)
    outcomes = run_steps(env.spec, steps, values, environ, home, runner)
    return outcomes, tuple(sorted(snapshot(watched) - existing)), changes(shared, fingerprint(env))


def not_isolated(changed: list[str]) -> str:
    """Why a use case whose steps changed the environment itself is an error."""
    return (
        "the steps changed the environment every use case shares, so use cases running in parallel are "
        "not isolated (give each use case its own settings with system.files, under {home}):\n"
        + "\n".join(f"  {line}" for line in changed)
    )


def run_steps(
    spec: LoadedSpec,
    steps: list[Step],
    values: dict[str, str],
    environ: dict[str, str],
    home: Path,
    runner: Steps,
) -> list[StepOutcome]:
    """The steps in order, until the run is interrupted."""
    outcomes = []
    for step in steps:
        if runner.stopping:
            break
        outcomes.append(runner.run(step_command(spec, step, values), step.timeout, environ, home))
    return outcomes


def _step_failures(n: int, step: Step, outcome: StepOutcome) -> list[Failure]:
    label = f"step {n + 1} ({outcome.command})"
    found = []
    if step.exit is not None and outcome.exit != step.exit:
        found.append(Failure(f"{label} exits {step.exit}", f"it exited {outcome.exit}", step=n))
    for pattern in step.output:
        if not re.search(pattern, outcome.output):
            found.append(Failure(f"{label} output matches /{pattern}/", "it does not", step=n))
    for pattern in step.absent_output:
        if re.search(pattern, outcome.output):
            found.append(Failure(f"{label} output does not match /{pattern}/", "it does", step=n))
    return found
