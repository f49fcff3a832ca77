"""Running one use case: a fresh world, its faults, its steps in the environment, then what was posted."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stagingqa.control import ControlClient
from stagingqa.environment import install
from stagingqa.environment.lifecycle import placeholders, render, world_urls
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
    """How one use case went: passed, failed (an expectation did not hold) or error (it could not run)."""

    name: str
    path: str
    status: str
    seconds: float
    failures: tuple[Failure, ...] = ()
    steps: tuple[StepOutcome, ...] = ()
    journal: tuple[str, ...] = ()
    error: str | None = None
    world: str = ""
    posted: dict[str, Any] = field(default_factory=dict)
    signature: tuple[tuple[str, ...], ...] = ()  # what was posted, without ids and times, for comparisons


def run_usecase(
    spec: LoadedSpec,
    folder: Path,
    env: EnvironmentState,
    loaded: LoadedUseCase,
    run_id: str,
    keep: bool = False,
) -> Verdict:
    """Create the world, arm the faults, run the steps, observe and match; the world goes unless `keep`."""
    started = time.perf_counter()
    usecase = loaded.usecase
    client = ControlClient(env.mock_base)
    world = f"v-{run_id}-{usecase.name}"[:120]
    home = folder / "runs" / world
    try:
        urls = world_urls(client.put_world(world, json.dumps(loaded.world_document)))
        for rule in usecase.faults:
            client.add_fault(world, rule)
        home.mkdir(parents=True, exist_ok=True)
        values = {
            **placeholders(spec, folder, urls, env.mock_base, world),
            "home": str(home),
            "usecase_dir": str(loaded.path.parent),
        }
        environ = {
            **install.install_environ(folder / "venv", home),
            **{k: render(v, values) for k, v in spec.spec.system.environment.items()},
        }
        steps, failures = [], []
        for n, step in enumerate(usecase.steps):
            outcome = _run_step(spec, step, values, environ, home)
            steps.append(outcome)
            failures += _step_failures(n, step, outcome)
        journal = client.journal(world)
        seen = observe(loaded, client.export(world), journal, urls["bodhi"])
        failures += check_expectations(usecase.expect, seen)
    except StagingQAError as exc:
        return Verdict(
            usecase.name,
            str(loaded.path),
            "error",
            time.perf_counter() - started,
            error=exc.message,
            world=world,
        )
    finally:
        if not keep:
            client.delete_world(world) if client.healthy() else None
            shutil.rmtree(home, ignore_errors=True)
    return Verdict(
        usecase.name,
        str(loaded.path),
        "failed" if failures else "passed",
        time.perf_counter() - started,
        tuple(failures),
        tuple(steps),
        tuple(relevant_journal(journal)) if failures else (),
        world=world,
        posted={"results": len(seen.results), "comments": len(seen.comments)},
        signature=signature(seen),
    )


def _run_step(
    spec: LoadedSpec, step: Step, values: dict[str, str], environ: dict[str, str], home: Path
) -> StepOutcome:
    if step.trigger is not None:
        template = spec.spec.system.triggers[step.trigger]
        command = render(
            template, {**values, "check": step.check or "", "item": step.item or "", "type": step.trigger}
        )
    else:
        command = render(step.command or "", values)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            shell=True,
            cwd=home,
            env=environ,
            capture_output=True,
            text=True,
            timeout=step.timeout,
        )
        return StepOutcome(command, done.returncode, time.perf_counter() - started, done.stdout + done.stderr)
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return StepOutcome(
            command, None, time.perf_counter() - started, output + f"\n(timed out after {step.timeout} s)"
        )


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


def signature(seen: Observation) -> tuple[tuple[str, ...], ...]:
    """Posted results and comments as sorted tuples: equal runs give equal signatures."""
    results = [
        (
            "result",
            r["testcase"],
            r["outcome"],
            ",".join(r["data"].get("item", [])),
            ",".join(sorted(r["data"].get("arch", []))),
            r.get("note") or "",
        )
        for r in seen.results
    ]
    comments = [
        ("comment", c["update"], c["user"], str(c["karma"]), re.sub(r"https?://\S+", "<url>", c["text"]))
        for c in seen.comments
    ]
    return tuple(sorted(results) + sorted(comments))


def build_tags(document: dict[str, Any], export: dict[str, Any]) -> dict[str, set[str]]:
    """Each build's tags now: its seeded tags, then the export's history of changes."""
    tags = {b["nvr"]: set(b.get("tags", [])) for b in document.get("builds", [])}
    for change in export.get("history", []):
        target = tags.setdefault(change["build"], set())
        (target.add if change["action"] == "tag" else target.discard)(change["tag"])
    return tags
