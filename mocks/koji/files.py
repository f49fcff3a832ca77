"""The Koji file tree (topurl): packages/N/V/R/ARCH/*.rpm, data/logs/ARCH/build.log, work/tasks/...,
repos/TAG/ID/ARCH/repodata/ (and repos/TAG/latest/...)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from stagingqa.mocks.koji.artifacts import ensure_files
from stagingqa.mocks.koji.errors import KojiFault
from stagingqa.mocks.koji.repos.contents import repo_arches, repo_contents
from stagingqa.mocks.koji.repos.metadata import repodata
from stagingqa.mocks.koji.repos.model import current_repo, repo_info
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.worlds import WorldState

PACKAGE_FILE = re.compile(r"^/packages/([^/]+)/([^/]+)/([^/]+)/([^/]+)/([^/]+\.rpm)$")
BUILD_LOG = re.compile(r"^/packages/([^/]+)/([^/]+)/([^/]+)/data/logs/([^/]+)/([^/]+\.log)$")
TASK_FILE = re.compile(r"^/work/tasks/(\d+)/(\d+)/([^/]+)$")
REPO_FILE = re.compile(r"^/repos/([^/]+)/(latest|\d+)/([^/]+)/repodata/([^/]+)$")
REPO_PACKAGE = re.compile(
    r"^/repos/([^/]+)/(latest|\d+)/toplink/packages/([^/]+)/([^/]+)/([^/]+)/([^/]+)/([^/]+\.rpm)$"
)
REPO_JSON = re.compile(r"^/repos/([^/]+)/(latest|\d+)/repo\.json$")


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
        if path.startswith("/repos/"):
            return _repo_file(state, session, path, environ)
    return _not_found(path)


def _repo_file(state: WorldState, session: Any, path: str, environ: dict[str, Any]) -> Response:
    """repos/TAG/(ID|latest)/ARCH/repodata/FILE, the packages through toplink/, and repo.json."""
    for pattern in (REPO_FILE, REPO_PACKAGE, REPO_JSON):
        match = pattern.match(path)
        if match:
            break
    else:
        return _not_found(path)
    found = find_repo(state, session, match.group(1), match.group(2), environ)
    if found is None:
        return _not_found(path)
    tag, repo = found
    if pattern is REPO_PACKAGE:
        return _rpm_file(state, session, match.groups()[2:], environ)
    if pattern is REPO_JSON:
        return Response(json.dumps(repo_info(session, repo), indent=2), mimetype="application/json")
    arch, name = match.group(3), match.group(4)
    if arch not in [*repo_arches(session, state.world, tag), "src"]:
        return _not_found(path)
    folder = repodata(state, session, repo.id, arch, repo_contents(session, state.world, repo, arch))
    target = folder / "repodata" / name
    if not target.is_file():
        return _not_found(path)
    kind = "text/xml" if name.endswith(".xml") else "application/octet-stream"
    return _file_response(target, environ, kind)


def find_repo(
    state: WorldState, session: Any, tag_name: str, which: str, environ: dict[str, Any]
) -> tuple[t.Tag, t.Repo] | None:
    """The tag and its repo `which` (an id, or latest: the current one, made first if the tag changed)."""
    tag = session.scalar(select(t.Tag).where(t.Tag.name == tag_name))
    if tag is None:
        return None
    if which == "latest":
        return tag, current_repo(state, session, tag, environ)
    repo = session.get(t.Repo, int(which))
    return (tag, repo) if repo is not None and repo.tag_id == tag.id else None


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


def _file_response(path: Any, environ: dict[str, Any], kind: str = "application/x-rpm") -> Response:
    handle = open(path, "rb")
    response = Response(wrap_file(environ, handle), mimetype=kind, direct_passthrough=True)
    response.content_length = path.stat().st_size
    return response


def _not_found(path: str) -> Response:
    body = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
        "</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n"
        "</body></html>\n"
    )
    return Response(body, 404, mimetype="text/html")
