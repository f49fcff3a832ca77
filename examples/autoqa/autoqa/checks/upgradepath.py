"""upgradepath: an update must not be older than what its release has, nor newer than a later release."""

from __future__ import annotations

from typing import Any

from autoqa.checks import Finding
from autoqa.items import Target
from autoqa.rpmvercmp import evr_compare
from autoqa.services import Services


def evr(build: dict[str, Any]) -> tuple[int | None, str, str]:
    return build["epoch"], build["version"], build["release"]


def newest(builds: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The highest EVR among builds (Koji's "latest" is the most recently tagged, not the highest)."""
    best = None
    for build in builds:
        if best is None or evr_compare(evr(build), evr(best)) > 0:
            best = build
    return best


def check(services: Services, target: Target) -> list[Finding]:
    own = target.release
    own_tags = [own.dist_tag, own.stable_tag, own.testing_tag]
    later = [(r, [r.dist_tag, r.stable_tag]) for r in target.later_releases]
    calls = [
        ("listTagged", (tag,), {"package": b["name"], "latest": True})
        for b in target.builds
        for tag in own_tags + [tag for _, tags in later for tag in tags]
    ]
    answers = iter(services.koji_multicall(calls))
    lines: list[str] = []
    failed: set[str] = set()  # the builds that break it: one may fail in several tags
    for build in target.builds:
        for tag in own_tags:
            latest = newest(next(answers))
            if latest and latest["nvr"] != build["nvr"] and evr_compare(evr(latest), evr(build)) > 0:
                failed.add(build["nvr"])
                lines.append(f"[FAIL] {build['nvr']}: older than {latest['nvr']} in {tag}")
            else:
                lines.append(f"[ OK ] {build['nvr']}: {tag} has {latest['nvr'] if latest else 'no build'}")
        for release, tags in later:
            found = [b for tag in tags for b in next(answers)]
            best = newest(found)
            if best is None:
                lines.append(f"[ OK ] {build['nvr']}: {release.name} does not have {build['name']}")
            elif evr_compare(evr(build), evr(best)) > 0:
                failed.add(build["nvr"])
                lines.append(f"[FAIL] {build['nvr']}: newer than {best['nvr']} in {' + '.join(tags)}")
            else:
                lines.append(f"[ OK ] {build['nvr']}: {' + '.join(tags)} has {best['nvr']}")
    outcome = "FAILED" if failed else "PASSED"
    note = (
        f"{len(failed)} of {len(target.builds)} builds break the upgrade path"
        if failed
        else f"{len(target.builds)} builds keep the upgrade path"
    )
    return [Finding("noarch", outcome, note, [*lines, f"RESULT: {outcome}"])]
