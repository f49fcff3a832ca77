"""watch --once: check the updates waiting for testing and the builds new in candidate tags, once each."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from autoqa.items import load_releases
from autoqa.runner import Outcome, run_check
from autoqa.services import Services

UPDATE_CHECKS = ("upgradepath", "depcheck")
BUILD_CHECKS = ("rpmlint",)


def load_state(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"checked": {}}
    return json.loads(path.read_text())


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Atomically: an interrupted watch never leaves half a state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".state-")
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)


def pending_items(services: Services) -> Iterator[tuple[str, str, str]]:
    """(key, type, item) for updates waiting for or in testing, and builds in candidate tags."""
    for query in ({"request": "testing"}, {"status": "testing"}):
        page = 1
        while True:
            answer = services.retry(
                "bodhi", lambda q=query, p=page: services.bodhi.query(**q, page=p, rows_per_page=100)
            )
            for update in answer["updates"]:
                yield (
                    f"bodhi_update:{update['alias']}:{update['version_hash']}",
                    "bodhi_update",
                    update["alias"],
                )
            if page >= answer["pages"]:
                break
            page += 1
    for release in load_releases(services):
        if release.state in ("current", "pending", "frozen"):
            for build in services.koji_call("listTagged", release.candidate_tag):
                yield f"koji_build:{build['nvr']}", "koji_build", build["nvr"]


def watch_once(services: Services, report: Callable[[Outcome], None]) -> int:
    """Check every new item; the state is saved after each one so an interrupted watch loses nothing."""
    path = services.config.state_file
    state = load_state(path)
    done = 0
    seen: set[str] = set()
    for key, kind, item in pending_items(services):
        if key in state["checked"] or key in seen:
            continue
        seen.add(key)
        outcomes = [
            run_check(services, check, kind, item)
            for check in (UPDATE_CHECKS if kind == "bodhi_update" else BUILD_CHECKS)
        ]
        for outcome in outcomes:
            report(outcome)
        if not any(o.error for o in outcomes):
            state["checked"][key] = [o.results[0]["id"] for o in outcomes if o.results]
            save_state(path, state)
        done += 1
    return done
