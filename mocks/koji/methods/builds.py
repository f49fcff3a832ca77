"""Build calls: getBuild, listBuilds, findBuildID and the per-type lookups the CLI makes."""

from __future__ import annotations

import datetime as dt
import fnmatch
from typing import Any

from sqlalchemy import select

from stagingqa.mocks.koji import shapes
from stagingqa.mocks.koji.lookups import find_build, find_user
from stagingqa.mocks.koji.methods.common import build_info, event_time, owner_id, query_opts
from stagingqa.mocks.koji.times import koji_ts
from stagingqa.mocks.store import tables as t

STATE_NUMBERS = shapes.BUILD_STATES


def get_build(call: Any, buildInfo: Any, strict: bool = False) -> dict[str, Any] | None:
    build = find_build(call.session, buildInfo, strict)
    return None if build is None else build_info(call, build)


def find_build_id(call: Any, info: Any, strict: bool = False) -> int | None:
    build = find_build(call.session, info, strict)
    return None if build is None else build.id


def get_build_type(call: Any, buildInfo: Any, strict: bool = False) -> dict[str, Any] | None:
    build = find_build(call.session, buildInfo, strict)
    return None if build is None else {"rpm": None}


def get_typed_build(call: Any, buildInfo: Any, strict: bool = False) -> None:
    """getMavenBuild, getWinBuild, getImageBuild: every build here is an RPM build."""
    find_build(call.session, buildInfo, strict)
    return None


def list_archives(call: Any, *args: Any, **kwargs: Any) -> list[Any]:
    return []


def get_build_logs(call: Any, build: Any) -> list[dict[str, str]]:
    found = find_build(call.session, build, strict=True)
    assert found is not None
    if found.state != "COMPLETE":
        return []
    arches = sorted(
        {
            r.arch
            for r in call.session.scalars(select(t.Rpm).where(t.Rpm.build_id == found.id))
            if r.arch != "src"
        }
    ) or ["noarch"]
    base = f"packages/{found.name}/{found.version}/{found.release}/data/logs"
    return [{"name": "build.log", "dir": arch, "path": f"{base}/{arch}/build.log"} for arch in arches]


def get_changelog_entries(call: Any, *args: Any, **kwargs: Any) -> list[Any]:
    return []


def list_builds(
    call: Any,
    packageID: Any = None,
    userID: Any = None,
    taskID: Any = None,
    prefix: str | None = None,
    state: int | None = None,
    volumeID: Any = None,
    source: Any = None,
    createdBefore: Any = None,
    createdAfter: Any = None,
    completeBefore: Any = None,
    completeAfter: Any = None,
    type: Any = None,
    typeInfo: Any = None,
    queryOpts: dict | None = None,
    pattern: str | None = None,
    cgID: Any = None,
    draft: Any = None,
    promotedBefore: Any = None,
    promotedAfter: Any = None,
    promoter: Any = None,
) -> Any:
    """listBuilds: 28-key rows; unknown packages or users give [] rather than a fault."""
    stmt = select(t.Build).order_by(t.Build.id)
    if packageID is not None:
        package = _package(call, packageID)
        if package is None:
            return query_opts([], queryOpts)
        stmt = stmt.where(t.Build.package_id == package.id)
    if userID is not None:
        user = find_user(call.session, userID)
        if user is None:
            return query_opts([], queryOpts)
        stmt = stmt.where(t.Build.owner == user.name)
    if taskID is not None:
        stmt = stmt.where(t.Build.task_id.is_not(None) if taskID == -1 else t.Build.task_id == taskID)
    if state is not None:
        names = {v: k for k, v in STATE_NUMBERS.items()}
        stmt = stmt.where(t.Build.state == names.get(state, ""))
    builds = list(call.session.scalars(stmt))
    if prefix:
        builds = [b for b in builds if b.name.lower().startswith(prefix.lower())]
    if pattern:
        builds = [b for b in builds if fnmatch.fnmatchcase(b.nvr, pattern)]
    rows = [
        shapes.list_builds_row(b, owner_id(call, b.owner), event_time(call, b.creation_event)) for b in builds
    ]
    rows = [
        r
        for r in rows
        if _in_range(r["completion_ts"], completeAfter, completeBefore)
        and _in_range(r["creation_ts"], createdAfter, createdBefore)
    ]
    return query_opts(rows, queryOpts)


def _package(call: Any, info: Any) -> t.Package | None:
    if isinstance(info, int) and not isinstance(info, bool):
        return call.session.get(t.Package, info)
    return call.session.scalar(select(t.Package).where(t.Package.name == str(info)))


def _in_range(value: float | None, after: Any, before: Any) -> bool:
    """Koji's time filters take epoch numbers or 'YYYY-MM-DD HH24:MI:SS' strings."""
    if after is None and before is None:
        return True
    if value is None:
        return False
    return (after is None or value > _epoch(after)) and (before is None or value < _epoch(before))


def _epoch(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    return koji_ts(dt.datetime.fromisoformat(str(value))) or 0.0
