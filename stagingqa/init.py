"""`stagingqa init`: a commented staging.yaml, a world and one example use case for a new system, written
and validated at once (as `tox quickstart` starts a tox.ini)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from stagingqa.errors import InputError
from stagingqa.spec import DEFAULT_INSTALL, LoadedSpec, load_spec

DEFAULT_TRIGGER = 'echo "replace me: run check {check} on {item}"'

WORLD = """\
# A small world to start from: one release, a build in testing and its update (docs: ../shared/spec/world.md).
name: {name}
now: 2024-11-02T12:00:00Z
users:
  - {{name: packager1, groups: [packager]}}
releases:
  - {{name: F41, version: "41", state: current}}
builds:
  - {{nvr: hello-2.12-1.fc41, tags: [f41]}}
  - {{nvr: hello-2.13-1.fc41, tags: [f41-updates-candidate, f41-updates-testing]}}
updates:
  - {{alias: FEDORA-2024-0000000001, release: F41, builds: [hello-2.13-1.fc41], status: testing}}
"""

USECASE = """\
# An example use case (docs/usecases.md): a world, what happens, what must be true afterwards.
name: example
description: The trigger runs on the world's update; make the expectations what your system posts.
tags: [example]
world: {{base: ../worlds/world.yaml}}
steps:
  - {{trigger: {trigger}, check: example-check, item: FEDORA-2024-0000000001}}
expect:
  # results: [{{testcase: dist.example-check, outcome: PASSED, item: FEDORA-2024-0000000001, count: 1}}]
  # comments: [{{update: FEDORA-2024-0000000001, user: autoqa, text: "example-check"}}]
  budgets: {{requests: {{resultsdb: 50}}}}
"""


@dataclass(frozen=True)
class Answers:
    """What `init` asks: the system's name, its repositories (NAME=URL for several), how to run it."""

    name: str
    repositories: list[str]
    python: str | None = None
    site_packages: bool = False
    trigger: str = DEFAULT_TRIGGER
    trigger_name: str = "bodhi_update"
    environment: dict[str, str] = field(
        default_factory=lambda: {
            "KOJI_URL": "{koji}",
            "KOJI_FILES_URL": "{kojifiles}",
            "BODHI_URL": "{bodhi}",
            "RESULTSDB_URL": "{resultsdb}",
        }
    )


@dataclass(frozen=True)
class Initialized:
    spec: LoadedSpec
    files: list[Path]


def initialize(folder: Path, answers: Answers, force: bool = False) -> Initialized:
    """Write staging.yaml, worlds/world.yaml and usecases/example.yaml into `folder`, then load them."""
    files = {
        folder / "staging.yaml": spec_text(answers),
        folder / "worlds" / "world.yaml": WORLD.format(name=answers.name),
        folder / "usecases" / "example.yaml": USECASE.format(trigger=answers.trigger_name),
    }
    existing = [str(p) for p in files if p.exists()]
    if existing and not force:
        raise InputError(f"{', '.join(existing)} already exist(s): --force replaces them")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    spec = load_spec(folder / "staging.yaml")
    from stagingqa.verifier.usecase import load_usecase  # only now: every other command starts faster

    load_usecase(folder / "usecases" / "example.yaml", spec.spec.system.triggers)
    return Initialized(spec, list(files))


def spec_text(answers: Answers) -> str:
    """A commented staging.yaml for `answers`."""
    lines = [
        "# What stagingqa stages and how (docs/staging-spec.md); `stagingqa up` makes an environment of it.",
        f"name: {answers.name}",
        "system:",
        *_repositories(answers.repositories),
        "  install_timeout: 600s            # an install command still running then is ended",
    ]
    if answers.python:
        lines.append(f"  python: {answers.python}  # the environment's interpreter")
    if answers.site_packages:
        lines.append(
            "  site_packages: true             # the interpreter's own packages (rpm, libdnf) in the venv"
        )
    lines += [
        "  # check: mysystem --version         # must exit 0 for an environment to be ready",
        "  environment:                        # what the system is given; {koji}... its world's URLs",
        *(f"    {key}: {json.dumps(value)}" for key, value in answers.environment.items()),
        "  # files:                            # settings files, rendered into each use case's {home}",
        '  #   "{home}/conf/settings.yaml": |',
        '  #     resultsdb: "{resultsdb}"',
        "  triggers:                           # how a use case's step runs the system",
        f"    {answers.trigger_name}: {json.dumps(answers.trigger)}",
        "world: worlds/world.yaml               # each environment's world starts as this file",
        "usecases: usecases",
        "state: .stagingqa                      # environments, the mock host, run records",
        "ttl: 24h",
        "",
    ]
    return "\n".join(lines)


def _repositories(repositories: list[str]) -> list[str]:
    """The one-repository form, or components (NAME=URL each; the first is the primary one)."""
    if not repositories:
        raise InputError("give the system's repository: --repository URL (or NAME=URL, repeated)")
    named = [r.partition("=") for r in repositories]
    if len(repositories) == 1 and not named[0][1]:
        return [
            f"  repository: {json.dumps(repositories[0])}   # a git URL, or a path relative to this file",
            "  branch: master",
            "  install:",
            f"    - {DEFAULT_INSTALL}",
        ]
    lines = ["  components:                         # checked out side by side, installed in order"]
    for n, (name, sep, url) in enumerate(named):
        if not sep:
            raise InputError(f"with several repositories each is NAME=URL, not {repositories[n]!r}")
        lines += [f"    - name: {name}", f"      repository: {json.dumps(url)}", "      branch: master"]
        if n == 0:
            lines.append(f'      install: ["uv pip install --quiet --python {{python}} -e {{src:{name}}}"]')
    return lines
