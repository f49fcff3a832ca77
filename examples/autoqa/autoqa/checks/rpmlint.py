"""rpmlint-style checks on the RPM files themselves, downloaded from Koji's file tree."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import requests
import rpmfile

from autoqa.checks import Finding
from autoqa.errors import ServiceError
from autoqa.items import Target
from autoqa.services import Services


def check(services: Services, target: Target) -> list[Finding]:
    errors, warnings, lines, arches = 0, 0, [], set()
    with tempfile.TemporaryDirectory(prefix="autoqa-rpmlint-") as folder:
        for build in target.builds:
            for rpm in services.koji_call("listRPMs", buildID=build["id"]):
                arches.add(rpm["arch"])
                path = _download(services, build, rpm, Path(folder))
                for level, message in lint(_headers(path)):
                    lines.append(f"{rpm['nvr']}.{rpm['arch']}: {level}: {message}")
                    errors, warnings = errors + (level == "E"), warnings + (level == "W")
    outcome = "FAILED" if errors else "PASSED"
    return [
        Finding(
            ",".join(sorted(arches)) or "noarch",
            outcome,
            f"{errors} errors, {warnings} warnings",
            lines or ["no problems found"],
        )
    ]


def lint(headers: dict[str, Any]) -> list[tuple[str, str]]:
    """(level, message) for each problem: E for errors, W for warnings."""
    found = []
    summary = (headers.get("summary") or "").strip()
    if not summary:
        found.append(("E", "no-summary-tag"))
    elif summary.endswith("."):
        found.append(("W", "summary-ended-with-dot"))
    if not (headers.get("license") or "").strip():
        found.append(("E", "no-license"))
    name = headers.get("name") or ""
    requires = [r for r in headers.get("requires") or [] if not r.startswith("rpmlib(")]
    if headers.get("arch") != "src" and (name.startswith("lib") or name.endswith("-libs")) and not requires:
        found.append(("E", "library-without-requires"))
    return found


def _download(services: Services, build: dict[str, Any], rpm: dict[str, Any], folder: Path) -> Path:
    relative = (
        f"packages/{build['name']}/{build['version']}/{build['release']}/{rpm['arch']}/"
        f"{rpm['nvr']}.{rpm['arch']}.rpm"
    )
    url = services.config.koji_files_url + relative

    def fetch() -> bytes:
        response = requests.get(url, timeout=60)
        response.raise_for_status()
        return response.content

    path = folder / Path(relative).name
    path.write_bytes(services.retry("koji files", fetch))
    return path


def _headers(path: Path) -> dict[str, Any]:
    try:
        with rpmfile.open(str(path)) as package:
            raw = package.headers
    except Exception as exc:
        raise ServiceError(f"koji files: {path.name} is not a readable RPM: {exc}") from None

    def text(value: Any) -> Any:
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
        if isinstance(value, list):
            return [text(v) for v in value]
        return value

    return {
        "name": text(raw.get("name")),
        "summary": text(raw.get("summary")),
        "license": text(raw.get("copyright")),
        "requires": text(raw.get("requirename")) or [],
        "arch": "src" if raw.get("sourcerpm") is None else text(raw.get("arch")),
    }
