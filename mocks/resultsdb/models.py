"""ResultsDB's rules on the shared world store: upserts, result creation, filters, `latest`."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from stagingqa.mocks.resultsdb.filters import Shape, clauses, filters, shape_of, values_of
from stagingqa.mocks.resultsdb.pgsort import pg_sorted
from stagingqa.mocks.resultsdb.query import NamedListQuery, ResultsQuery, like_pattern
from stagingqa.mocks.resultsdb.schemas import CreateGroup, CreateResult, CreateTestcase
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.prepared import fetch
from stagingqa.mocks.store.seed import data_strings

R, T, G, L, D = t.Result, t.Testcase, t.ResultGroup, t.ResultGroupLink, t.ResultData
EXACT_TIES = 1000  # up to this many matches, ties are ordered exactly as PostgreSQL's sort leaves them
INDEX_SCAN_LIMIT = 1000  # below this limit PostgreSQL walks the submit_time index instead of sorting


def upsert_testcase(session: Session, body: CreateTestcase) -> t.Testcase:
    """POST /testcases: create, or update `ref_url` when it is not null ("" overwrites)."""
    testcase = session.scalar(select(T).where(T.name == body.name))
    if testcase is None:
        testcase = T(name=body.name, ref_url=None)
        session.add(testcase)
    if body.ref_url is not None:
        testcase.ref_url = body.ref_url
    session.flush()
    return testcase


def upsert_group(session: Session, body: CreateGroup) -> t.ResultGroup:
    """POST /groups: create or update; only truthy description and ref_url are ever set."""
    group = session.scalar(select(G).where(G.uuid == body.uuid)) if body.uuid else None
    if group is None:
        group = G(uuid=body.uuid or str(uuid.uuid1()), description=None, ref_url=None)
        session.add(group)
    if body.ref_url:
        group.ref_url = body.ref_url
    if body.description:
        group.description = body.description
    session.flush()
    return group


FIND_TESTCASE = select(T.id, T.ref_url).where(T.name == bindparam("name"))
ADD_TESTCASE = insert(T).returning(T.id)
SET_TESTCASE_URL = update(T).where(T.id == bindparam("tc_id")).values(ref_url=bindparam("url"))
FIND_GROUP = select(G.id, G.description, G.ref_url).where(G.uuid == bindparam("uuid"))
ADD_GROUP = insert(G).returning(G.id)
SET_GROUP = (
    update(G)
    .where(G.id == bindparam("group_id"))
    .values(description=bindparam("description"), ref_url=bindparam("url"))
)
ADD_RESULT = insert(R).returning(R.id)


def create_result(session: Session, body: CreateResult) -> dict[str, Any]:
    """POST /results: auto-create the testcase and groups (explicit nulls clear), store data as strings.

    Plain Core statements: a result is written on every check run, and the ORM's unit of work tripled
    the cost of each POST. Returns what the serializer needs, without reading the result back."""
    conn = session.connection()
    spec = body.testcase
    found = conn.execute(FIND_TESTCASE, {"name": spec["name"]}).first()
    if found is None:
        tc_id, tc_url = (
            conn.execute(ADD_TESTCASE, {"name": spec["name"], "ref_url": spec.get("ref_url")}).scalar_one(),
            spec.get("ref_url"),
        )
    else:
        tc_id, tc_url = found.id, spec.get("ref_url", found.ref_url)
        if "ref_url" in spec and spec["ref_url"] != found.ref_url:
            conn.execute(SET_TESTCASE_URL, {"tc_id": tc_id, "url": tc_url})
    groups = [_embedded_group(conn, item) for item in body.groups or []]
    submit_time = body.submit_time or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result_id = conn.execute(
        ADD_RESULT,
        {
            "testcase_id": tc_id,
            "outcome": body.outcome,
            "note": body.note,
            "ref_url": body.ref_url,
            "submit_time": submit_time,
        },
    ).scalar_one()
    if groups:
        conn.execute(insert(L), [{"result_id": result_id, "group_id": group_id} for group_id, _ in groups])
    data: dict[str, list[str]] = {}
    for key, value in (body.data or {}).items():
        texts = data_strings(value)
        if texts:
            data[str(key)] = texts
    if data:
        conn.execute(
            insert(D), [{"result_id": result_id, "key": k, "value": v} for k, vs in data.items() for v in vs]
        )
    row = ResultRow(
        id=result_id,
        outcome=body.outcome,
        note=body.note,
        ref_url=body.ref_url,
        submit_time=submit_time,
        tc_name=spec["name"],
        tc_ref_url=tc_url,
    )
    return {"row": row, "groups": [group_uuid for _, group_uuid in groups], "data": data}


def _embedded_group(conn: Any, item: Any) -> tuple[int, str]:
    """A group named in a result: created if missing; its description and ref_url follow the item,
    where an explicit null clears (unlike POST /groups)."""
    spec = {"uuid": item} if isinstance(item, str) else dict(item)
    if not spec.get("uuid"):
        spec["uuid"] = str(uuid.uuid1())
    found = conn.execute(FIND_GROUP, {"uuid": spec["uuid"]}).first()
    if found is None:
        group_id = conn.execute(
            ADD_GROUP,
            {"uuid": spec["uuid"], "description": spec.get("description"), "ref_url": spec.get("ref_url")},
        ).scalar_one()
    else:
        group_id = found.id
        if "description" in spec or "ref_url" in spec:
            conn.execute(
                SET_GROUP,
                {
                    "group_id": group_id,
                    "description": spec.get("description", found.description),
                    "url": spec.get("ref_url", found.ref_url),
                },
            )
    return group_id, spec["uuid"]


def find_results(conn: Connection, query: ResultsQuery) -> list[int]:
    """Ids of one page of matching results plus one look-ahead row, newest first unless asked otherwise.

    Ties in submit_time come out as PostgreSQL gives them: in index order (by id) when it would walk the
    submit_time index (no testcase, group or data filter, a small limit), else as its quicksort leaves them.
    """
    ascending = query.sort == "asc:submit_time"
    offset = query.page * query.limit if query.page > 0 else 0
    found = filters(query)
    shape, values = shape_of(found), values_of(found)
    walks_index = not (query.testcases or query.testcases_like or query.groups or query.data)
    if not walks_index or query.limit >= INDEX_SCAN_LIMIT:
        matched = fetch(conn, _all_matching, (shape,), values)
        if len(matched) <= EXACT_TIES:
            return order_by_submit_time(matched, ascending)[offset : offset + query.limit + 1]
    page = fetch(
        conn, _page_of_matching, (shape, ascending), {**values, "offset": offset, "limit": query.limit + 1}
    )
    return [row[0] for row in page]


def _matching(shape: Shape) -> Select:
    return select(R.id, R.submit_time).join(T, T.id == R.testcase_id).where(*clauses(shape))


def _all_matching(shape: Shape) -> Select:
    """(id, submit_time) of up to EXACT_TIES + 1 matches, in heap order, to sort as PostgreSQL does."""
    return _matching(shape).order_by(R.id).limit(EXACT_TIES + 1)


def _page_of_matching(shape: Shape, ascending: bool) -> Select:
    order = (R.submit_time.asc(), R.id.asc()) if ascending else (R.submit_time.desc(), R.id.desc())
    return (
        _matching(shape)
        .with_only_columns(R.id)
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


def order_by_submit_time(rows: Sequence[Sequence[Any]], ascending: bool = False) -> list[int]:
    """Ids of (id, submit_time) rows in PostgreSQL's order for ORDER BY submit_time (ties as its quicksort
    leaves them)."""
    if len({row[1] for row in rows}) == len(rows):  # no ties: every correct sort gives this order
        return [row[0] for row in sorted(rows, key=lambda row: row[1], reverse=not ascending)]
    sign = 1 if ascending else -1

    def compare(x: Sequence[Any], y: Sequence[Any]) -> int:
        return sign * ((x[1] > y[1]) - (x[1] < y[1]))

    return [row[0] for row in pg_sorted(rows, compare)]


def latest_results(conn: Connection, query: ResultsQuery) -> list[int]:
    """Per testcase, every result at its newest submit_time (testcase filters only pick testcases)."""
    inner = filters(query, with_testcases=False, with_outcome=False)
    outer = filters(query, with_outcome=False)
    values = {**values_of(inner, "i"), **values_of(outer)}
    return order_by_submit_time(fetch(conn, _latest, (shape_of(inner), shape_of(outer)), values))


def _latest(inner: Shape, outer: Shape) -> Select:
    newest = (
        select(R.testcase_id.label("tc"), func.max(R.submit_time).label("newest"))
        .join(T, T.id == R.testcase_id)
        .where(*clauses(inner, "i"))
        .group_by(R.testcase_id)
        .subquery()
    )
    return (
        select(R.id, R.submit_time)
        .join(T, T.id == R.testcase_id)
        .join(newest, and_(R.testcase_id == newest.c.tc, R.submit_time == newest.c.newest))
        .where(*clauses(outer))
        .order_by(R.id)
    )


def _named_matching(shape: Shape) -> Select:
    return select(R.id, T.name, R.submit_time).join(T, T.id == R.testcase_id).where(*clauses(shape))


def latest_distinct(conn: Connection, query: ResultsQuery) -> list[int]:
    """PostgreSQL's DISTINCT ON (testcase, data[k1], ...) keeping the newest of each bucket (NULL is a
    bucket of its own; a result with several values for a key lands in several buckets)."""
    found_filters = filters(query, with_outcome=False)
    rows = fetch(conn, _named_matching, (shape_of(found_filters),), values_of(found_filters))
    values: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    ids = [result_id for result_id, _, _ in rows]
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        found = conn.execute(
            select(D.result_id, D.key, D.value)
            .where(D.result_id.in_(chunk), D.key.in_(query.distinct_on))
            .order_by(D.id)
        )
        for result_id, key, value in found:
            values[result_id][key].append(value)
    best: dict[tuple, tuple[dt.datetime, int]] = {}
    for result_id, name, stamp in rows:
        keys = values[result_id]
        choices: list[list[str | None]] = [[*keys.get(k, [])] or [None] for k in query.distinct_on]
        for combo in itertools.product(*choices):
            bucket = (name, *combo)
            if bucket not in best or (stamp, result_id) > best[bucket]:
                best[bucket] = (stamp, result_id)
    ordered = sorted(best.items(), key=lambda item: tuple((v is None, v or "") for v in item[0]))
    chosen = list(
        dict.fromkeys((stamp, result_id) for _, (stamp, result_id) in ordered)
    )  # one row per result
    # the real server then sorts by the isoformat string, newest first (a stable sort)
    chosen.sort(key=lambda pair: pair[0].isoformat(), reverse=True)
    return [result_id for _, result_id in chosen]


class ResultRow(NamedTuple):
    """A result's own columns and its testcase's, as the serializer reads them."""

    id: int
    outcome: str
    note: str | None
    ref_url: str | None
    submit_time: dt.datetime
    tc_name: str
    tc_ref_url: str | None


LOAD_CHUNK = 512  # ids per statement; a chunk is padded to a power of two, so a few shapes serve any page


def _ids_in(column: Any, count: int) -> Any:
    return column.in_([bindparam(f"id{i}") for i in range(count)])


def _load_rows(count: int) -> Select:
    return (
        select(R.id, R.outcome, R.note, R.ref_url, R.submit_time, T.name, T.ref_url)
        .join(T, T.id == R.testcase_id)
        .where(_ids_in(R.id, count))
    )


def _load_groups(count: int) -> Select:
    return (
        select(L.result_id, G.uuid)
        .join(G, G.id == L.group_id)
        .where(_ids_in(L.result_id, count))
        .order_by(L.result_id, L.id)  # the result_id index's own order: no sort
    )


def _load_data(count: int) -> Select:
    # the result_id index's own order: no sort (only each result's own values need their order)
    return select(D.result_id, D.key, D.value).where(_ids_in(D.result_id, count)).order_by(D.result_id, D.id)


def load_results(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Everything the serializer needs for these results, in the given order, three statements a chunk."""
    unique = list(dict.fromkeys(ids))
    rows: dict[int, ResultRow] = {}
    groups: dict[int, list[str]] = {}
    data: dict[int, dict[str, list[str]]] = {}
    for start in range(0, len(unique), LOAD_CHUNK):
        chunk = unique[start : start + LOAD_CHUNK]
        count = 1 << (len(chunk) - 1).bit_length()  # repeating the last id changes nothing an IN matches
        values = dict(zip(_id_names(count), chunk + chunk[-1:] * (count - len(chunk)), strict=True))
        for row in fetch(conn, _load_rows, (count,), values):
            rows[row[0]] = ResultRow._make(row)
        for result_id, group_uuid in fetch(conn, _load_groups, (count,), values):
            groups.setdefault(result_id, []).append(group_uuid)
        for result_id, key, value in fetch(conn, _load_data, (count,), values):
            data.setdefault(result_id, {}).setdefault(key, []).append(value)
    return [{"row": rows[i], "groups": groups.get(i, []), "data": data.get(i, {})} for i in ids if i in rows]


@functools.cache
def _id_names(count: int) -> tuple[str, ...]:
    return tuple(f"id{i}" for i in range(count))


def group_counts(session: Session, group_ids: list[int]) -> dict[int, int]:
    """How many results each group holds."""
    found = session.execute(
        select(L.group_id, func.count()).where(L.group_id.in_(group_ids)).group_by(L.group_id)
    )
    return {group_id: count for group_id, count in found}


def find_groups(session: Session, query: NamedListQuery) -> list[t.ResultGroup]:
    """Groups newest first, by description (exact, else like patterns) and uuid; one more than the
    limit, so the caller knows whether a next page exists."""
    G = t.ResultGroup
    stmt = select(G).order_by(G.id.desc())
    if query.exact:
        stmt = stmt.where(G.description.in_(query.exact))
    elif query.like:
        stmt = stmt.where(or_(*(G.description.like(like_pattern(p)) for p in query.like)))
    if query.uuids:
        stmt = stmt.where(G.uuid.in_(query.uuids))
    return list(session.scalars(stmt.offset(query.page * query.limit).limit(query.limit + 1)))


def find_testcases(session: Session, query: NamedListQuery) -> list[t.Testcase]:
    """Testcases by name in byte order (PostgreSQL's "C" collation, as the real server sorts), by name
    (exact, else like patterns); one more than the limit."""
    T = t.Testcase
    name = T.name.collate("C") if session.bind.dialect.name == "postgresql" else T.name  # type: ignore[union-attr]
    stmt = select(T).order_by(name.asc())
    if query.exact:
        stmt = stmt.where(T.name.in_(query.exact))
    elif query.like:
        stmt = stmt.where(or_(*(T.name.like(like_pattern(p)) for p in query.like)))
    return list(session.scalars(stmt.offset(query.page * query.limit).limit(query.limit + 1)))


def group_by_uuid(session: Session, uuid: str) -> t.ResultGroup | None:
    return session.scalar(select(t.ResultGroup).where(t.ResultGroup.uuid == uuid))


def testcase_by_name(session: Session, name: str) -> t.Testcase | None:
    return session.scalar(select(t.Testcase).where(t.Testcase.name == name))
