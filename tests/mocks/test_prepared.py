"""Prepared reads (mocks/store/prepared.py) on SQLite and PostgreSQL: the same rows and types SQLAlchemy's
own execution gives, one compiled statement per shape whatever the values, each world's schema kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, bindparam, select

from stagingqa.mocks.store import prepared
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.database import Storage
from stagingqa.mocks.worlds import WorldRegistry
from stagingqa.world import load_world
from tests.conftest import BASIC_WORLD

R = t.Result


def since_and_outcomes(count: int) -> Select:
    """A testcase's results after a time with one of `count` outcomes, newest first, a literal limit."""
    outcomes = [bindparam(f"o{i}") for i in range(count)]
    return (
        select(R.id, R.outcome, R.submit_time)
        .join(t.Testcase, t.Testcase.id == R.testcase_id)
        .where(
            t.Testcase.name == bindparam("tc"), R.submit_time >= bindparam("since"), R.outcome.in_(outcomes)
        )
        .order_by(R.submit_time.desc(), R.id.desc())
        .limit(100)
    )


def add_results(state, count: int) -> None:
    start = dt.datetime(2024, 5, 1, 12, 0, 0, 250000)
    with state.database.session() as session:
        testcase = t.Testcase(name="dist.prepared")
        session.add(testcase)
        session.flush()
        for i in range(count):
            outcome = ("PASSED", "FAILED", "INFO")[i % 3]
            session.add(
                R(testcase_id=testcase.id, outcome=outcome, submit_time=start + dt.timedelta(minutes=i))
            )


def test_prepared_reads_match_sqlalchemy_and_compile_once_per_shape(db_url):
    registry = WorldRegistry(Storage(db_url))
    try:
        a, _ = registry.put("a", load_world(BASIC_WORLD))
        b, _ = registry.put("b", load_world(BASIC_WORLD))
        add_results(a, 12)
        since = dt.datetime(2024, 5, 1, 12, 3, 0)
        values = {"tc": "dist.prepared", "since": since, "o0": "PASSED", "o1": "INFO"}
        with a.database.reading() as conn:
            expected = [tuple(row) for row in conn.execute(since_and_outcomes(2), values)]
            got = prepared.fetch(conn, since_and_outcomes, (2,), values)
        assert got == expected and len(got) == 6
        assert isinstance(got[0][2], dt.datetime) and got[0][2].microsecond == 250000  # converted back
        shapes = len(prepared._compiled)
        with a.database.reading() as conn:  # other values, same shape: the compiled statement is reused
            again = prepared.fetch(conn, since_and_outcomes, (2,), {**values, "o0": "FAILED", "o1": "X"})
        assert [row[1] for row in again] == ["FAILED"] * 3 and len(prepared._compiled) == shapes
        with b.database.reading() as conn:  # another world: its own rows (on PostgreSQL, its own schema)
            assert prepared.fetch(conn, since_and_outcomes, (2,), values) == []
        with a.database.reading() as conn:
            assert len(prepared.fetch(conn, since_and_outcomes, (3,), {**values, "o2": "FAILED"})) == 9
    finally:
        registry.close()
