"""ResultsDB's rules on the shared world store: upserts, result creation, filters, `latest`."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from stagingqa.mocks.resultsdb.pgsort import pg_sorted
from stagingqa.mocks.resultsdb.query import NamedListQuery, ResultsQuery, like_pattern
from stagingqa.mocks.resultsdb.schemas import CreateGroup, CreateResult, CreateTestcase
from stagingqa.mocks.store import tables as t
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
    row = SimpleNamespace(
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


def _data_conditions(data: dict[str, list[str]]) -> list[Any]:
    """Keys ANDed, values ORed; `key:like` takes `*` patterns (LIKE is case-sensitive, as on PostgreSQL)."""
    conditions = []
    for name, values in data.items():
        parts = name.split(":")
        key, modifier = (parts[0], parts[1]) if len(parts) == 2 else (name, None)
        if modifier == "like":
            match = or_(*(D.value.like(like_pattern(v)) for v in values))
        else:
            match = D.value.in_(values)
        # IN (subquery) lets the (key, value) index find the few matching results instead of probing each
        conditions.append(R.id.in_(select(D.result_id).where(D.key == key, match)))
    return conditions


def _filters(query: ResultsQuery, with_testcases: bool = True, with_outcome: bool = True) -> list[Any]:
    conditions: list[Any] = []
    if query.since_start:
        conditions.append(R.submit_time >= query.since_start)
    if query.since_end:
        conditions.append(R.submit_time <= query.since_end)
    if with_outcome and query.outcomes:
        conditions.append(R.outcome.in_(query.outcomes))
    if query.groups:
        conditions.append(
            R.id.in_(select(L.result_id).join(G, G.id == L.group_id).where(G.uuid.in_(query.groups)))
        )
    if with_testcases and (query.testcases or query.testcases_like):
        names = [T.name.in_(query.testcases)] if query.testcases else []
        names += [T.name.like(like_pattern(p)) for p in query.testcases_like]
        conditions.append(or_(*names))
    return conditions + _data_conditions(query.data)


def find_results(session: Session, query: ResultsQuery) -> list[int]:
    """Ids of one page of matching results plus one look-ahead row, newest first unless asked otherwise.

    Ties in submit_time come out as PostgreSQL gives them: in index order (by id) when it would walk the
    submit_time index (no testcase, group or data filter, a small limit), else as its quicksort leaves them.
    """
    ascending = query.sort == "asc:submit_time"
    offset = query.page * query.limit if query.page > 0 else 0
    base: Select = select(R.id, R.submit_time).join(T, T.id == R.testcase_id).where(*_filters(query))
    walks_index = not (query.testcases or query.testcases_like or query.groups or query.data)
    if not walks_index or query.limit >= INDEX_SCAN_LIMIT:
        matched = session.connection().execute(base.order_by(R.id).limit(EXACT_TIES + 1)).all()
        if len(matched) <= EXACT_TIES:
            return order_by_submit_time(matched, ascending)[offset : offset + query.limit + 1]
    order = (R.submit_time.asc(), R.id.asc()) if ascending else (R.submit_time.desc(), R.id.desc())
    page = base.with_only_columns(R.id).order_by(*order).offset(offset).limit(query.limit + 1)
    return list(session.scalars(page))


def order_by_submit_time(rows: Sequence[Any], ascending: bool = False) -> list[int]:
    """Ids in PostgreSQL's order for ORDER BY submit_time (ties as its quicksort leaves them)."""
    sign = 1 if ascending else -1

    def compare(x: Any, y: Any) -> int:
        return sign * ((x.submit_time > y.submit_time) - (x.submit_time < y.submit_time))

    return [row.id for row in pg_sorted(rows, compare)]


def latest_results(session: Session, query: ResultsQuery) -> list[int]:
    """Per testcase, every result at its newest submit_time (testcase filters only pick testcases)."""
    newest = (
        select(R.testcase_id.label("tc"), func.max(R.submit_time).label("newest"))
        .join(T, T.id == R.testcase_id)
        .where(*_filters(query, with_testcases=False, with_outcome=False))
        .group_by(R.testcase_id)
        .subquery()
    )
    stmt = (
        select(R.id, R.submit_time)
        .join(T, T.id == R.testcase_id)
        .join(newest, and_(R.testcase_id == newest.c.tc, R.submit_time == newest.c.newest))
        .where(*_filters(query, with_outcome=False))
        .order_by(R.id)
    )
    return order_by_submit_time(session.execute(stmt).all())


def latest_distinct(session: Session, query: ResultsQuery) -> list[int]:
    """PostgreSQL's DISTINCT ON (testcase, data[k1], ...) keeping the newest of each bucket (NULL is a
    bucket of its own; a result with several values for a key lands in several buckets)."""
    rows = session.execute(
        select(R.id, T.name, R.submit_time)
        .join(T, T.id == R.testcase_id)
        .where(*_filters(query, with_outcome=False))
    ).all()
    values: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    ids = [row.id for row in rows]
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        found = session.execute(
            select(D.result_id, D.key, D.value)
            .where(D.result_id.in_(chunk), D.key.in_(query.distinct_on))
            .order_by(D.id)
        )
        for result_id, key, value in found:
            values[result_id][key].append(value)
    best: dict[tuple, tuple[dt.datetime, int]] = {}
    for row in rows:
        choices: list[list[str | None]] = [[*values[row.id].get(k, [])] or [None] for k in query.distinct_on]
        for combo in itertools.product(*choices):
            bucket = (row.name, *combo)
            if bucket not in best or (row.submit_time, row.id) > best[bucket]:
                best[bucket] = (row.submit_time, row.id)
    ordered = sorted(best.items(), key=lambda item: tuple((v is None, v or "") for v in item[0]))
    chosen = list(
        dict.fromkeys((stamp, result_id) for _, (stamp, result_id) in ordered)
    )  # one row per result
    # the real server then sorts by the isoformat string, newest first (a stable sort)
    chosen.sort(key=lambda pair: pair[0].isoformat(), reverse=True)
    return [result_id for _, result_id in chosen]


IDS: Any = bindparam("ids", expanding=True)
LOAD_ROWS = (
    select(
        R.id,
        R.outcome,
        R.note,
        R.ref_url,
        R.submit_time,
        T.name.label("tc_name"),
        T.ref_url.label("tc_ref_url"),
    )
    .join(T, T.id == R.testcase_id)
    .where(R.id.in_(IDS))
)
LOAD_GROUPS = (
    select(L.result_id, G.uuid).join(G, G.id == L.group_id).where(L.result_id.in_(IDS)).order_by(L.id)
)
LOAD_DATA = select(D.result_id, D.key, D.value).where(D.result_id.in_(IDS)).order_by(D.id)


def load_results(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Everything the serializer needs for these results, in the given order, in three prepared queries."""
    if not ids:
        return []
    conn = session.connection()  # Core execution: the ORM layer adds nothing for plain rows
    params = {"ids": list(set(ids))}
    rows = {r.id: r for r in conn.execute(LOAD_ROWS, params)}
    groups: dict[int, list[str]] = defaultdict(list)
    for result_id, group_uuid in conn.execute(LOAD_GROUPS, params):
        groups[result_id].append(group_uuid)
    data: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for result_id, key, value in conn.execute(LOAD_DATA, params):
        data[result_id][key].append(value)
    return [{"row": rows[i], "groups": groups[i], "data": data[i]} for i in ids if i in rows]


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
