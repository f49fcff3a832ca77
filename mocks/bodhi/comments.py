"""POST /comments/ (form or JSON, CSRF-checked, author from auth_tkt), GET /comments/ and /comments/<id>."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from stagingqa.mocks.bodhi import models, params, queries
from stagingqa.mocks.bodhi.errors import BodhiError, Problems, fail
from stagingqa.mocks.bodhi.identity import cookie_user, session_token
from stagingqa.mocks.bodhi.schemas import parse_comments_query
from stagingqa.mocks.bodhi.updates import CSRF_MISMATCH, base_url, world
from stagingqa.mocks.store import tables as t

bp = Blueprint("comments", __name__)


def form_fields() -> dict[str, Any]:
    """Form bodies flatten lists (`bug_feedback.0.bug_id=...`); JSON bodies are taken as they are."""
    if request.is_json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}
    fields: dict[str, Any] = {}
    for key, value in request.form.items():
        match = re.match(r"^(bug_feedback|testcase_feedback)\.(\d+)\.(\w+)$", key)
        if match:
            items = fields.setdefault(match.group(1), {})
            items.setdefault(int(match.group(2)), {})[match.group(3)] = value
        else:
            fields[key] = value
    for name in ("bug_feedback", "testcase_feedback"):
        if isinstance(fields.get(name), dict):
            fields[name] = [fields[name][i] for i in sorted(fields[name])]
    return fields


def _karma(value: Any, problems: Problems, name: str = "karma") -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        problems.add("body", name, f'"{value}" is not a number')
        return 0
    if number > 1:
        problems.add("body", name, f"{number} is greater than maximum value 1")
    if number < -1:
        problems.add("body", name, f"{number} is less than minimum value -1")
    return number


@bp.post("/comments/")
def new_comment() -> Any:
    fields = form_fields()
    problems = Problems()
    if not fields.get("update"):
        problems.add("body", "update", "Required")
    karma = _karma(fields.get("karma", 0), problems)
    _karma(fields.get("karma_critpath", 0), problems, "karma_critpath")
    feedback = [
        {"bug_id": int(f.get("bug_id", 0)), "karma": _karma(f.get("karma", 0), problems)}
        for f in fields.get("bug_feedback") or []
        if isinstance(f, dict)
    ]
    if fields.get("csrf_token") is None:
        problems.add("body", "csrf_token", "Required")
    elif fields["csrf_token"] != session_token():
        problems.add("body", "csrf_token", CSRF_MISMATCH)
    problems.raise_if_any()
    alias, text = fields["update"], str(fields.get("text") or "")
    state = world()
    with state.database.session() as session:
        update = session.scalar(select(t.Update).where(t.Update.alias == alias))
        if update is None:
            raise BodhiError(
                [
                    {
                        "location": "url",
                        "name": "update",
                        "description": f"Invalid update specified: {alias}",
                    },
                    {"location": "url", "name": "id", "description": "Invalid update"},
                    {"location": "url", "name": "id", "description": "Invalid update"},
                ],
                404,
            )
        unknown_bugs = [str(f["bug_id"]) for f in feedback if f["bug_id"] not in update.bugs]
        if unknown_bugs:
            raise fail("querystring", "bug_feedback", f"Invalid bug ids specified: {', '.join(unknown_bugs)}")
        names = [
            str(f.get("testcase_name")) for f in fields.get("testcase_feedback") or [] if isinstance(f, dict)
        ]
        if names:
            raise fail(
                "querystring", "testcase_feedback", f"Invalid testcase names specified: {', '.join(names)}"
            )
        author = cookie_user()
        if author is None:
            raise fail("body", "email", "You must provide an author", 403)
        if not text and not karma and not feedback:
            raise fail("body", "comment", "You must provide either some text or feedback")
        last, caveats = models.add_comment(
            session, update, author, text, karma, feedback, state.world.bodhi.system_users
        )
        comment = models.list_comment(session, last, models.users_by_name(session), base_url())
    return jsonify(comment=comment, caveats=caveats)


@bp.get("/comments/")
def list_comments() -> Any:
    with world().database.session() as session:
        query = parse_comments_query(session, request.args)
        shown, paging = params.page_of(queries.find_comments(session, query), query.page, query.rows)
        users = models.users_by_name(session)
        data = [models.list_comment(session, c, users, base_url()) for c in shown]
    return jsonify(comments=data, **paging, chrome=query.chrome)


@bp.get("/comments/<comment_id>")
def get_comment(comment_id: str) -> Any:
    if not comment_id.isdigit():
        raise fail("url", "id", "Comment id must be an int")
    if int(comment_id) >= 2**63:  # no row has an id past the database's integers
        raise fail("url", "id", "Invalid comment id", 404)
    with world().database.session() as session:
        comment = session.get(t.Comment, int(comment_id))
        if comment is None:
            raise fail("url", "id", "Invalid comment id", 404)
        data = models.list_comment(session, comment, models.users_by_name(session), base_url())
    return jsonify(comment=data)
