"""GET /updates/ with Bodhi's filters, GET /updates/<alias>, requests, and the Greenwave proxy."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, request
from sqlalchemy import select

from stagingqa.mocks.bodhi import models, params
from stagingqa.mocks.bodhi.errors import Problems, fail
from stagingqa.mocks.bodhi.identity import cookie_user, session_token
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.worlds import WorldState

bp = Blueprint("updates", __name__)
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


def world() -> WorldState:
    return request.environ["stagingqa.world"]


def base_url() -> str:
    return request.host_url.rstrip("/") + request.script_root + "/"


@bp.get("/updates/")
def query_updates() -> Any:
    problems = Problems()
    args = request.args
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
    with world().database.session() as session:
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
        stmt = select(t.Update).order_by(t.Update.date_submitted.desc(), t.Update.id.desc())
        if release_ids is not None:
            stmt = stmt.where(t.Update.release_id.in_(release_ids))
        if statuses:
            stmt = stmt.where(t.Update.status.in_(statuses))
        if wanted_request:
            stmt = stmt.where(t.Update.request == wanted_request)
        if kind:
            stmt = stmt.where(t.Update.type == kind)
        if severity:
            stmt = stmt.where(t.Update.severity == severity)
        if users:
            stmt = stmt.where(t.Update.submitter.in_(users))
        aliases = params.split_list(args, "alias") + params.split_list(args, "updateid")
        if aliases:
            stmt = stmt.where(t.Update.alias.in_(aliases))
        if flags["critpath"] is not None:
            stmt = stmt.where(t.Update.critpath == flags["critpath"])
        found = list(session.scalars(stmt))
        found = _filter_builds(session, found, args)
        found = [
            u
            for u in found
            if _dates_match(u, dates)
            and _flags_match(u, flags)
            and (not bugs or set(bugs) & set(u.bugs))
            and not gating
            and content in (None, "rpm")
        ]
        shown, paging = params.page_of(found, page, rows)
        users_rows = models.users_by_name(session)
        data = [
            models.update_json(loaded, users_rows, base_url())
            for loaded in models.load_updates(session, shown)
        ]
    packages = params.split_list(args, "packages")
    return jsonify(
        updates=data,
        **paging,
        chrome=chrome,
        display_user=display_user,
        display_request=True,
        package=packages[0] if packages else None,
    )


def _releases(session: Any, args: Any, problems: Problems) -> list[int] | None:
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
        found = models.release_for(session, name)
        if found is None:
            unknown.append(name)
        else:
            ids.append(found.id)
    if unknown:
        problems.add("querystring", "releases", f"Invalid releases specified: {', '.join(unknown)}")
    if single:
        found = models.release_for(session, single)
        if found is None:
            problems.add("querystring", "release", f"Invalid release specified: {single}")
        else:
            ids.append(found.id)
    return ids


def _users(session: Any, args: Any, problems: Problems) -> list[str]:
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


def _filter_builds(session: Any, updates: list[t.Update], args: Any) -> list[t.Update]:
    packages = params.split_list(args, "packages")
    builds = params.split_list(args, "builds")
    like = args.get("like")
    search = args.get("search")
    if not (packages or builds or like or search):
        return updates
    members: dict[int, list[t.Build]] = {}
    for link, build in session.execute(
        select(t.UpdateBuild, t.Build)
        .join(t.Build, t.Build.id == t.UpdateBuild.build_id)
        .where(t.UpdateBuild.update_id.in_([u.id for u in updates]))
    ):
        members.setdefault(link.update_id, []).append(build)

    def keep(update: t.Update) -> bool:
        mine = members.get(update.id, [])
        return (
            (not packages or any(b.name in packages for b in mine))
            and (not builds or any(b.nvr in builds for b in mine))
            and (not like or any(like in b.nvr for b in mine))
            and (
                not search
                or search.lower() in update.alias.lower()
                or any(search.lower() in b.nvr.lower() for b in mine)
            )
        )

    return [u for u in updates if keep(u)]


def _dates_match(update: t.Update, dates: dict[str, Any]) -> bool:
    for key, column in DATE_FILTERS.items():
        value = (
            (update.date_stable or update.date_testing)
            if column == "date_pushed"
            else getattr(update, column, None)
        )
        since, before = dates[f"{key}_since"], dates[f"{key}_before"]
        if (since or before) and value is None:
            return False
        if (since and value < since) or (before and value >= before):
            return False
    return True


def _flags_match(update: t.Update, flags: dict[str, bool | None]) -> bool:
    pushed = update.status in ("testing", "stable")
    return (
        (flags["locked"] in (None, False))
        and (flags["pushed"] in (None, pushed))
        and (flags["from_side_tag"] in (None, False))
    )


def _update_or_404(session: Any, alias: str) -> t.Update:
    update = session.scalar(select(t.Update).where(t.Update.alias == alias))
    if update is None:
        raise fail("url", "id", "Invalid update id", 404)
    return update


@bp.get("/updates/<alias>")
def get_update(alias: str) -> Any:
    with world().database.session() as session:
        update = session.scalar(select(t.Update).where(t.Update.alias == alias))
        if update is None and session.scalar(select(t.Package.id).where(t.Package.name == alias)) is not None:
            return redirect(f"{base_url()}updates/?packages={alias}", 302)
        if update is None:
            raise fail("url", "id", "Invalid update id", 404)
        loaded = models.load_updates(session, [update])[0]
        data = models.update_json(loaded, models.users_by_name(session), base_url())
    return jsonify(update=data, can_edit=False, ci_allowed=False)


@bp.get("/updates/<alias>/get-test-results")
def test_results(alias: str) -> Any:
    """No Greenwave is configured in a staging world, which real Bodhi answers with 501."""
    with world().database.session() as session:
        _update_or_404(session, alias)
    raise fail("body", "request", "No greenwave_api_url specified", 501)


@bp.post("/updates/<alias>/request")
def change_request(alias: str) -> Any:
    """Apply a request at once: testing/stable move the builds' tags in the world's Koji."""
    form = request.get_json(silent=True) if request.is_json else request.form
    form = form or {}
    problems = Problems()
    if form.get("csrf_token") is None:
        problems.add("body", "csrf_token", "Required")
    elif form.get("csrf_token") != session_token():
        problems.add("body", "csrf_token", CSRF_MISMATCH)
    wanted = form.get("request")
    if wanted not in REQUESTS:
        problems.add("body", "request", f'"{wanted}" is not one of {", ".join(REQUESTS)}')
    problems.raise_if_any()
    user = cookie_user()
    if user is None:
        raise fail("body", "email", "You must provide an author", 403)
    with world().database.session() as session:
        update = _update_or_404(session, alias)
        release = session.get(t.Release, update.release_id)
        models.change_request(session, update, release, wanted, user)
        loaded = models.load_updates(session, [update])[0]
        data = models.update_json(loaded, models.users_by_name(session), base_url())
    return jsonify(update=data)


CSRF_MISMATCH = (
    "CSRF tokens do not match.  This happens if you have the page open for a long time. Please reload "
    "the page and try to submit your data again. Make sure to save your input somewhere before "
    "reloading. "
)
