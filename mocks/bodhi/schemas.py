"""Request shapes: the query strings of GET /updates/ and GET /comments/ parsed as Bodhi's schemas and
validators read them, every problem gathered before answering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from stagingqa.mocks.bodhi import params
from stagingqa.mocks.bodhi.errors import Problems
from stagingqa.mocks.store import tables as t

STATUSES = ("pending", "testing", "stable", "unpushed", "obsolete")
REQUESTS = ("testing", "obsolete", "unpush", "revoke", "stable")
TYPES = ("bugfix", "security", "newpackage", "enhancement", "unspecified")
SEVERITIES = ("unspecified", "urgent", "high", "medium", "low")
GATING = ("waiting", "ignored", "queued", "running", "passed", "failed", "greenwave_failed")
CONTENT_TYPES = ("rpm", "module", "container", "flatpak", "base")
SPECIAL_RELEASES = {
    "__current__": ("current",),
    "__pending__": ("pending", "frozen"),
    "__archived__": ("archived",),
}
DATE_FILTERS = {
    "submitted": "date_submitted",
    "modified": "date_modified",
    "pushed": "date_pushed",
    "approved": "date_approved",
}


@dataclass(frozen=True)
class UpdatesQuery:
    """Every filter of GET /updates/, parsed; None or empty means 'not filtered on'."""

    page: int
    rows: int
    release_ids: list[int] | None
    statuses: list[str]
    request: str | None
    type: str | None
    severity: str | None
    content_type: str | None
    gating: list[str]
    users: list[str]
    bugs: list[int]
    aliases: list[str]
    packages: list[str]
    builds: list[str]
    like: str | None
    search: str | None
    flags: dict[str, bool | None]  # critpath, locked, pushed, from_side_tag
    dates: dict[str, dt.datetime | None]  # submitted_since, pushed_before, ...
    chrome: bool | None
    display_user: bool | None


def parse_updates_query(session: Session, args: MultiDict) -> UpdatesQuery:
    """The query, or a BodhiError naming every invalid parameter."""
    problems = Problems()
    page, rows = params.paging(args, problems)
    flags = {
        name: params.boolean(args, name, problems)
        for name in ("critpath", "locked", "pushed", "from_side_tag")
    }
    chrome = params.boolean(args, "chrome", problems, True)
    display_user = params.boolean(args, "display_user", problems, True)
    dates = {
        f"{k}_{edge}": params.when(args, f"{k}_{edge}", problems)
        for k in DATE_FILTERS
        for edge in ("since", "before")
    }
    release_ids = _releases(session, args, problems)
    statuses = params.enum_list(args, "status", STATUSES, problems)
    wanted_request = params.enum(args, "request", REQUESTS, problems)
    kind = params.enum(args, "type", TYPES, problems)
    severity = params.enum(args, "severity", SEVERITIES, problems)
    params.enum(args, "suggest", ("unspecified", "reboot", "logout"), problems)
    content = params.enum(args, "content_type", CONTENT_TYPES, problems)
    gating = params.enum_list(args, "gating", GATING, problems)
    users = _users(session, args, problems)
    bugs = _bugs(args, problems)
    problems.raise_if_any()
    return UpdatesQuery(
        page,
        rows,
        release_ids,
        statuses,
        wanted_request,
        kind,
        severity,
        content,
        gating,
        users,
        bugs,
        params.split_list(args, "alias") + params.split_list(args, "updateid"),
        params.split_list(args, "packages"),
        params.split_list(args, "builds"),
        args.get("like"),
        args.get("search"),
        flags,
        dates,
        chrome,
        display_user,
    )


def _releases(session: Session, args: Any, problems: Problems) -> list[int] | None:
    names = params.split_list(args, "releases")
    single = args.get("release")
    if not names and not single:
        return None
    ids, unknown = [], []
    for name in names:
        if name in SPECIAL_RELEASES:
            ids += list(
                session.scalars(select(t.Release.id).where(t.Release.state.in_(SPECIAL_RELEASES[name])))
            )
            continue
        found = release_for(session, name)
        if found is None:
            unknown.append(name)
        else:
            ids.append(found.id)
    if unknown:
        problems.add("querystring", "releases", f"Invalid releases specified: {', '.join(unknown)}")
    if single:
        found = release_for(session, single)
        if found is None:
            problems.add("querystring", "release", f"Invalid release specified: {single}")
        else:
            ids.append(found.id)
    return ids


def _users(session: Session, args: Any, problems: Problems) -> list[str]:
    names = params.split_list(args, "user")
    known = set(session.scalars(select(t.User.name)))
    unknown = [n for n in names if n not in known]
    if unknown:
        problems.add("querystring", "user", f"Invalid users specified: {', '.join(unknown)}")
    return names


def _bugs(args: Any, problems: Problems) -> list[int]:
    values = params.split_list(args, "bugs")
    try:
        return [int(v) for v in values]
    except ValueError:
        problems.add("querystring", "bugs", "Invalid bug ID specified")
        return []


@dataclass(frozen=True)
class CommentsQuery:
    """Every filter of GET /comments/, parsed."""

    page: int
    rows: int
    chrome: bool | None
    since: dt.datetime | None
    users: list[str]
    owners: list[str]
    ignored: list[str]
    aliases: list[str]
    packages: list[str]
    like: str | None


def parse_comments_query(session: Session, args: MultiDict) -> CommentsQuery:
    """The query, or a BodhiError naming every invalid parameter (unknown users, updates, packages)."""
    problems = Problems()
    page, rows = params.paging(args, problems)
    chrome = params.boolean(args, "chrome", problems, True)
    since = params.when(args, "since", problems)
    known_users = set(session.scalars(select(t.User.name)))
    users = _known(args, "user", known_users, "users", problems)
    owners = _known(args, "update_owner", known_users, "users", problems)
    ignored = _known(args, "ignore_user", known_users, "users", problems)
    aliases = _known(args, "updates", set(session.scalars(select(t.Update.alias))), "updates", problems)
    packages = _known(args, "packages", set(session.scalars(select(t.Package.name))), "packages", problems)
    problems.raise_if_any()
    return CommentsQuery(
        page, rows, chrome, since, users, owners, ignored, aliases, packages, args.get("like")
    )


def _known(args: Any, name: str, known: set[str], what: str, problems: Problems) -> list[str]:
    values = params.split_list(args, name)
    unknown = [v for v in values if v not in known]
    if unknown:
        problems.add("querystring", name, f"Invalid {what} specified: {', '.join(unknown)}")
    return values


def release_for(session: Session, value: str) -> t.Release | None:
    """Bodhi's release lookup: name, upper-cased name, or version."""
    return session.scalar(
        select(t.Release).where(
            (t.Release.name == value) | (t.Release.name == value.upper()) | (t.Release.version == value)
        )
    )
