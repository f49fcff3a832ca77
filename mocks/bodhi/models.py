"""Bodhi's rules on the shared world store: loading updates, karma, comments and their side effects,
requests that move builds between tags."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.bodhi import serializers as s
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.karma import karma
from stagingqa.mocks.store.tagging import add_tag, remove_tag, utcnow

NEGATIVE_KARMA = (
    "Bodhi is disabling automatic push to stable due to negative karma. The maintainer may push "
    "manually if they determine that the issue is not severe."
)


@dataclass
class Loaded:
    """An update with everything its JSON needs."""

    update: t.Update
    release: t.Release
    builds: list[t.Build]
    comments: list[t.Comment] = field(default_factory=list)


def load_updates(session: Session, updates: list[t.Update]) -> list[Loaded]:
    """Builds, comments and releases of these updates in a few queries."""
    ids = [u.id for u in updates]
    releases = {r.id: r for r in session.scalars(select(t.Release))}
    builds: dict[int, list[t.Build]] = defaultdict(list)
    for link, build in session.execute(
        select(t.UpdateBuild, t.Build)
        .join(t.Build, t.Build.id == t.UpdateBuild.build_id)
        .where(t.UpdateBuild.update_id.in_(ids))
        .order_by(t.UpdateBuild.id)
    ):
        builds[link.update_id].append(build)
    comments: dict[int, list[t.Comment]] = defaultdict(list)
    for comment in session.scalars(
        select(t.Comment).where(t.Comment.update_id.in_(ids)).order_by(t.Comment.timestamp, t.Comment.id)
    ):
        comments[comment.update_id].append(comment)
    return [Loaded(u, releases[u.release_id], builds[u.id], comments[u.id]) for u in updates]


def users_by_name(session: Session) -> dict[str, t.User]:
    return {u.name: u for u in session.scalars(select(t.User))}


def update_json(loaded: Loaded, users: dict[str, t.User], base_url: str, with_comments: bool = True) -> dict:
    """The update JSON of §6; nested in a comment it has no comments, updateid, content_type, test_cases."""
    u = loaded.update
    nvrs = [b.nvr for b in loaded.builds]
    score = karma(loaded.comments)
    row: dict[str, Any] = {
        "autokarma": u.autokarma,
        "autotime": u.autotime,
        "stable_karma": u.stable_karma,
        "stable_days": 0,
        "unstable_karma": u.unstable_karma,
        "require_bugs": False,
        "require_testcases": False,
        "display_name": "",
        "notes": u.notes,
        "type": u.type,
        "status": u.status,
        "request": u.request,
        "severity": u.severity,
        "suggest": "unspecified",
        "locked": False,
        "pushed": u.status in ("testing", "stable"),
        "critpath": u.critpath,
        "critpath_groups": None,
        "close_bugs": True,
        "date_submitted": s.when(u.date_submitted),
        "date_modified": s.when(u.date_modified),
        "date_approved": None,
        "date_testing": s.when(u.date_testing),
        "date_stable": s.when(u.date_stable),
        "alias": u.alias,
        "test_gating_status": None,
        "from_tag": None,
        "date_pushed": s.when(u.date_stable or u.date_testing),
        "meets_testing_requirements": _meets_testing(u, score),
        "url": f"{base_url}updates/{u.alias}",
        "title": " ".join(nvrs),
        "version_hash": hashlib.sha1(" ".join(sorted(nvrs)).encode()).hexdigest(),  # noqa: S324
        "release": s.release_json(loaded.release),
        "user": s.user_json(users.get(u.submitter), u.submitter),
    }
    if with_comments:
        row["comments"] = [s.nested_comment(c, users) for c in loaded.comments]
    row["builds"] = [s.build_json(b, u.release_id) for b in loaded.builds]
    row["bugs"] = [s.bug_json(bug, _bug_feedback(loaded, bug, users)) for bug in u.bugs]
    if with_comments:
        row["updateid"] = u.alias
    row["karma"] = score
    if with_comments:
        row["content_type"] = "rpm"
        row["test_cases"] = []
    return row


def _meets_testing(update: t.Update, score: int) -> bool:
    if update.status not in ("testing", "stable"):
        return False
    days = (utcnow() - update.date_testing).days if update.date_testing else 0
    return score >= 2 or days >= 7


def _bug_feedback(loaded: Loaded, bug: int, users: dict[str, t.User]) -> list[dict[str, Any]]:
    found = []
    for comment in loaded.comments:
        for entry in comment.bug_feedback or []:
            if entry["bug_id"] == bug:
                found.append(
                    {
                        "karma": entry["karma"],
                        "comment_id": comment.id,
                        "bug_id": bug,
                        "comment": s.nested_comment(comment, users, with_bug_feedback=False),
                    }
                )
    return found


def list_comment(
    session: Session, comment: t.Comment, users: dict[str, t.User], base_url: str
) -> dict[str, Any]:
    """The list shape (§10): the nested keys plus update, author, update_alias."""
    loaded = load_updates(session, [session.get(t.Update, comment.update_id)])[0]
    row = s.nested_comment(comment, users)
    row["update"] = update_json(loaded, users, base_url, with_comments=False)
    row["author"] = comment.user
    row["update_alias"] = loaded.update.alias
    return row


def ensure_user(session: Session, name: str, groups: list[str] | None = None) -> t.User:
    """Bodhi creates a missing user row for an author."""
    user = session.scalar(select(t.User).where(t.User.name == name))
    if user is None:
        user = t.User(name=name, email=None, groups=groups or [])
        session.add(user)
        session.flush()
    return user


def system_comment(session: Session, update: t.Update, text: str) -> t.Comment:
    ensure_user(session, "bodhi")
    comment = t.Comment(
        update_id=update.id, user="bodhi", text=text, karma=0, timestamp=utcnow(), bug_feedback=[]
    )
    session.add(comment)
    session.flush()
    return comment


def add_comment(
    session: Session,
    update: t.Update,
    author: str,
    text: str,
    karma_given: int,
    bug_feedback: list[dict[str, int]],
    system_users: list[str],
) -> tuple[t.Comment, list[dict]]:
    """Store a comment and apply Bodhi's karma rules; returns the update's last comment and the caveats."""
    caveats: list[dict[str, str]] = []
    ensure_user(session, author)
    if karma_given and author == update.submitter:
        caveats.append({"name": "karma", "description": "You may not give karma to your own updates."})
        karma_given = 0
    previous = [
        c
        for c in session.scalars(
            select(t.Comment)
            .where(t.Comment.update_id == update.id)
            .order_by(t.Comment.timestamp, t.Comment.id)
        )
    ]
    mine = [c.karma for c in previous if c.user == author and c.karma]
    if karma_given and mine and mine[-1] == -karma_given:
        caveats.append({"name": "karma", "description": "Your karma standing was reversed."})
    comment = t.Comment(
        update_id=update.id,
        user=author,
        text=text,
        karma=karma_given,
        timestamp=utcnow(),
        bug_feedback=bug_feedback,
    )
    session.add(comment)
    session.flush()
    last = comment
    if karma_given and author not in system_users:
        last = _karma_thresholds(session, update, [*previous, comment], karma_given) or comment
    update.date_modified = utcnow()
    return last, caveats


def _karma_thresholds(
    session: Session, update: t.Update, comments: list[t.Comment], given: int
) -> t.Comment | None:
    score = karma(comments)
    last = None
    if given < 0 and (update.autokarma or update.autotime):
        update.autokarma, update.autotime = False, False
        last = system_comment(session, update, NEGATIVE_KARMA)
    if update.unstable_karma is not None and score <= update.unstable_karma and update.status != "obsolete":
        update.status, update.request = "obsolete", None
        last = system_comment(session, update, "This update has been obsoleted.")
    elif (
        update.autokarma
        and update.stable_karma
        and score >= update.stable_karma
        and update.request != "stable"
        and update.status == "testing"
    ):
        update.request = "stable"
        last = system_comment(session, update, "This update has been submitted for stable by bodhi. ")
    return last


def change_request(
    session: Session, update: t.Update, release: t.Release, request: str, user: str
) -> t.Comment:
    """Apply a request at once (the mock has no composes): move the builds' tags and the status."""
    stem = release.name.lower()
    build_ids = list(
        session.scalars(select(t.UpdateBuild.build_id).where(t.UpdateBuild.update_id == update.id))
    )
    tag_ids = {tag.name: tag.id for tag in session.scalars(select(t.Tag).where(t.Tag.name.startswith(stem)))}
    moves = {
        "testing": (f"{stem}-updates-testing", [f"{stem}-updates-candidate"]),
        "stable": (f"{stem}-updates", [f"{stem}-updates-testing", f"{stem}-updates-candidate"]),
        "unpush": (None, [f"{stem}-updates-testing"]),
    }
    target, sources = moves.get(request, (None, []))
    for build_id in build_ids:
        for source in sources:
            if source in tag_ids:
                remove_tag(session, tag_ids[source], build_id, user)
        if target in tag_ids:
            add_tag(session, tag_ids[target], build_id, user)
    now = utcnow()
    if request == "testing":
        update.status, update.date_testing = "testing", now
    elif request == "stable":
        update.status, update.date_stable = "stable", now
    elif request == "unpush":
        update.status = "unpushed"
    elif request == "obsolete":
        update.status = "obsolete"
    update.request, update.date_modified = None, now
    words = {
        "testing": "pushed to testing",
        "stable": "pushed to stable",
        "unpush": "unpushed",
        "obsolete": "obsoleted",
        "revoke": "revoked",
    }
    return system_comment(session, update, f"This update has been {words[request]}.")
