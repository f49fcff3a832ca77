"""The Koji file tree (topurl): packages/N/V/R/ARCH/*.rpm, data/logs/ARCH/build.log, work/tasks/..."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from stagingqa.mocks.koji.artifacts import ensure_files
from stagingqa.mocks.koji.errors import KojiFault
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.worlds import WorldState

PACKAGE_FILE = re.compile(r"^/packages/([^/]+)/([^/]+)/([^/]+)/([^/]+)/([^/]+\.rpm)$")
BUILD_LOG = re.compile(r"^/packages/([^/]+)/([^/]+)/([^/]+)/data/logs/([^/]+)/([^/]+\.log)$")
TASK_FILE = re.compile(r"^/work/tasks/(\d+)/(\d+)/([^/]+)$")


def files_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """GET and HEAD of files, with Content-Length (download-build uses it to resume)."""
    request = Request(environ)
    if request.method not in ("GET", "HEAD"):
        return Response("Method Not Allowed\n", 405, headers={"Allow": "GET, HEAD"})(environ, start_response)
    state: WorldState = environ["stagingqa.world"]
    path = request.path
    try:
        response = _serve(state, path, environ)
    except KojiFault as fault:
        response = Response(f"{fault.message}\n", 503, mimetype="text/plain")
    return response(environ, start_response)


def _serve(state: WorldState, path: str, environ: dict[str, Any]) -> Response:
    with state.database.session() as session:
        match = PACKAGE_FILE.match(path)
        if match:
            return _rpm_file(state, session, match.groups(), environ)
        match = BUILD_LOG.match(path)
        if match:
            name, version, release, arch, log = match.groups()
            build = session.scalar(
                select(t.Build).where(
                    t.Build.name == name, t.Build.version == version, t.Build.release == release
                )
            )
            text = _log_text(session, build, arch, log)
            if text is not None:
                return Response(text, mimetype="text/plain")
        match = TASK_FILE.match(path)
        if match:
            return _task_file(state, session, int(match.group(2)), match.group(3), environ)
    return _not_found(path)


def _rpm_file(state: WorldState, session: Any, parts: tuple[str, ...], environ: dict[str, Any]) -> Response:
    name, version, release, arch, filename = parts
    build = session.scalar(
        select(t.Build).where(t.Build.name == name, t.Build.version == version, t.Build.release == release)
    )
    if build is not None:
        for rpm in session.scalars(select(t.Rpm).where(t.Rpm.build_id == build.id, t.Rpm.arch == arch)):
            if f"{rpm.name}-{rpm.version}-{rpm.release}.{rpm.arch}.rpm" == filename:
                built = ensure_files(state, session, [rpm])[rpm.id]
                return _file_response(built.path, environ)
    return _not_found(f"/packages/{'/'.join(parts)}")


def _log_text(session: Any, build: t.Build | None, arch: str, log: str) -> str | None:
    if build is None or build.state != "COMPLETE":
        return None
    arches = {r.arch for r in session.scalars(select(t.Rpm).where(t.Rpm.build_id == build.id))} | {"noarch"}
    if arch not in arches or log not in ("build.log", "root.log"):
        return None
    if log == "root.log":
        return f"DEBUG util.py: Mock Version: 5.0\nDEBUG buildroot for {build.nvr} on {arch}\n"
    return build.log or f"Building {build.nvr} for {arch}\nChild return code was: 0\n"


def _task_file(
    state: WorldState, session: Any, task_id: int, filename: str, environ: dict[str, Any]
) -> Response:
    from stagingqa.mocks.koji.methods.tasks import task_files

    task = session.get(t.Task, task_id)
    if task is not None:
        call = type("FileCall", (), {"session": session})()
        for name, rpm in task_files(call, task):
            if name != filename:
                continue
            if rpm is not None:
                return _file_response(ensure_files(state, session, [rpm])[rpm.id].path, environ)
            build = session.scalar(select(t.Build).where(t.Build.task_id == (task.parent or task.id)))
            return Response(_log_text(session, build, task.arch, name) or "", mimetype="text/plain")
    return _not_found(f"/work/tasks/{task_id % 10000}/{task_id}/{filename}")


def _file_response(path: Any, environ: dict[str, Any]) -> Response:
    handle = open(path, "rb")
    response = Response(wrap_file(environ, handle), mimetype="application/x-rpm", direct_passthrough=True)
    response.content_length = path.stat().st_size
    return response


def _not_found(path: str) -> Response:
    body = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
        "</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n"
        "</body></html>\n"
    )
    return Response(body, 404, mimetype="text/html")
