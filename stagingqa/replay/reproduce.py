"""Rebuild a recorded run's conditions: its revision in a new environment, a use case's world as it was
before (or after) the run, the same faults armed, and a script that reruns the exact steps."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from stagingqa.environment import lifecycle
from stagingqa.environment.handle import Environment
from stagingqa.environment.state import env_dir
from stagingqa.errors import InputError
from stagingqa.runs.records import RunRecord, UseCaseRecord
from stagingqa.runs.store import open_store
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.runner import prepare_world, run_in_world, step_command, step_context
from stagingqa.verifier.usecase import LoadedUseCase, loaded_with_world
from stagingqa.verifier.verdict import Verdict


@dataclass(frozen=True)
class Reproduction:
    run: str
    usecase: str
    at: str
    environment: str
    revision: str
    world: str
    urls: dict[str, str]
    commands: list[str]
    script: str  # sh SCRIPT reruns the steps against the world
    usecase_file: str  # the use case as recorded
    spec_changed: bool  # the spec differs from the one the run used

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def reproduce(
    spec: LoadedSpec, reference: str, usecase: str | None = None, at: str = "before", name: str | None = None
) -> Reproduction:
    """A new environment at the run's revision with the use case's world before/after the run."""
    store = open_store(spec)
    record = store.get(reference, heavy=False)
    record, case = store.get_usecase(record.id, record.usecase(usecase).name)
    document = case.world_at(at)
    if not case.world:
        raise InputError(f"use case {case.name} of run {record.id} never ran (it had an error: {case.error})")
    env = lifecycle.up(spec, record.revisions or record.revision, name=name or _env_name(spec, record, case))
    world = f"r-{record.id}-{case.name}"[:120]
    urls = prepare_world(env.control(), world, document, case.faults)
    here = env.folder / "reproduce"
    here.mkdir(exist_ok=True)
    (here / f"{case.name}.yaml").write_text(case.usecase_text)
    (here / "world.json").write_text(json.dumps(document, indent=1))
    values, environ = step_context(env, urls, world, here / "home", Path(case.path).parent)
    commands = [step_command(spec, step, values) for step in _loaded(case, document).usecase.steps]
    exports = {key: environ[key] for key in ["PATH", "VIRTUAL_ENV", "HOME", *spec.spec.system.environment]}
    title = f"run {record.id}, use case {case.name}, world {at} the run: rerun its steps"
    script = _write_script(here / "rerun.sh", title, exports, commands)
    reproduction = Reproduction(
        record.id,
        case.name,
        at,
        env.name,
        record.revision,
        world,
        urls,
        commands,
        str(script),
        str(here / f"{case.name}.yaml"),
        record.spec_text != spec.recorded_text,
    )
    (here / "reproduction.json").write_text(json.dumps(reproduction.to_dict(), indent=1))
    return reproduction


def _write_script(path: Path, title: str, exports: dict[str, str], commands: list[str]) -> Path:
    """A shell script that sets the environment, then runs each command and prints its exit status."""
    lines = [f"# {title}", *(f"export {k}={shlex.quote(v)}" for k, v in exports.items())]
    lines.append('mkdir -p "$HOME" && cd "$HOME"')
    for command in commands:
        lines += [command, 'echo "exit $?"']
    path.write_text("\n".join(lines) + "\n")
    return path


def rerun(spec: LoadedSpec, reproduction: Reproduction) -> Verdict:
    """Run the reproduced use case's steps in its world and match its expectations (what `--rerun` shows)."""
    env = Environment.open(spec, reproduction.environment)
    _, case = open_store(spec).get_usecase(reproduction.run, reproduction.usecase)
    loaded = _loaded(case, case.world_at(reproduction.at))
    home = env.folder / "reproduce" / "home"
    return run_in_world(env, loaded, reproduction.world, reproduction.urls, home)


def _loaded(case: UseCaseRecord, document: dict) -> LoadedUseCase:
    return loaded_with_world(case.usecase_text, Path(case.path), document)


def _env_name(spec: LoadedSpec, record: RunRecord, case: UseCaseRecord) -> str:
    """repro-<run>-<use case>, with -2, -3... when reproduced again."""
    base = f"repro-{record.id[:8]}-{case.name}"[:60]
    n = 1
    name = base
    while env_dir(spec.state_dir, name).exists():
        n += 1
        name = f"{base}-{n}"
    return name
