"""The gathered answers as a world document (../shared/spec/world.md): what the mocks need to give the
same answers. Times are kept; ids are not (the mocks make their own)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from stagingqa.importer.gather import DEP_TYPES, Gathered
from stagingqa.world.model import Release, Tag
from stagingqa.world.tags import derived_tags

BUILD_STATES = {0: "BUILDING", 1: "COMPLETE", 2: "DELETED", 3: "FAILED", 4: "CANCELED"}
RELEASE_STATES = {"disabled": "archived"}  # Bodhi's states the world does not have
SENSE = {2: "<", 4: ">", 8: "=", 10: "<=", 12: ">="}  # RPMSENSE_LESS | GREATER | EQUAL


def world_document(found: Gathered, name: str, description: str, now: dt.datetime) -> dict[str, Any]:
    tags = sorted(found.tags)
    releases = [_release(r) for r in sorted(found.releases.values(), key=lambda r: r["name"])]
    derived = {t.name: t for r in releases for t in derived_tags(Release(**r))}
    doc: dict[str, Any] = {
        "name": name,
        "description": description,
        "now": _iso(now),
        "users": [{"name": user, "groups": groups} for user, groups in sorted(found.users.items())],
        "releases": releases,
        # a tag as the world derives it from its release goes without saying
        "tags": [t for t in (_tag(n, found.tags[n]) for n in tags) if Tag(**t) != derived.get(t["name"])],
        "builds": [_build(nvr, build, set(tags)) for nvr, build in sorted(found.builds.items())],
        "updates": [_update(u) for u in found.updates],
        "results": [_result(r) for r in reversed(found.results)],  # ResultsDB pages newest first
    }
    testcases = {r["testcase"]["name"]: r["testcase"].get("ref_url") for r in found.results}
    if any(testcases.values()):
        doc["resultsdb"] = {
            "testcases": [{"name": n, "ref_url": url} for n, url in sorted(testcases.items()) if url]
        }
    return {key: value for key, value in doc.items() if value != []}


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _bodhi_time(text: str | None) -> str | None:
    """Bodhi's naive UTC times ('2024-11-02 10:00:00')."""
    return text.replace(" ", "T") + "Z" if text else None


def _epoch_time(seconds: float | None) -> str | None:
    return _iso(dt.datetime.fromtimestamp(seconds, dt.UTC)) if seconds else None


def _release(release: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "version", "id_prefix", "long_name", "branch", "dist_tag")
    found = {key: str(release[key]) for key in keys if release.get(key) is not None}
    found["state"] = RELEASE_STATES.get(release["state"], release["state"])
    return found


def _tag(name: str, tag: dict[str, Any]) -> dict[str, Any]:
    info, parents = tag["info"], sorted(tag["parents"], key=lambda p: p["priority"])
    found: dict[str, Any] = {"name": name}
    if info.get("arches"):
        found["arches"] = info["arches"].split()
    found["inherits"] = [p["name"] for p in parents]
    if info.get("locked"):
        found["locked"] = True
    if info.get("perm"):
        found["perm"] = info["perm"]
    return found


def _build(nvr: str, build: dict[str, Any], tags: set[str]) -> dict[str, Any]:
    info = build["info"]
    found: dict[str, Any] = {"nvr": nvr}
    if info.get("epoch") is not None:
        found["epoch"] = info["epoch"]
    found["owner"] = info["owner_name"]
    found["state"] = BUILD_STATES.get(info["state"], "COMPLETE")
    found["started"] = _epoch_time(info.get("start_ts"))
    found["completed"] = _epoch_time(info.get("completion_ts"))
    found["tags"] = sorted(t for t in build["tags"] if t in tags)
    found["rpms"] = [_rpm(rpm, info) for rpm in sorted(build["rpms"], key=lambda r: (r["arch"], r["name"]))]
    return {key: value for key, value in found.items() if value is not None}


def _rpm(rpm: dict[str, Any], build: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"arch": rpm["arch"]}
    if rpm["name"] != build["package_name"]:
        found["name"] = rpm["name"]
    headers = rpm.get("headers") or {}
    for key in ("summary", "license"):
        if headers.get(key):
            found[key] = headers[key]
    evr = (
        f"{rpm['version']}-{rpm['release']}"
        if rpm.get("epoch") is None
        else (f"{rpm['epoch']}:{rpm['version']}-{rpm['release']}")
    )
    for dep in rpm.get("deps") or []:
        kind = DEP_TYPES.get(dep["type"])
        if kind is None or _automatic(kind, dep, rpm, evr):
            continue
        found.setdefault(kind, []).append(_dependency(dep))
    if rpm.get("files"):
        found["files"] = rpm["files"]
    return found


def _automatic(kind: str, dep: dict[str, Any], rpm: dict[str, Any], evr: str) -> bool:
    """What rpmbuild adds to every package by itself: rpmlib() requires, and the package's own
    `name = evr` and `name(arch) = evr` provides. The mocks' RPMs get them again when built."""
    if kind == "requires":
        return dep["name"].startswith("rpmlib(")
    if kind == "provides" and dep.get("version") in (evr, evr.split(":", 1)[-1]):
        return re.fullmatch(re.escape(rpm["name"]) + r"(\([^)]*\))?", dep["name"]) is not None
    return False


def _dependency(dep: dict[str, Any]) -> str:
    sense = SENSE.get(dep.get("flags", 0) & 14)
    return f"{dep['name']} {sense} {dep['version']}" if sense and dep.get("version") else dep["name"]


def _update(update: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "alias": update["alias"],
        "release": update["release"]["name"],
        "builds": [b["nvr"] for b in update["builds"]],
        "type": update["type"],
        "severity": update.get("severity") or "unspecified",
        "status": update["status"],
        "request": update.get("request"),
        "submitter": update["user"]["name"],
        "submitted": _bodhi_time(update.get("date_submitted")),
        "title": update.get("title"),
        "notes": update.get("notes") or "",
        "bugs": [b["bug_id"] for b in update.get("bugs") or []],
        "autokarma": update.get("autokarma", True),
        "autotime": update.get("autotime", False),
        "stable_karma": update.get("stable_karma"),
        "unstable_karma": update.get("unstable_karma"),
        "critpath": update.get("critpath", False),
        "date_testing": _bodhi_time(update.get("date_testing")),
        "date_stable": _bodhi_time(update.get("date_stable")),
        "comments": [_comment(c) for c in update.get("comments") or []],
        "karma": update.get("karma"),
    }
    return {key: value for key, value in found.items() if value not in (None, [], "")}


def _comment(comment: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "user": comment["user"]["name"],
        "text": comment.get("text") or "",
        "karma": comment.get("karma") or 0,
        "when": _bodhi_time(comment.get("timestamp")),
    }
    feedback = [{"bug_id": f["bug_id"], "karma": f["karma"]} for f in comment.get("bug_feedback") or []]
    if feedback:
        found["bug_feedback"] = feedback
    return found


def _result(result: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "testcase": result["testcase"]["name"],
        "outcome": result["outcome"],
        "submitted": _bodhi_time(result.get("submit_time")),
        "note": result.get("note"),
        "ref_url": result.get("ref_url"),
        "groups": list(result.get("groups") or []),
        "data": result.get("data") or {},
    }
    return {key: value for key, value in found.items() if value not in (None, [], {})}
