"""GET /updates/ with Bodhi's filters, GET /updates/<alias>, requests, and the Greenwave proxy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, jsonify, redirect, request
from sqlalchemy import select

from stagingqa.mocks.bodhi import models, params, queries
from stagingqa.mocks.bodhi.errors import Problems, fail
from stagingqa.mocks.bodhi.identity import cookie_user, session_token
from stagingqa.mocks.bodhi.schemas import REQUESTS, parse_updates_query
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.worlds import WorldState

bp = Blueprint("updates", __name__)


def world() -> WorldState:
    return request.environ["stagingqa.world"]


def base_url() -> str:
    return request.host_url.rstrip("/") + request.script_root + "/"


@bp.get("/updates/")
def query_updates() -> Any:
    with world().database.session() as session:
        query = parse_updates_query(session, request.args)
        shown, paging = params.page_of(queries.find_updates(session, query), query.page, query.rows)
        users = models.users_by_name(session)
        data = [
            models.update_json(loaded, users, base_url()) for loaded in models.load_updates(session, shown)
        ]
    return jsonify(
        updates=data,
        **paging,
        chrome=query.chrome,
        display_user=query.display_user,
        display_request=True,
        package=query.packages[0] if query.packages else None,
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
    form = form if isinstance(form, Mapping) else {}  # a JSON list or string has none of the fields
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
