"""Turn a recorded run (or a live world) into a new use case: its world is the captured state, its
expectations what was actually posted. Written for a maintainer to review and keep."""

from __future__ import annotations

import datetime
import json
import os
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stagingqa.control import ControlClient
from stagingqa.environment.handle import Environment
from stagingqa.environment.mockhost import running_base
from stagingqa.environment.state import all_states
from stagingqa.errors import InputError
from stagingqa.runs.store import open_store
from stagingqa.spec import LoadedSpec
from stagingqa.verifier.runner import run_usecase
from stagingqa.verifier.usecase import load_usecase, loaded_with_world, named_usecase
from stagingqa.verifier.verdict import Status
from stagingqa.world.source import parse_text

URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Captured:
    usecase: Path
    world: Path
    results: int
    comments: int


@dataclass(frozen=True)
class _Source:
    """What a capture starts from: the use case's text and file, the world its steps ran on, and what
    they posted."""

    origin: str
    text: str
    path: Path
    document: dict[str, Any]
    results: list[dict[str, Any]]
    comments: list[dict[str, Any]]


def capture(
    spec: LoadedSpec,
    source: str,
    usecase: str | None = None,
    out: Path | None = None,
    name: str | None = None,
    env_name: str | None = None,
) -> Captured:
    """SOURCE is a run (id, prefix, latest): its use case's world before the run, its steps, and what it
    posted. Or a world on the mock host: its state now, the steps of use case USECASE, and what they post
    when run once on it in environment ENV."""
    found = _from_run(spec, source, usecase) or _from_world(spec, source, usecase, env_name)
    name = name or f"{yaml.safe_load(found.text)['name']}-captured"
    out = out or spec.resolve(spec.spec.usecases) / "captured" / f"{name}.yaml"
    world_file = out.parent / "worlds" / f"{name}.yaml"
    world_file.parent.mkdir(parents=True, exist_ok=True)
    world_file.write_text(
        f"# captured from {found.origin}\n"
        + yaml.safe_dump({**found.document, "name": name}, sort_keys=False, width=1000)
    )
    written = _usecase_document(found, name, out)
    out.write_text(yaml.safe_dump(written, sort_keys=False, width=1000, allow_unicode=True))
    return Captured(out, world_file, len(found.results), len(found.comments))


def _from_run(spec: LoadedSpec, reference: str, usecase: str | None) -> _Source | None:
    """A recorded run's use case, or None when `reference` names no run."""
    try:
        record = open_store(spec).get(reference)
    except InputError:
        return None
    case = record.usecase(usecase)
    if not case.world:
        raise InputError(f"use case {case.name} of run {record.id} never ran: {case.error}")
    origin = f"run {record.id} (revision {record.revision[:12]}, {case.status})"
    return _Source(origin, case.usecase_text, Path(case.path), case.world, case.results, case.comments)


def _from_world(spec: LoadedSpec, world: str, usecase: str | None, env_name: str | None) -> _Source:
    text, path, document = _live_world(spec, world, usecase)
    results, comments = _posted_once(spec, text, path, document, env_name, world)
    return _Source(f"world {world}", text, path, document, results, comments)


def _usecase_document(found: _Source, name: str, out: Path) -> dict[str, Any]:
    """The new use case: the original's description, tags, faults and steps; expectations as posted."""
    original = parse_text(found.text, str(found.path)).data
    return {
        "name": name,
        "description": f"Captured from {found.origin} on {datetime.date.today()}: review before keeping. "
        + (original.get("description") or ""),
        "tags": sorted({*original.get("tags", []), "captured"}),
        **({"bug": original["bug"]} if original.get("bug") else {}),
        "world": {"base": f"worlds/{name}.yaml"},
        **({"faults": original["faults"]} if original.get("faults") else {}),
        "steps": [_moved(step, found.path.parent, out.parent) for step in original["steps"]],
        "expect": expectations(found.results, found.comments),
    }


def expectations(results: list[dict[str, Any]], comments: list[dict[str, Any]]) -> dict[str, Any]:
    """What was posted, as exact counts of each distinct result and comment, and the budgets it kept."""
    expect: dict[str, Any] = {}
    counted = Counter(_result_expectation(r) for r in results)
    if counted:
        expect["results"] = [{**dict(key), "count": n} for key, n in counted.items()]
    said = Counter(_comment_expectation(c) for c in comments)
    if said:
        expect["comments"] = [{**dict(key), "count": n} for key, n in said.items()]
    budgets: dict[str, Any] = {}
    identities = Counter(
        (r["testcase"], tuple(r["data"].get("item", [])), tuple(sorted(r["data"].get("arch", []))))
        for r in results
    )
    if identities and max(identities.values()) == 1:
        budgets["unique_results"] = True
    if comments:
        budgets["comments_per_update"] = max(Counter(c["update"] for c in comments).values())
    if budgets:
        expect["budgets"] = budgets
    return expect


def _result_expectation(result: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    data = result.get("data", {})
    fields: list[tuple[str, Any]] = [("testcase", result["testcase"]), ("outcome", result["outcome"])]
    for key in ("item", "type"):
        if len(data.get(key, [])) == 1:
            fields.append((key, data[key][0]))
    if data.get("arch"):
        fields.append(("arch", tuple(sorted(data["arch"]))))
    if result.get("note"):
        fields.append(("note", _exact(result["note"])))
    return tuple(fields)


def _comment_expectation(comment: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return (
        ("update", comment["update"]),
        ("user", comment["user"]),
        ("karma", comment["karma"]),
        ("text", _exact(comment["text"])),
    )


def _exact(text: str) -> str:
    """A pattern matching exactly `text`, but any URL where it has one (URLs carry ids and ports)."""
    return "^" + r"https?://\S+".join(map(_escape, URL.split(text))) + "$"


def _escape(text: str) -> str:
    """Like re.escape, but leaving spaces and punctuation that need none: patterns a reviewer can read."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text).replace("\n", "\\n").replace("\t", "\\t")


def _moved(step: dict[str, Any], old: Path, new: Path) -> dict[str, Any]:
    """A step whose {usecase_dir} still points at the original folder from the captured file's folder."""
    if "command" not in step or "{usecase_dir}" not in step["command"]:
        return step
    relative = os.path.relpath(old.resolve(), new.resolve())
    target = "{usecase_dir}" if relative == "." else "{usecase_dir}/" + relative
    return {**step, "command": step["command"].replace("{usecase_dir}", target)}


def _live_world(spec: LoadedSpec, world: str, usecase: str | None) -> tuple[str, Path, dict[str, Any]]:
    base = spec.spec.mocks.url or running_base(spec.state_dir)
    client = ControlClient(base, spec.control_token, timeout=30) if base else None
    if client is None or not client.healthy() or not client.has_world(world):
        raise InputError(f"{world!r} is neither a recorded run nor a world on the mock host")
    if usecase is None:
        raise InputError("capturing a world needs --usecase: the use case whose steps run on it")
    path = named_usecase(spec.resolve(spec.spec.usecases), usecase)
    return path.read_text(), path, client.export(world)


def _posted_once(
    spec: LoadedSpec, text: str, path: Path, document: dict[str, Any], env_name: str | None, world: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the steps once on a copy of the world in an environment: what they post is what is expected."""
    env = _owner(spec, world) if env_name is None else Environment.open(spec, env_name)
    if not env.ready:
        raise InputError(f"no ready environment {env.name!r} to run the steps in (give --env)")
    load_usecase(path)  # its own errors first, with file and line
    loaded = loaded_with_world(text, path, document)
    verdict = run_usecase(env, loaded, "capture-" + uuid.uuid4().hex[:8])
    if verdict.status == Status.ERROR:
        raise InputError(f"the steps could not run on world {world}: {verdict.error}")
    return list(verdict.results), list(verdict.comments)


def _reproduced_world(folder: Path) -> str | None:
    try:
        return json.loads((folder / "reproduce" / "reproduction.json").read_text())["world"]
    except (OSError, ValueError, KeyError):
        return None


def _owner(spec: LoadedSpec, world: str) -> Environment:
    """The environment a world belongs to: env-NAME is NAME's own, r-... a reproduction's."""
    for folder, state in all_states(spec.state_dir):
        if state and world in (state.world, _reproduced_world(folder)):
            return Environment(spec, folder, state)
    raise InputError(f"world {world!r} belongs to no environment here: give --env")
