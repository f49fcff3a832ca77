"""depcheck: every binary RPM's requires are met by the Koji repository of the update's tag plus the
update's builds, resolved with libsolv as AutoQA's depcheck resolved with yum."""

from __future__ import annotations

from typing import Any

import requests

from autoqa.checks import Finding
from autoqa.checks.resolver import Resolver
from autoqa.items import Target
from autoqa.services import Services

HEADERS = [
    "name",
    "epoch",  # the package's own EVR, which the resolver gives its solvable
    "version",
    "release",
    "providename",
    "provideversion",
    "provideflags",
    "requirename",
    "requireversion",
    "requireflags",
    "basenames",
    "dirnames",
    "dirindexes",
]


def check(services: Services, target: Target) -> list[Finding]:
    stem = target.release.dist_tag
    build_tag = services.koji_call("getTag", f"{stem}-build") or {}
    arches = (build_tag.get("arches") or "x86_64").split()
    findings = [_check_arch(services, target, arch) for arch in arches]
    checked = [f for f in findings if f.details != [f"0 RPMs checked on {f.arch}"]]
    return checked or findings[:1]  # arches the update has no RPMs for say nothing


def _check_arch(services: Services, target: Target, arch: str) -> Finding:
    provided = Resolver(arch)
    repository = f"{services.config.koji_files_url}repos/{target.repository_tag}/latest/{arch}/"
    # the update's builds replace the repository's builds of the same packages
    provided.add_repository(lambda url: _fetch(services, url), repository, {b["name"] for b in target.builds})
    own = _headers(services, target.builds, arch)
    for headers in own:
        _add_provides(provided, headers)
    problems = []
    for headers in own:
        for require in provided.unsatisfied(provided.package(headers)):
            problems.append(f"{headers['name']}.{headers['_arch']} requires {require}: nothing provides it")
    outcome = "FAILED" if problems else "PASSED"
    note = f"{len(problems)} unsatisfied requires" if problems else f"{len(own)} RPMs: all requires satisfied"
    return Finding(arch, outcome, note, problems or [f"{len(own)} RPMs checked on {arch}"])


def _fetch(services: Services, url: str) -> bytes:
    """A file of the repository's metadata, retried as every service call is."""

    def fetch() -> bytes:
        response = requests.get(url, timeout=60)
        response.raise_for_status()
        return response.content

    return services.retry("koji files", fetch)


def _headers(services: Services, builds: list[dict[str, Any]], arch: str) -> list[dict[str, Any]]:
    rpm_lists = services.koji_multicall(
        [
            (
                "listRPMs",
                (),
                {"buildID": b["build_id"] if "build_id" in b else b["id"], "arches": [arch, "noarch"]},
            )
            for b in builds
        ]
    )
    rpms = [r for found in rpm_lists for r in found]
    answers = services.koji_multicall(
        [("getRPMHeaders", (), {"rpmID": r["id"], "headers": HEADERS}) for r in rpms]
    )
    return [{**headers, "_arch": r["arch"]} for r, headers in zip(rpms, answers, strict=True) if headers]


def _add_provides(provided: Resolver, headers: dict[str, Any]) -> None:
    provided.add_provides(provided.package(headers), headers)
