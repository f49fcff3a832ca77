"""Running one use case: a fresh world, its faults, its steps in the environment, then what was posted."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stagingqa.control import ControlClient
from stagingqa.environment import install
from stagingqa.environment.lifecycle import placeholders, render, world_urls
from stagingqa.environment.processes import end_group
from stagingqa.environment.state import EnvironmentState
from stagingqa.errors import StagingQAError
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.matching import Failure, Observation, check_expectations, relevant_journal
from stagingqa.verifier.usecase import LoadedUseCase, Step


@dataclass(frozen=True)
class StepOutcome:
    command: str
    exit: int | None
    seconds: float
    output: str


@dataclass(frozen=True)
class Verdict:
    """How one use case went: passed, failed (an expectation did not hold), error (it could not run) or
    interrupted; with everything a run record keeps of it."""

    name: str
    path: str
    status: str
    seconds: float
    failures: tuple[Failure, ...] = ()
    steps: tuple[StepOutcome, ...] = ()
    journal: tuple[str, ...] = ()  # the lines that explain a failure
    error: str | None = None
    world: str = ""
    usecase_text: str = ""
    world_document: dict[str, Any] = field(default_factory=dict)  # the world as loaded, before the steps
    faults: tuple[dict[str, Any], ...] = ()
    state_after: dict[str, Any] = field(default_factory=dict)  # the world exported after the steps
    requests: tuple[dict[str, Any], ...] = ()  # the whole journal
    results: tuple[dict[str, Any], ...] = ()  # posted during the run
    comments: tuple[dict[str, Any], ...] = ()  # posted during the run

    @property
    def posted(self) -> dict[str, int]:
        return {"results": len(self.results), "comments": len(self.comments)}

    @property
    def signature(self) -> tuple[tuple[str, ...], ...]:
        """What was posted, without ids and times, for comparisons."""
        return signature(Observation(list(self.results), list(self.comments)))


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
    spec: LoadedSpec,
    folder: Path,
    env: EnvironmentState,
    urls: dict[str, str],
    world: str,
    home: Path,
    usecase_dir: Path,
) -> tuple[dict[str, str], dict[str, str]]:
    """The placeholder values and the process environment steps run with, pointed at `world`."""
    values = {
        **placeholders(spec, folder, urls, env.mock_base, world),
        "home": str(home),
        "usecase_dir": str(usecase_dir),
    }
    environ = {
        **install.install_environ(folder / "venv", home),
        **{k: render(v, values) for k, v in spec.spec.system.environment.items()},
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
    spec: LoadedSpec,
    folder: Path,
    env: EnvironmentState,
    loaded: LoadedUseCase,
    run_id: str,
    keep: bool = False,
    steps_runner: Steps | None = None,
) -> Verdict:
    """Create the world, arm the faults, run the steps, observe and match; the world goes unless `keep`."""
    started = time.perf_counter()
    client = ControlClient(env.mock_base)
    world = f"v-{run_id}-{loaded.usecase.name}"[:120]
    home = folder / "runs" / world
    try:
        urls = prepare_world(client, world, loaded.world_document, loaded.usecase.faults)
        return run_in_world(spec, folder, env, loaded, world, urls, home, steps_runner, started)
    except StagingQAError as exc:
        return Verdict(
            loaded.usecase.name,
            str(loaded.path),
            "error",
            time.perf_counter() - started,
            error=exc.message,
            **_recorded(loaded, world),
        )
    finally:
        if not keep:
            client.delete_world(world) if client.healthy() else None
            shutil.rmtree(home, ignore_errors=True)


def _recorded(loaded: LoadedUseCase, world: str) -> dict[str, Any]:
    return {
        "usecase_text": loaded.text,
        "world_document": loaded.world_document,
        "faults": tuple(loaded.usecase.faults),
        "world": world,
    }


def run_in_world(
    spec: LoadedSpec,
    folder: Path,
    env: EnvironmentState,
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
    client = ControlClient(env.mock_base)
    home.mkdir(parents=True, exist_ok=True)
    values, environ = step_context(spec, folder, env, urls, world, home, loaded.path.parent)
    steps = run_steps(spec, usecase.steps, values, environ, home, runner)
    failures = [
        f
        for n, (step, outcome) in enumerate(zip(usecase.steps, steps, strict=False))  # fewer if interrupted
        for f in _step_failures(n, step, outcome)
    ]
    journal = client.journal(world)
    export = client.export(world)
    seen = observe(loaded, export, journal, urls["bodhi"])
    failures += check_expectations(usecase.expect, seen)
    status = "interrupted" if runner.stopping else ("failed" if failures else "passed")
    return Verdict(
        usecase.name,
        str(loaded.path),
        status,
        time.perf_counter() - started,
        tuple(failures),
        tuple(steps),
        tuple(relevant_journal(journal)) if failures else (),
        state_after=export,
        requests=tuple(journal),
        results=tuple(seen.results),
        comments=tuple(seen.comments),
        **_recorded(loaded, world),
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
        found.append(
            Failure(
                f"{label} exits {step.exit}",
                f"it exited {outcome.exit}",
                tuple(outcome.output.strip().splitlines()[-8:]),
            )
        )
    for pattern in step.output:
        if not re.search(pattern, outcome.output):
            found.append(
                Failure(
                    f"{label} output matches /{pattern}/",
                    "it does not",
                    tuple(outcome.output.strip().splitlines()[-8:]),
                )
            )
    for pattern in step.absent_output:
        if re.search(pattern, outcome.output):
            found.append(Failure(f"{label} output does not match /{pattern}/", "it does"))
    return found


def observe(
    loaded: LoadedUseCase, export: dict[str, Any], journal: list[dict[str, Any]], bodhi: str
) -> Observation:
    """What the run posted (beyond what the world started with) and the state of what the use case names."""
    results = export.get("results", [])[loaded.seeded_results :]
    comments = []
    for update in export.get("updates", []):
        for comment in update.get("comments", [])[loaded.seeded_comments.get(update["alias"], 0) :]:
            comments.append(
                {
                    "update": update["alias"],
                    "user": comment["user"],
                    "text": comment["text"],
                    "karma": comment["karma"],
                }
            )
    updates = {}
    for wanted in loaded.usecase.expect.world.updates:
        with urllib.request.urlopen(f"{bodhi}updates/{wanted.alias}", timeout=30) as response:  # noqa: S310
            found = json.loads(response.read())["update"]
        updates[wanted.alias] = {
            "status": found["status"],
            "request": found["request"],
            "karma": found["karma"],
        }
    return Observation(results, comments, updates, build_tags(loaded.world_document, export), journal)


def result_key(result: dict[str, Any]) -> tuple[str, ...]:
    """A posted result without its id, time and URLs: what two runs can be compared on."""
    data = result.get("data", {})
    return (
        "result",
        result["testcase"],
        result["outcome"],
        ",".join(data.get("item", [])),
        ",".join(sorted(data.get("arch", []))),
        result.get("note") or "",
    )


def comment_key(comment: dict[str, Any]) -> tuple[str, ...]:
    """A posted comment with its URLs (which carry ids and ports) blanked out."""
    text = re.sub(r"https?://\S+", "<url>", comment["text"])
    return ("comment", comment["update"], comment["user"], str(comment["karma"]), text)


def signature(seen: Observation) -> tuple[tuple[str, ...], ...]:
    """Posted results and comments as sorted tuples: equal runs give equal signatures."""
    return tuple(sorted(map(result_key, seen.results)) + sorted(map(comment_key, seen.comments)))


def build_tags(document: dict[str, Any], export: dict[str, Any]) -> dict[str, set[str]]:
    """Each build's tags now: its seeded tags, then the export's history of changes."""
    tags = {b["nvr"]: set(b.get("tags", [])) for b in document.get("builds", [])}
    for change in export.get("history", []):
        target = tags.setdefault(change["build"], set())
        (target.add if change["action"] == "tag" else target.discard)(change["tag"])
    return tags
