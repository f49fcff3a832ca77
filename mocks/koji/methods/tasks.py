"""Task and host calls: getTaskInfo, getTaskChildren, listTaskOutput and what `koji taskinfo` needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from stagingqa.mocks.koji import shapes
from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.methods.common import owner_id, query_opts
from stagingqa.mocks.store import tables as t


def get_task_info(call: Any, task_id: Any, request: bool = False, strict: bool = False) -> Any:
    if isinstance(task_id, list):
        return [get_task_info(call, one, request, strict) for one in task_id]
    task = call.session.get(t.Task, task_id) if isinstance(task_id, int) else None
    if task is None:
        if strict:
            raise GenericError("query returned no rows")
        return None
    return shapes.task_info(task, owner_id(call, task.owner), request)


def get_task_children(
    call: Any, task_id: int, request: bool = False, strict: bool = False
) -> list[dict[str, Any]]:
    if strict and call.session.get(t.Task, task_id) is None:
        raise GenericError("query returned no rows")
    children = call.session.scalars(select(t.Task).where(t.Task.parent == task_id).order_by(t.Task.id))
    return [shapes.task_info(task, owner_id(call, task.owner), request) for task in children]


def get_task_request(call: Any, taskId: int) -> Any:
    task = call.session.get(t.Task, taskId)
    if task is None:
        raise GenericError("query returned no rows")
    return task.request


def task_finished(call: Any, taskId: int) -> bool:
    task = call.session.get(t.Task, taskId)
    if task is None:
        raise GenericError("query returned no rows")
    return task.state in (2, 3, 5)


def task_files(call: Any, task: t.Task) -> list[tuple[str, t.Rpm | None]]:
    """What a task left behind: a buildArch child its arch's RPMs and logs, the parent the SRPM."""
    build = call.session.scalar(select(t.Build).where(t.Build.task_id == (task.parent or task.id)))
    if build is None or task.state != 2:
        return []
    rpms = list(call.session.scalars(select(t.Rpm).where(t.Rpm.build_id == build.id).order_by(t.Rpm.id)))
    if task.parent is None:
        return [(f"{r.name}-{r.version}-{r.release}.src.rpm", r) for r in rpms if r.arch == "src"]
    mine = [(f"{r.name}-{r.version}-{r.release}.{r.arch}.rpm", r) for r in rpms if r.arch == task.arch]
    return [*mine, ("build.log", None), ("root.log", None)]


def list_task_output(
    call: Any, taskID: int, stat: bool = False, all_volumes: bool = False, strict: bool = False
) -> Any:
    task = call.session.get(t.Task, taskID) if isinstance(taskID, int) else None
    if task is None:
        if strict:
            raise GenericError("Task doesn't exist")
        return {} if (stat or all_volumes) else []
    names = [name for name, _ in task_files(call, task)]
    if not stat and not all_volumes:
        return names
    stamp = (task.completion_time or task.create_time).timestamp()
    stats = {
        name: {"st_size": "0", "st_atime": stamp, "st_mtime": stamp, "st_ctime": stamp} for name in names
    }
    if all_volumes:
        return {name: ({"DEFAULT": stats[name]} if stat else ["DEFAULT"]) for name in names}
    return stats


def list_tasks(call: Any, opts: Any = None, queryOpts: Any = None) -> Any:
    opts = opts or {}
    tasks = call.session.scalars(select(t.Task).order_by(t.Task.id))
    rows = [
        shapes.task_info(task, owner_id(call, task.owner))
        for task in tasks
        if ("parent" not in opts or task.parent == opts["parent"])
        and ("method" not in opts or task.method == opts["method"])
    ]
    return query_opts(rows, queryOpts)


def get_host(call: Any, hostInfo: Any, strict: bool = False, event: Any = None) -> dict[str, Any] | None:
    if hostInfo not in (1, "buildvm-x86-01.stagingqa.mock"):
        if strict:
            raise GenericError(f"Invalid hostInfo: {hostInfo}")
        return None
    return {
        "id": 1,
        "user_id": 1,
        "name": "buildvm-x86-01.stagingqa.mock",
        "update_ts": None,
        "ready": True,
        "task_load": 0.0,
        "arches": "x86_64 aarch64 noarch",
        "capacity": 10.0,
        "description": None,
        "comment": None,
        "enabled": True,
    }


def list_buildroots(call: Any, **kwargs: Any) -> list[Any]:
    return []
