"""Repository calls: getRepo, repoInfo, newRepo, tagLastChangeEvent, and the repo.* namespace that
`koji wait-repo` (koji 1.35 and later) uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.lookups import find_tag
from stagingqa.mocks.koji.methods.writes import new_task
from stagingqa.mocks.koji.repos.model import READY, current_repo, new_repo, repo_info, tag_last_change
from stagingqa.mocks.store import tables as t


def get_repo(
    call: Any, tag: Any, state: Any = None, event: Any = None, dist: bool = False, min_event: Any = None
) -> Any:
    """The tag's newest repo (made now if the tag changed since the last one); with `event`, the newest
    made at or before it."""
    found = _tag(call, tag)
    if dist:
        return None  # no dist repos in a mock world
    if event is not None:
        repo = _newest(call, found, t.Repo.create_event <= event)
    elif state in (None, READY):
        repo = current_repo(call.state, call.session, found, call.environ)
    else:
        repo = _newest(call, found, t.Repo.state == state)
    return _info(call, repo, min_event)


def get_repo_by_request(
    call: Any, tag: Any, min_event: Any = None, at_event: Any = None, opts: Any = None
) -> Any:
    """repo.get: the best ready repo for the tag at or after `min_event` (exactly `at_event`)."""
    found = _tag(call, tag)
    if at_event is not None:
        return _info(call, _newest(call, found, t.Repo.create_event == at_event), None)
    return _info(call, current_repo(call.state, call.session, found, call.environ), min_event)


def _tag(call: Any, tag: Any) -> t.Tag:
    found = find_tag(call.session, tag, strict=True)
    assert found is not None  # strict: an unknown tag is a GenericError
    return found


def _newest(call: Any, tag: t.Tag, condition: Any) -> t.Repo | None:
    """The tag's most recently made repo meeting `condition`, whatever its state."""
    stmt = select(t.Repo).where(t.Repo.tag_id == tag.id, condition).order_by(t.Repo.id.desc())
    return call.session.scalar(stmt.limit(1))


def _info(call: Any, repo: t.Repo | None, min_event: Any) -> Any:
    """The repo's info, or None when there is none or it is older than `min_event`."""
    if repo is None or (min_event is not None and repo.create_event < int(min_event)):
        return None
    return repo_info(call.session, repo)


def request_repo(
    call: Any,
    tag: Any,
    min_event: Any = None,
    at_event: Any = None,
    opts: Any = None,
    priority: Any = None,
    force: bool = False,
) -> dict[str, Any]:
    """repo.request: repos are made at once here, so a request is answered with its repo."""
    call.require_login()
    found = _tag(call, tag)
    if force:
        task_id = new_task(call, "newRepo", [found.name])
        repo = new_repo(call.session, found, call.environ, task_id, call.state)
    else:
        repo = current_repo(call.state, call.session, found, call.environ)
    return {"repo": repo_info(call.session, repo), "request": None, "duplicate": False}


def check_repo_request(call: Any, req_id: Any) -> Any:
    """repo.checkRequest: no request ever waits here (repo.request answers with a repo)."""
    raise GenericError("No such request")


def repo_by_id(call: Any, repo_id: Any, strict: bool = False) -> Any:
    """repoInfo."""
    repo = call.session.get(t.Repo, repo_id) if isinstance(repo_id, int) else None
    if repo is None:
        if strict:
            raise GenericError(f"No such repo: {repo_id}")
        return None
    return repo_info(call.session, repo)


def regenerate_repo(
    call: Any,
    tag: Any,
    event: Any = None,
    src: bool = False,
    debuginfo: bool = False,
    separate_src: bool = False,
    opts: Any = None,
) -> int:
    """newRepo: a task that makes a new repo of the tag and completes at once; its id."""
    call.require_login()
    found = _tag(call, tag)
    task_id = new_task(call, "newRepo", [found.name, event, src, debuginfo, separate_src])
    new_repo(call.session, found, call.environ, task_id, call.state)
    return task_id


def last_change_event(call: Any, tag: Any) -> int:
    """tagLastChangeEvent."""
    found = _tag(call, tag)
    return tag_last_change(call.session, found.id)
