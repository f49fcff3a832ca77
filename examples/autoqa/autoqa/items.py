"""What a check looks at: the builds of a Bodhi update or one Koji build, and the releases around it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from autoqa import ITEM_TYPES as TYPES
from autoqa.errors import ItemNotFound
from autoqa.services import Services


@dataclass
class Release:
    name: str
    version: int
    state: str
    dist_tag: str
    stable_tag: str
    testing_tag: str
    candidate_tag: str


@dataclass
class Target:
    """One item to check."""

    type: str
    item: str
    release: Release
    builds: list[dict[str, Any]]
    update: dict[str, Any] | None = None
    releases: list[Release] = field(default_factory=list)

    @property
    def later_releases(self) -> list[Release]:
        return [r for r in self.releases if r.version > self.release.version and r.state != "archived"]

    @property
    def repository_tag(self) -> str:
        """Where the builds are headed: the stable tag for stable requests, else the testing tag."""
        if self.update and "stable" in (self.update.get("request"), self.update.get("status")):
            return self.release.stable_tag
        return self.release.testing_tag


def load_releases(services: Services) -> list[Release]:
    answer = services.retry("bodhi", lambda: services.bodhi.get_releases(rows_per_page=100))
    found = []
    for r in answer["releases"]:
        if not str(r["version"]).isdigit():
            continue
        found.append(
            Release(
                r["name"],
                int(r["version"]),
                r["state"],
                r["dist_tag"],
                r["stable_tag"],
                r["testing_tag"],
                r["candidate_tag"],
            )
        )
    return found


def resolve(services: Services, kind: str, item: str) -> Target:
    """Look the item up in Bodhi and Koji; an unknown item is ItemNotFound."""
    releases = load_releases(services)
    by_name = {r.name: r for r in releases}
    if kind == "bodhi_update":
        updates = services.retry("bodhi", lambda: services.bodhi.query(updateid=item))["updates"]
        if not updates:
            raise ItemNotFound(f"no such Bodhi update: {item}")
        update = updates[0]
        builds = services.koji_multicall(
            [("getBuild", (b["nvr"],), {"strict": True}) for b in update["builds"]]
        )
        release = by_name.get(update["release"]["name"])
        if release is None:
            raise ItemNotFound(
                f"update {item} is for release {update['release']['name']}, which Bodhi does not list"
            )
        return Target(kind, item, release, builds, update, releases)
    if kind == "koji_build":
        build = services.koji_call("getBuild", item)
        if build is None:
            raise ItemNotFound(f"no such Koji build: {item}")
        match = re.search(r"\.fc(\d+)", build["release"])
        release = next((r for r in releases if match and r.version == int(match.group(1))), None)
        if release is None:
            raise ItemNotFound(f"cannot tell the release of {item}: no Bodhi release matches its dist tag")
        return Target(kind, item, release, [build], None, releases)
    raise ItemNotFound(f"unknown item type {kind!r}; expected one of {', '.join(TYPES)}")
