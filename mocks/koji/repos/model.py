"""Repository rows: a tag's current repo (made again on the first request after the tag changed, as
kojira would in the background), repo ids counted from 1 in the order repos are made, and their info
as Koji's hub gives it."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stagingqa.mocks.koji.tagged import tag_order
from stagingqa.mocks.koji.times import koji_time, koji_ts
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.seed import CREATION_EVENT

READY, EXPIRED = 1, 2  # koji.REPO_STATES
OPTS = {"src": False, "debuginfo": False, "separate_src": False, "maven": False}
LOCK_KEY = "koji.repos.lock"  # world cache: repos are numbered under it


def tag_last_change(session: Session, tag_id: int) -> int:
    """The newest tagging event in the tag or a tag it inherits from (what Koji's
    tag_last_change_event reports)."""
    ids = tag_order(session, tag_id, inherit=True)
    created = session.scalar(select(func.max(t.TagListing.create_event)).where(t.TagListing.tag_id.in_(ids)))
    revoked = session.scalar(select(func.max(t.TagListing.revoke_event)).where(t.TagListing.tag_id.in_(ids)))
    return max(created or CREATION_EVENT, revoked or 0)


def latest_repo(session: Session, tag_id: int) -> t.Repo | None:
    stmt = select(t.Repo).where(t.Repo.tag_id == tag_id, t.Repo.state == READY).order_by(t.Repo.id.desc())
    return session.scalar(stmt.limit(1))


def current_repo(state: Any, session: Session, tag: t.Tag, environ: dict[str, Any] | None = None) -> t.Repo:
    """The tag's newest ready repo; made first when there is none or the tag changed since."""
    with _lock(state):
        repo = latest_repo(session, tag.id)
        changed = tag_last_change(session, tag.id)
        if repo is not None and repo.create_event >= changed:
            return repo
        reason = "first request" if repo is None else "tag changed"
        return make_repo(session, tag, changed, reason, environ)


def make_repo(
    session: Session,
    tag: t.Tag,
    event: int,
    reason: str,
    environ: dict[str, Any] | None = None,
    task_id: int | None = None,
) -> t.Repo:
    """A new ready repo of `tag` at `event`; the older ones expire. Noted in the request's journal entry."""
    for old in session.scalars(select(t.Repo).where(t.Repo.tag_id == tag.id, t.Repo.state == READY)):
        old.state = EXPIRED
    number = (session.scalar(select(func.max(t.Repo.id))) or 0) + 1
    made = session.get(t.Event, event)
    repo = t.Repo(
        id=number,
        tag_id=tag.id,
        create_event=event,
        creation_time=made.time if made is not None else None,
        state=READY,
        task_id=task_id,
        reason=reason,
    )
    session.add(repo)
    session.flush()
    if environ is not None:  # the host copies this into the journal entry of the request
        notes = environ.setdefault("stagingqa.journal", {})
        notes.setdefault("repos", []).append(
            {"tag": tag.name, "repo": number, "create_event": event, "reason": reason}
        )
    return repo


def new_repo(session: Session, tag: t.Tag, environ: dict[str, Any], task_id: int, state: Any) -> t.Repo:
    """newRepo: a repo at the tag's last change, whether or not it changed (a regeneration)."""
    with _lock(state):
        return make_repo(session, tag, tag_last_change(session, tag.id), "newRepo", environ, task_id)


def repo_info(session: Session, repo: t.Repo) -> dict[str, Any]:
    """Every field of Koji's RepoQuery ('**'), as getRepo, repoInfo and repo.get answer."""
    event = session.get(t.Event, repo.create_event)
    tag = session.get(t.Tag, repo.tag_id)
    task = session.get(t.Task, repo.task_id) if repo.task_id else None
    return {
        "id": repo.id,
        "tag_id": repo.tag_id,
        "tag_name": tag.name if tag else None,
        "creation_time": koji_time(repo.creation_time),
        "creation_ts": koji_ts(repo.creation_time),
        "state_time": koji_time(repo.creation_time),
        "state_ts": koji_ts(repo.creation_time),
        "create_event": repo.create_event,
        "create_ts": koji_ts(event.time) if event else None,
        "begin_event": repo.create_event,
        "begin_ts": koji_ts(event.time) if event else None,
        "end_event": None,
        "end_ts": None,
        "state": repo.state,
        "dist": False,
        "opts": dict(OPTS),
        "custom_opts": {},
        "task_id": repo.task_id,
        "task_state": task.state if task else None,
    }


def _lock(state: Any) -> threading.Lock:
    return state.cache.setdefault(LOCK_KEY, threading.Lock())
