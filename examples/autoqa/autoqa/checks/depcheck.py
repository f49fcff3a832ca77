"""depcheck: every binary RPM's requires are met by the release's repository plus the update's builds."""

from __future__ import annotations

from typing import Any

from autoqa.checks import Finding
from autoqa.checks.depsolve import Dependency, Provides
from autoqa.items import Target
from autoqa.services import Services

HEADERS = [
    "name",
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
    repository = services.koji_call("listTagged", target.repository_tag, inherit=True, latest=True)
    mine = {b["name"] for b in target.builds}
    others = [b for b in repository if b["name"] not in mine]  # the update's builds replace these
    findings = [_check_arch(services, target, others, arch) for arch in arches]
    checked = [f for f in findings if f.details != [f"0 RPMs checked on {f.arch}"]]
    return checked or findings[:1]  # arches the update has no RPMs for say nothing


def _check_arch(services: Services, target: Target, others: list[dict[str, Any]], arch: str) -> Finding:
    provided = Provides()
    for headers in _headers(services, others, arch):
        _add_provides(provided, headers)
    own = _headers(services, target.builds, arch)
    for headers in own:
        _add_provides(provided, headers)
    problems = []
    for headers in own:
        for require in _dependencies(headers, "require"):
            if not provided.satisfies(require):
                problems.append(
                    f"{headers['name']}.{headers['_arch']} requires {require}: nothing provides it"
                )
    outcome = "FAILED" if problems else "PASSED"
    note = f"{len(problems)} unsatisfied requires" if problems else f"{len(own)} RPMs: all requires satisfied"
    return Finding(arch, outcome, note, problems or [f"{len(own)} RPMs checked on {arch}"])


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


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _dependencies(headers: dict[str, Any], kind: str) -> list[Dependency]:
    names = _listed(headers.get(f"{kind}name"))
    versions = _listed(headers.get(f"{kind}version")) or [""] * len(names)
    flags = _listed(headers.get(f"{kind}flags")) or [0] * len(names)
    return [Dependency(n, f or 0, v or "") for n, v, f in zip(names, versions, flags, strict=False)]


def _add_provides(provided: Provides, headers: dict[str, Any]) -> None:
    for provide in _dependencies(headers, "provide"):
        provided.add(provide)
    dirs = _listed(headers.get("dirnames"))
    for base, index in zip(
        _listed(headers.get("basenames")), _listed(headers.get("dirindexes")), strict=False
    ):
        provided.files.add(f"{dirs[index]}{base}" if index < len(dirs) else base)
