"""What a repo holds: the latest build of each package in its tag with inheritance, at the repo's event
(listTagged(latest=True)'s rule), for each of its arches (noarch packages in every one, source packages
in `src`), and the base packages of the tag's release."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.koji.tagged import tag_order, tagged_builds
from stagingqa.mocks.store import tables as t
from stagingqa.world import World
from stagingqa.world.model import BasePackage
from stagingqa.world.tags import release_tag_prefix

DEFAULT_ARCHES = ["x86_64"]


@dataclass
class Contents:
    """One repo arch's packages: RPM rows with their builds, and base packages (metadata only)."""

    rpms: list[tuple[t.Rpm, t.Build]] = field(default_factory=list)
    base: list[BasePackage] = field(default_factory=list)


def repo_arches(session: Session, world: World, tag: t.Tag) -> list[str]:
    """The tag's arches (a parent's, inherited, when it has none), else every binary arch of the world."""
    for tag_id in tag_order(session, tag.id, inherit=True):
        arches = session.get(t.Tag, tag_id).arches  # type: ignore[union-attr]
        if arches:
            return sorted(set(arches) - {"noarch", "src"})
    found = {rpm.arch for build in world.builds for rpm in build.rpms or []}
    found |= {base.arch for release in world.releases for base in release.base_packages if base.arch}
    return sorted(found - {"noarch", "src"}) or DEFAULT_ARCHES


def repo_contents(session: Session, world: World, repo: t.Repo, arch: str) -> Contents:
    """The packages of `repo` for `arch` (`src`: the source packages)."""
    tag = session.get(t.Tag, repo.tag_id)
    assert tag is not None  # a repo row always has its tag
    builds = {
        b.id: b
        for b, _tag, _event in tagged_builds(
            session, tag.id, inherit=True, latest=True, event=repo.create_event
        )
    }
    rows: list[t.Rpm] = []
    if builds:
        rows = list(session.scalars(select(t.Rpm).where(t.Rpm.build_id.in_(builds)).order_by(t.Rpm.id)))
    wanted = {"src"} if arch == "src" else {arch, "noarch"}
    found = Contents([(rpm, builds[rpm.build_id]) for rpm in rows if rpm.arch in wanted])
    if arch != "src":
        found.base = [
            _for_arch(base, arch)
            for base in base_packages(world, tag.name)
            if base.arch in (None, arch, "noarch")
        ]
    return found


def base_packages(world: World, tag_name: str) -> list[BasePackage]:
    """The base packages of the release whose tags `tag_name` belongs to (f41, f41-updates, f41-build...)."""
    for release in world.releases:
        stem = release_tag_prefix(release)
        if tag_name == stem or tag_name.startswith(stem + "-"):
            return list(release.base_packages)
    return []


def _for_arch(base: BasePackage, arch: str) -> BasePackage:
    return base if base.arch else base.model_copy(update={"arch": arch})


def describe(found: Contents) -> list[Any]:
    """What the metadata is made of, for the content key of its cache."""
    return [
        *sorted((rpm.name, rpm.version, rpm.release, rpm.arch, build.nvr) for rpm, build in found.rpms),
        *sorted(base.model_dump_json() for base in found.base),
    ]
