"""minitron: a small Taskotron-era system written for the tests, of the kind stagingqa was not written
around. Its runner and its checks live in two git repositories; it reads its settings from
`conf/minitron.yaml` (the working folder's first, else the one in its own checkout, as libtaskotron
did); it compares versions with the distribution's `rpm` bindings; it talks to Bodhi, Koji and
ResultsDB with nothing but the standard library. The checks' history has a known bug."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

RUNNER_PYPROJECT = """
[build-system]
requires = ["uv_build>=0.13,<0.14"]
build-backend = "uv_build"

[project]
name = "minitron"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["PyYAML>=6,<7"]

[project.scripts]
minitron = "minitron.cli:main"

[tool.uv.build-backend]
module-name = "minitron"
module-root = ""
"""

RUNNER_CLI = '''
"""minitron run --check NAME --item ALIAS: load a check from the checks folder and post its result."""
import argparse
import importlib.util
import json
import sys
import urllib.request
import xmlrpc.client
from pathlib import Path

import rpm  # the distribution's bindings: a venv sees them only with system.site_packages
import yaml

SOURCE = Path(__file__).resolve().parent.parent  # an editable install: the checkout itself


def settings():
    """./conf/minitron.yaml, else the checkout's conf/minitron.yaml (production defaults)."""
    for folder in (Path.cwd(), SOURCE):
        path = folder / "conf" / "minitron.yaml"
        if path.exists():
            return yaml.safe_load(path.read_text())
    sys.exit("minitron: no conf/minitron.yaml")


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def post_result(resultsdb, testcase, outcome, item, note):
    body = {"testcase": {"name": testcase}, "outcome": outcome, "note": note,
            "data": {"item": item, "type": "bodhi_update"}}
    request = urllib.request.Request(resultsdb.rstrip("/") + "/results", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def load_check(checks, name):
    spec = importlib.util.spec_from_file_location(name, Path(checks) / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(prog="minitron")
    parser.add_argument("command", choices=["run", "version"])
    parser.add_argument("--check")
    parser.add_argument("--item")
    args = parser.parse_args(argv)
    if args.command == "version":
        print(f"minitron 0.1.0 (rpm {rpm.__version__})")
        return
    conf = settings()
    update = get_json(conf["bodhi"].rstrip("/") + "/updates/" + args.item)["update"]
    koji = xmlrpc.client.ServerProxy(conf["koji"], allow_none=True)
    check = load_check(conf["checks"], args.check)
    outcome, note = check.run(update, koji, rpm.labelCompare)
    post_result(conf["resultsdb"], f"dist.{args.check}", outcome, args.item, note)
    print(f"{args.check} {outcome}: {note}")
'''

RUNNER_DEFAULT_CONF = """# production settings; staging puts a conf/minitron.yaml in the working folder
bodhi: https://bodhi.fedoraproject.org/
koji: https://koji.fedoraproject.org/kojihub
resultsdb: https://resultsdb.fedoraproject.org/api/v2.0
checks: /usr/share/minitron/checks
"""

CHECK_GOOD = '''
"""upgradepath: each build of the update must be newer than the latest of its package in the release."""


def evr(build):
    return (str(build.get("epoch") or 0), build["version"], build["release"])


def run(update, koji, compare):
    tag = update["release"]["dist_tag"]
    for build in update["builds"]:
        name = build["nvr"].rsplit("-", 2)[0]
        mine = koji.getBuild(build["nvr"])
        for latest in koji.getLatestBuilds(tag, None, name):
            if compare(evr(mine), evr(latest)) <= 0:
                return "FAILED", f"{build['nvr']} is not newer than {latest['nvr']} in {tag}"
    return "PASSED", "the upgrade path holds"
'''

CHECK_BUGGY = CHECK_GOOD.replace(
    "if compare(evr(mine), evr(latest)) <= 0:",
    "if mine['version'] <= latest['version']:  # compares versions as text",
)


@dataclass(frozen=True)
class Minitron:
    runner: Path
    checks: Path
    good: str  # the checks' commit before the bug
    bug: str  # the commit that compares versions as text
    head: str  # the checks' master: the bug, then an unrelated commit


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "tests",
            "GIT_AUTHOR_EMAIL": "tests@example.org",
            "GIT_COMMITTER_NAME": "tests",
            "GIT_COMMITTER_EMAIL": "tests@example.org",
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
        },
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def make_minitron(folder: Path) -> Minitron:
    """Both repositories, with the checks' history: good, the bug, an unrelated change."""
    runner, checks = folder / "minitron", folder / "minitron-checks"
    for repo in (runner, checks):
        repo.mkdir(parents=True)
        git(repo, "init", "-q", "-b", "master")
    commit(
        runner,
        {
            "pyproject.toml": RUNNER_PYPROJECT,
            "minitron/__init__.py": "",
            "minitron/cli.py": RUNNER_CLI,
            "conf/minitron.yaml": RUNNER_DEFAULT_CONF,
        },
        "minitron runner",
    )
    good = commit(checks, {"upgradepath.py": CHECK_GOOD}, "upgradepath: compare EVRs with rpm")
    bug = commit(checks, {"upgradepath.py": CHECK_BUGGY}, "upgradepath: simpler version comparison")
    head = commit(checks, {"README": "minitron's checks\n"}, "a README")
    return Minitron(runner, checks, good, bug, head)


SPEC = """
name: minitron
system:
  components:
    - name: runner
      repository: {runner}
      install: ["uv pip install --quiet --python {{python}} -e {{src:runner}}"]
    - name: checks
      repository: {checks}
  python: /usr/bin/python3            # the distribution's interpreter: its rpm bindings
  site_packages: true
  check: "{{python}} -c 'import rpm, minitron.cli'"
  files:
    "{{home}}/conf/minitron.yaml": |
      bodhi: "{{bodhi}}"
      koji: "{{koji}}"
      resultsdb: "{{resultsdb}}"
      checks: "{{src:checks}}"
  triggers:
    bodhi_update: minitron run --check {{check}} --item {{item}}
world: {world}
usecases: {usecases}
state: {state}
ttl: 1h
"""

WORLD = """
name: minitron
now: 2024-11-02T12:00:00Z
users: [{name: packager1, groups: [packager]}]
releases:
  - {name: F41, version: "41", state: current}
builds:
  - {nvr: tool-1.9-1.fc41, tags: [f41]}
  - {nvr: tool-1.10-1.fc41, tags: [f41-updates-candidate]}
  - {nvr: nano-8.0-1.fc41, tags: [f41]}
  - {nvr: nano-8.1-1.fc41, tags: [f41-updates-candidate]}
  - {nvr: zsh-5.9-1.fc41, tags: [f41]}
  - {nvr: zsh-5.8-1.fc41, tags: [f41-updates-candidate]}
  - {nvr: wget-1.21-1.fc41, tags: [f41]}
  - {nvr: wget-1.22-1.fc41, tags: [f41-updates-candidate]}
updates:
  - {alias: FEDORA-2024-1, release: F41, builds: [tool-1.10-1.fc41], status: pending, submitter: packager1}
  - {alias: FEDORA-2024-2, release: F41, builds: [nano-8.1-1.fc41], status: pending, submitter: packager1}
  - {alias: FEDORA-2024-3, release: F41, builds: [zsh-5.8-1.fc41], status: pending, submitter: packager1}
  - {alias: FEDORA-2024-4, release: F41, builds: [wget-1.22-1.fc41], status: pending, submitter: packager1}
"""

USECASE = """
name: {name}
description: {description}
tags: [minitron, upgradepath]
world: {{base: ../world.yaml}}
steps:
  - {{trigger: bodhi_update, check: upgradepath, item: {item}}}
expect:
  results: [{{testcase: dist.upgradepath, outcome: {outcome}, item: {item}, count: 1}}]
  budgets: {{unique_results: true}}
"""

USECASES = [
    ("tool-1-10-is-newer", "1.10 is newer than 1.9 (text says otherwise)", "FEDORA-2024-1", "PASSED"),
    ("nano-upgrade", "8.1 is newer than 8.0", "FEDORA-2024-2", "PASSED"),
    ("zsh-downgrade", "5.8 is older than 5.9", "FEDORA-2024-3", "FAILED"),
    ("wget-upgrade", "1.22 is newer than 1.21", "FEDORA-2024-4", "PASSED"),
]


def write_staging(folder: Path, system: Minitron) -> Path:
    """staging.yaml, the world and four use cases for minitron; the spec's path."""
    (folder / "world.yaml").write_text(WORLD)
    cases = folder / "usecases"
    cases.mkdir()
    for name, description, item, outcome in USECASES:
        text = USECASE.format(name=name, description=description, item=item, outcome=outcome)
        (cases / f"{name}.yaml").write_text(text)
    spec = folder / "staging.yaml"
    spec.write_text(
        SPEC.format(
            runner=system.runner,
            checks=system.checks,
            world=folder / "world.yaml",
            usecases=cases,
            state=folder / "state",
        )
    )
    return spec
