"""A world's current state written back as a world document (world.md, "Round trip")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.karma import karma
from stagingqa.world import World


def iso(value: dt.datetime | None) -> str | None:
    """Stored naive UTC as ISO 8601 with an explicit Z."""
    return None if value is None else value.isoformat() + "Z"


def export_world(world: World, session: Session) -> dict[str, Any]:
    """What the world file was, with what the run changed: tagging history, updates, comments, results."""
    doc = world.model_dump(mode="json", exclude_defaults=True)
    doc["name"] = world.name
    doc["users"] = [
        {"name": u.name, "groups": u.groups, **({"email": u.email} if u.email else {})}
        for u in session.scalars(select(t.User).order_by(t.User.id))
    ]
    history = _history(session)
    if history:
        doc["history"] = history
    updates = _updates(session)
    if updates:
        doc["updates"] = updates
    doc.update(_resultsdb(world, session))
    return doc


def _history(session: Session) -> list[dict[str, Any]]:
    """Tagging changes made after seeding, oldest first; seeded ones are the builds' own `tags:`."""
    tags = _pairs(session, t.Tag.id, t.Tag.name)
    builds = _pairs(session, t.Build.id, t.Build.nvr)
    times = _pairs(session, t.Event.id, t.Event.time)
    changes = []
    for row in session.scalars(select(t.TagListing)):
        if not row.seeded:
            changes.append((row.create_event, "tag", row.build_id, row.tag_id, row.creator))
        if row.revoke_event is not None:
            changes.append((row.revoke_event, "untag", row.build_id, row.tag_id, row.revoker))
    return [
        {
            "action": action,
            "build": builds[build],
            "tag": tags[tag],
            "user": user,
            "when": iso(times.get(event)),
        }
        for event, action, build, tag, user in sorted(changes)
    ]


def _updates(session: Session) -> list[dict[str, Any]]:
    releases = _pairs(session, t.Release.id, t.Release.name)
    nvrs = _pairs(session, t.Build.id, t.Build.nvr)
    builds: dict[int, list[str]] = defaultdict(list)
    for link in session.scalars(select(t.UpdateBuild).order_by(t.UpdateBuild.id)):
        builds[link.update_id].append(nvrs[link.build_id])
    comments: dict[int, list[dict[str, Any]]] = defaultdict(list)
    update_comments: dict[int, list[t.Comment]] = defaultdict(list)
    ordered = select(t.Comment).order_by(t.Comment.timestamp, t.Comment.id)  # as Bodhi sums karma
    for c in session.scalars(ordered):
        update_comments[c.update_id].append(c)
    for c in session.scalars(select(t.Comment).order_by(t.Comment.id)):
        comment = {"user": c.user, "text": c.text, "karma": c.karma, "when": iso(c.timestamp)}
        if c.bug_feedback:
            comment["bug_feedback"] = c.bug_feedback
        comments[c.update_id].append(comment)
    out = []
    for u in session.scalars(select(t.Update).order_by(t.Update.id)):
        entry = {
            "alias": u.alias,
            "release": releases[u.release_id],
            "builds": builds[u.id],
            "type": u.type,
            "severity": u.severity,
            "status": u.status,
            "request": u.request,
            "submitter": u.submitter,
            "submitted": iso(u.date_submitted),
            "notes": u.notes,
            "bugs": u.bugs,
            "autokarma": u.autokarma,
            "autotime": u.autotime,
            "stable_karma": u.stable_karma,
            "unstable_karma": u.unstable_karma,
            "critpath": u.critpath,
            "date_testing": iso(u.date_testing),
            "date_stable": iso(u.date_stable),
            "comments": comments[u.id],
            "karma": karma(update_comments[u.id]),
        }
        if u.title:
            entry["title"] = u.title
        out.append(entry)
    return out


def _resultsdb(world: World, session: Session) -> dict[str, Any]:
    testcases = {tc.id: tc for tc in session.scalars(select(t.Testcase).order_by(t.Testcase.id))}
    groups = {g.id: g for g in session.scalars(select(t.ResultGroup).order_by(t.ResultGroup.id))}
    links: dict[int, list[str]] = defaultdict(list)
    for link in session.scalars(select(t.ResultGroupLink).order_by(t.ResultGroupLink.id)):
        links[link.result_id].append(groups[link.group_id].uuid)
    data: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in session.scalars(select(t.ResultData).order_by(t.ResultData.id)):
        data[row.result_id][row.key].append(row.value)
    results = []
    for r in session.scalars(select(t.Result).order_by(t.Result.id)):
        entry: dict[str, Any] = {
            "testcase": testcases[r.testcase_id].name,
            "outcome": r.outcome,
            "submitted": iso(r.submit_time),
            "note": r.note,
            "ref_url": r.ref_url,
            "groups": links[r.id],
            "data": dict(data[r.id]),
        }
        results.append(entry)
    settings: dict[str, Any] = {}
    if world.resultsdb.extra_outcomes:
        settings["extra_outcomes"] = list(world.resultsdb.extra_outcomes)
    settings["testcases"] = [{"name": tc.name, "ref_url": tc.ref_url} for tc in testcases.values()]
    settings["groups"] = [
        {"uuid": g.uuid, "description": g.description, "ref_url": g.ref_url} for g in groups.values()
    ]
    out: dict[str, Any] = {"resultsdb": settings}
    if results:
        out["results"] = results
    return out


def _pairs(session: Session, key: Any, value: Any) -> dict[Any, Any]:
    """A two-column query as a dict."""
    return {k: v for k, v in session.execute(select(key, value)).all()}
