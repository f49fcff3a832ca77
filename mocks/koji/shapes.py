"""The exact key sets the real hub returns; they differ per method (reference §11, §16.7)."""

from __future__ import annotations

from typing import Any

from stagingqa.mocks.koji.times import koji_time, koji_ts
from stagingqa.mocks.store import tables as t

BUILD_STATES = {"BUILDING": 0, "COMPLETE": 1, "DELETED": 2, "FAILED": 3, "CANCELED": 4}


def build_info(build: t.Build, owner_id: int, event_time: Any) -> dict[str, Any]:
    """getBuild: 31 keys."""
    common = build_common(build, owner_id, event_time)
    return {
        **common,
        "id": build.id,
        "creation_ts": koji_ts(event_time),
        "start_ts": koji_ts(build.start_time),
        "completion_ts": koji_ts(build.completion_time),
        "promotion_ts": None,
        "source": f"git+https://src.fedoraproject.org/rpms/{build.name}.git#{build.nvr}",
        "extra": None,
        "cg_id": None,
        "cg_name": None,
    }


def list_builds_row(build: t.Build, owner_id: int, event_time: Any) -> dict[str, Any]:
    """listBuilds: the getBuild keys without id, cg_id, cg_name (28 keys)."""
    row = build_info(build, owner_id, event_time)
    for key in ("id", "cg_id", "cg_name"):
        del row[key]
    return row


def build_common(build: t.Build, owner_id: int, event_time: Any) -> dict[str, Any]:
    return {
        "build_id": build.id,
        "package_id": build.package_id,
        "package_name": build.name,
        "name": build.name,
        "version": build.version,
        "release": build.release,
        "epoch": build.epoch,
        "nvr": build.nvr,
        "draft": False,
        "state": BUILD_STATES[build.state],
        "task_id": build.task_id,
        "owner_id": owner_id,
        "owner_name": build.owner,
        "promoter_id": None,
        "promoter_name": None,
        "volume_id": 0,
        "volume_name": "DEFAULT",
        "creation_event_id": build.creation_event,
        "creation_time": koji_time(event_time),
        "start_time": koji_time(build.start_time),
        "completion_time": koji_time(build.completion_time),
        "promotion_time": None,
    }


def tagged_row(
    build: t.Build, owner_id: int, event_time: Any, tag: t.Tag, create_event: int
) -> dict[str, Any]:
    """listTagged / getLatestBuilds: 26 keys, no *_ts, no source, no cg_*."""
    common = build_common(build, owner_id, event_time)
    return {"tag_id": tag.id, "tag_name": tag.name, "id": build.id, **common, "create_event": create_event}


def rpm_info(rpm: t.Rpm, with_nvr: bool = True) -> dict[str, Any]:
    """listRPMs rows (with nvr) and getRPM (without)."""
    row = {
        "id": rpm.id,
        "name": rpm.name,
        "version": rpm.version,
        "release": rpm.release,
        "arch": rpm.arch,
        "epoch": rpm.epoch,
        "draft": False,
        "payloadhash": rpm.payloadhash,
        "size": rpm.size,
        "buildtime": rpm_buildtime(rpm),
        "build_id": rpm.build_id,
        "buildroot_id": None,
        "external_repo_id": 0,
        "external_repo_name": "INTERNAL",
        "metadata_only": False,
        "extra": None,
    }
    if with_nvr:
        row["nvr"] = f"{rpm.name}-{rpm.version}-{rpm.release}"
    return row


def rpm_buildtime(rpm: t.Rpm) -> int:
    return rpm.buildtime or 0


def tag_info(tag: t.Tag) -> dict[str, Any]:
    return {
        "id": tag.id,
        "name": tag.name,
        "perm_id": None,
        "perm": tag.perm,
        "arches": " ".join(tag.arches) if tag.arches else None,
        "locked": tag.locked,
        "maven_support": False,
        "maven_include_all": False,
        "extra": {},
    }


def list_tags_row(tag: t.Tag, perms: bool = True) -> dict[str, Any]:
    row = tag_info(tag)
    del row["extra"]
    if not perms:
        del row["perm_id"], row["perm"]
    return row


def task_info(task: t.Task, owner_id: int, request: bool = False) -> dict[str, Any]:
    row = {
        "id": task.id,
        "state": task.state,
        "create_time": koji_time(task.create_time),
        "create_ts": koji_ts(task.create_time),
        "start_time": koji_time(task.start_time),
        "start_ts": koji_ts(task.start_time),
        "completion_time": koji_time(task.completion_time),
        "completion_ts": koji_ts(task.completion_time),
        "channel_id": 1,
        "host_id": 1 if task.start_time else None,
        "parent": task.parent,
        "label": task.label,
        "waiting": None,
        "awaited": None,
        "owner": owner_id,
        "method": task.method,
        "arch": task.arch,
        "priority": 20,
        "weight": 1.0,
    }
    if request:
        row["request"] = task.request
    return row


def user_info(user: t.User, groups: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "status": 0,
        "usertype": 0,
        "krb_principals": [f"{user.name}@FEDORAPROJECT.ORG"],
    }
    if groups:
        row["groups"] = list(user.groups)
    return row
