"""ResultsDB API v2.0 routes: thin handlers that parse, call the model and serialise."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import Connection

from stagingqa.mocks.resultsdb import models
from stagingqa.mocks.resultsdb.cache import cached_get, forget_answers
from stagingqa.mocks.resultsdb.encoding import stored_json
from stagingqa.mocks.resultsdb.errors import bad_request, not_found, validation_error
from stagingqa.mocks.resultsdb.query import ResultsQuery, parse_list_query, parse_results_query
from stagingqa.mocks.resultsdb.schemas import (
    PRESET_OUTCOMES,
    CreateGroup,
    CreateResult,
    CreateTestcase,
    error_entry,
    validate_body,
)
from stagingqa.mocks.resultsdb.serializers import Links, group_json, result_json, testcase_json
from stagingqa.mocks.resultsdb.urls import api_root, request_url
from stagingqa.mocks.worlds import WorldState

bp = Blueprint("api_v2", __name__)
PAGE = re.compile(r"([?&])page=([0-9]+)")
CALLBACK = re.compile(r"([?&])callback=[^&]*&?")
AMPERSANDS = re.compile(r"&+")
LANDING_MESSAGE = (
    "Everything is fine. But choose wisely, for while the true Grail will bring you life, "
    "the false Grail will take it from you."
)


def world() -> WorldState:
    return request.environ["stagingqa.world"]


def outcomes() -> tuple[str, ...]:
    return PRESET_OUTCOMES + tuple(o.upper() for o in world().world.resultsdb.extra_outcomes)


def links() -> Links:
    return Links(api_root())


def json_body() -> Any:
    """The request's JSON: 415 HTML without a JSON content type, 400 "Bad request" if it does not parse."""
    if not request.is_json:
        request.get_json()  # raises Werkzeug's 415 page, as the real server answers
    body = request.get_json(silent=True)
    if body is None:
        raise bad_request()
    return body


def page_links(rows: list[Any], limit: int) -> tuple[list[Any], str | None, str | None]:
    """The real server's link rules: rewrite or append `page` in the request URL text, drop `callback`."""
    url = request_url()
    found = PAGE.search(url)
    marker = "\x00PAGE\x00"
    if found is None:
        base, page = f"{url}{'&' if '?' in url else '?'}page={marker}", 0
    else:
        base, page = (
            url[: found.start()] + f"{found.group(1)}page={marker}" + url[found.end() :],
            int(found.group(2)),
        )
    base = AMPERSANDS.sub("&", CALLBACK.sub(r"\1", base))
    previous = base.replace(marker, str(page - 1)) if page > 0 else None
    following = base.replace(marker, str(page + 1)) if len(rows) > limit else None
    return rows[:limit], previous, following


def results_page(conn: Connection, query: ResultsQuery) -> Any:
    ids, previous, following = page_links(models.find_results(conn, query), query.limit)
    root = links()
    data = [result_json(root, loaded) for loaded in models.load_results(conn, ids)]
    return stored_json({"data": data, "next": following, "prev": previous})


@bp.get("")
@bp.get("/")
def landing() -> Any:
    root = links().root
    return jsonify(
        documentation="http://docs.resultsdb20.apiary.io/",
        groups=f"{root}/groups",
        message=LANDING_MESSAGE,
        outcomes=list(outcomes()),
        results=f"{root}/results",
        testcases=f"{root}/testcases",
    ), 300


@bp.get("/healthcheck")
def healthcheck() -> Any:
    return jsonify(message="Health check OK")


@bp.get("/results")
@cached_get
def get_results() -> Any:
    query = parse_results_query(request.args, outcomes())
    with world().database.reading() as conn:
        return results_page(conn, query)


@bp.get("/results/latest")
@cached_get
def get_results_latest() -> Any:
    query = parse_results_query(request.args, outcomes())
    with world().database.reading() as conn:
        if not query.distinct_on:
            ids = models.latest_results(conn, query)
        elif not (
            query.testcases
            or query.testcases_like
            or query.since_start
            or query.since_end
            or query.groups
            or query.data
        ):
            raise bad_request("Please, provide at least one filter beside '_distinct_on'")
        else:
            ids = models.latest_distinct(conn, query)
        root = links()
        return stored_json({"data": [result_json(root, loaded) for loaded in models.load_results(conn, ids)]})


@bp.get("/results/<result_id>")
@cached_get
def get_result(result_id: str) -> Any:
    if not result_id.isdigit() or int(result_id) >= 2**63:  # the real server crashes on PostgreSQL here;
        raise not_found("Result not found")  # 404 is its SQLite answer
    with world().database.reading() as conn:
        loaded = models.load_results(conn, [int(result_id)])
        if not loaded:
            raise not_found("Result not found")
        return stored_json(result_json(links(), loaded[0]))


@bp.post("/results")
def create_result() -> Any:
    body = validate_body(CreateResult, json_body(), {"outcomes": outcomes()})
    colons = [key for key in (body.data or {}) if ":" in key]
    if colons:
        raise bad_request(f"Colon not allowed in key name: {colons!r}")
    bad_groups = [i for i, g in enumerate(body.groups or []) if not isinstance(g, str | dict)]
    if bad_groups:  # the real server crashes (500); the mock says which item is wrong
        raise validation_error(
            [
                error_entry(
                    ["groups", i],
                    "group_type",
                    "Input should be a group uuid string or a group object",
                    body.groups[i],
                )
                for i in bad_groups
            ]
        )
    with world().database.session() as session:
        forget_answers()
        return stored_json(result_json(links(), models.create_result(session, body))), 201


@bp.get("/groups")
@cached_get
def get_groups() -> Any:
    query = parse_list_query(request.args, "description")
    with world().database.session() as session:
        rows, previous, following = page_links(models.find_groups(session, query), query.limit)
        counts = models.group_counts(session, [g.id for g in rows])
        root = links()
        data = [group_json(root, g, counts.get(g.id, 0)) for g in rows]
    return stored_json({"data": data, "next": following, "prev": previous})


@bp.get("/groups/<group_id>")
@cached_get
def get_group(group_id: str) -> Any:
    with world().database.session() as session:
        group = models.group_by_uuid(session, group_id)
        if group is None:
            raise not_found("Group not found")
        return stored_json(
            group_json(links(), group, models.group_counts(session, [group.id]).get(group.id, 0))
        )


@bp.post("/groups")
def create_group() -> Any:
    body = validate_body(CreateGroup, json_body())
    with world().database.session() as session:
        forget_answers()
        group = models.upsert_group(session, body)
        count = models.group_counts(session, [group.id]).get(group.id, 0)
        return stored_json(group_json(links(), group, count)), 201


@bp.get("/groups/<group_id>/results")
@cached_get
def get_group_results(group_id: str) -> Any:
    query = parse_results_query(request.args, outcomes())
    with world().database.session() as session:
        if models.group_by_uuid(session, group_id) is None:
            raise not_found(f"Group not found: {group_id}")
        query.groups = [group_id]
        return results_page(session.connection(), query)


@bp.get("/testcases")
@cached_get
def get_testcases() -> Any:
    query = parse_list_query(request.args, "name")
    with world().database.session() as session:
        rows, previous, following = page_links(models.find_testcases(session, query), query.limit)
        root = links()
        data = [testcase_json(root, tc.name, tc.ref_url) for tc in rows]
    return stored_json({"data": data, "next": following, "prev": previous})


@bp.get("/testcases/<path:name>")
@cached_get
def get_testcase(name: str) -> Any:
    with world().database.session() as session:
        testcase = models.testcase_by_name(session, name)
        if testcase is None:
            raise not_found("Testcase not found")
        return stored_json(testcase_json(links(), testcase.name, testcase.ref_url))


@bp.post("/testcases")
def create_testcase() -> Any:
    body = validate_body(CreateTestcase, json_body())
    with world().database.session() as session:
        forget_answers()
        testcase = models.upsert_testcase(session, body)
        return stored_json(testcase_json(links(), testcase.name, testcase.ref_url)), 201


@bp.get("/testcases/<path:name>/results")
@cached_get
def get_testcase_results(name: str) -> Any:
    query = parse_results_query(request.args, outcomes())
    with world().database.session() as session:
        if models.testcase_by_name(session, name) is None:
            raise not_found("Testcase not found")
        query.testcases = [name]  # testcases:like still applies, ORed, as on the real server
        return results_page(session.connection(), query)
