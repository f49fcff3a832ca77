"""Cross-reference checks a schema cannot express: names that must resolve, duplicates, blocked packages."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from stagingqa.world.model import World
from stagingqa.world.source import Path
from stagingqa.world.tags import effective_tags

Report = Callable[[Path, str], None]
RESULT_OUTCOMES = ("PASSED", "INFO", "FAILED", "NEEDS_INSPECTION")  # ResultsDB's built-in outcomes


def check_world(world: World, report: Report) -> None:
    """Call `report(path, message)` for every reference problem in `world`."""
    _unique(report, "releases", (r.name for r in world.releases), "release name")
    _unique(report, "tags", (t.name for t in world.tags), "tag name")
    _unique(report, "builds", (b.nvr for b in world.builds), "build nvr")
    _unique(report, "updates", (u.alias for u in world.updates), "update alias")
    _unique(report, "users", (u.name for u in world.users), "user name")
    tags = {t.name: t for t in effective_tags(world)}
    for i, tag in enumerate(world.tags):
        for parent in tag.inherits:
            if parent not in tags:
                report(("tags", i, "inherits"), f"tag {tag.name!r} inherits unknown tag {parent!r}")
    blocked = set()
    for i, entry in enumerate(world.packages):
        if entry.tag not in tags:
            report(("packages", i, "tag"), f"unknown tag {entry.tag!r}")
        if entry.blocked:
            blocked.add((entry.tag, entry.name))
    for i, build in enumerate(world.builds):
        _check_build(report, i, build.nvr, build.tags, tags, blocked)
    _check_base_packages(world, report)
    releases = {r.name for r in world.releases}
    nvrs = {b.nvr for b in world.builds}
    outcomes = (*RESULT_OUTCOMES, *(o.upper() for o in world.resultsdb.extra_outcomes))
    for i, result in enumerate(world.results):
        if result.outcome.strip().upper() not in outcomes:
            report(
                ("results", i, "outcome"),
                f"unknown outcome {result.outcome!r}; expected one of "
                f"{', '.join(outcomes)} (more with resultsdb.extra_outcomes)",
            )
    for i, change in enumerate(world.history):
        if change.build not in nvrs:
            report(("history", i, "build"), f"unknown build {change.build!r}")
        if change.tag not in tags:
            report(("history", i, "tag"), f"unknown tag {change.tag!r}")
    for i, update in enumerate(world.updates):
        if update.release not in releases:
            report(
                ("updates", i, "release"),
                f"unknown release {update.release!r} (releases: {', '.join(sorted(releases)) or 'none'})",
            )
        for j, nvr in enumerate(update.builds):
            if nvr not in nvrs:
                report(("updates", i, "builds", j), f"unknown build {nvr!r} in update {update.alias!r}")


def _check_base_packages(world: World, report: Report) -> None:
    """A package is a build or a base package of its release, never both (its repositories would hold
    two packages of one name)."""
    built: dict[str, str] = {}
    for build in world.builds:
        name = build.nvr.rsplit("-", 2)[0]
        for package in {name, *(rpm.name or name for rpm in build.rpms or [])}:
            built.setdefault(package, build.nvr)
    for i, release in enumerate(world.releases):
        seen: set[tuple[str, str | None]] = set()
        for j, base in enumerate(release.base_packages):
            where = ("releases", i, "base_packages", j, "name")
            if base.name in built:
                report(
                    where,
                    f"base package {base.name!r} of release {release.name} contradicts build "
                    f"{built[base.name]!r}: a package is a build or a base package, not both",
                )
            if (base.name, base.arch) in seen:
                report(where, f"duplicate base package {base.name!r} in release {release.name}")
            seen.add((base.name, base.arch))


def _check_build(report: Report, i: int, nvr: str, build_tags: list[str], tags: dict, blocked: set) -> None:
    parts = nvr.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        report(("builds", i, "nvr"), f"{nvr!r} is not name-version-release")
        return
    for j, tag in enumerate(build_tags):
        if tag not in tags:
            report(("builds", i, "tags", j), f"build {nvr!r} is tagged into unknown tag {tag!r}")
        elif (tag, parts[0]) in blocked:
            report(
                ("builds", i, "tags", j),
                f"build {nvr!r} cannot be tagged into {tag!r}: package {parts[0]!r} is blocked there",
            )


def _unique(report: Report, section: str, names: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            report((section, i), f"duplicate {what} {name!r}")
        seen.add(name)
