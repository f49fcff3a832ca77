"""Run every benchmark and print the figures (the command docs/performance.md quotes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    bodhi,
    buildbot,
    deploy,
    environments,
    floor,
    inprocess,
    koji,
    koji_repos,
    mock_host,
    mutation,
    reliability,
    resultsdb,
    runs,
    ui,
    usecases,
    world_import,
)

SUITES = {
    "mock_host": mock_host.run,
    "resultsdb": resultsdb.run,
    "koji": koji.run,
    "koji_repos": koji_repos.run,
    "bodhi": bodhi.run,
    "floor": floor.run,
    "reliability": reliability.run,
    "world_import": world_import.run,
    "inprocess": inprocess.run,
    "environments": environments.run,
    "usecases": usecases.run,
    "runs": runs.run,
    "buildbot": buildbot.run,
    "ui": ui.run,
    "deploy": deploy.run,
    "mutation": mutation.run,
}


def main(names: list[str]) -> None:
    for name in names or list(SUITES):
        print(f"== {name}")
        print(json.dumps(SUITES[name](), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
