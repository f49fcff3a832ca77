"""A results query's filters as plain data first (what each one binds, in order), SQL second: the SQL of
one shape is built once (mocks/store/prepared.py), and a query of that shape only supplies its values."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, bindparam, or_, select

from stagingqa.mocks.resultsdb.query import ResultsQuery, like_pattern
from stagingqa.mocks.store import tables as t

R, T, G, L, D = t.Result, t.Testcase, t.ResultGroup, t.ResultGroupLink, t.ResultData


@dataclass(frozen=True)
class Filter:
    """One condition: its kind, how many values of each part it binds, and the values in bind order."""

    kind: str
    counts: tuple[int, ...]
    values: tuple[Any, ...]


Shape = tuple[tuple[str, tuple[int, ...]], ...]


def filters(query: ResultsQuery, with_testcases: bool = True, with_outcome: bool = True) -> list[Filter]:
    """The conditions of `query`; `latest` leaves the testcase or outcome filters out where it applies
    them elsewhere."""
    found: list[Filter] = []
    if query.since_start:
        found.append(Filter("since_start", (1,), (query.since_start,)))
    if query.since_end:
        found.append(Filter("since_end", (1,), (query.since_end,)))
    if with_outcome and query.outcomes:
        found.append(Filter("outcome", (len(query.outcomes),), tuple(query.outcomes)))
    if query.groups:
        found.append(Filter("groups", (len(query.groups),), tuple(query.groups)))
    if with_testcases and (query.testcases or query.testcases_like):
        likes = tuple(like_pattern(p) for p in query.testcases_like)
        found.append(Filter("testcases", (len(query.testcases), len(likes)), (*query.testcases, *likes)))
    for name, values in query.data.items():
        parts = name.split(":")
        key, modifier = (parts[0], parts[1]) if len(parts) == 2 else (name, None)
        if modifier == "like":
            found.append(Filter("data_like", (1, len(values)), (key, *(like_pattern(v) for v in values))))
        else:
            found.append(Filter("data", (1, len(values)), (key, *values)))
    return found


def shape_of(found: list[Filter]) -> Shape:
    return tuple((f.kind, f.counts) for f in found)


def values_of(found: list[Filter], prefix: str = "f") -> dict[str, Any]:
    """The bind values, named as `clauses` names them (a statement with two sets of filters gives each
    its own prefix)."""
    flat = [value for f in found for value in f.values]
    return {f"{prefix}{i}": value for i, value in enumerate(flat)}


def clauses(shape: Shape, prefix: str = "f") -> list[ColumnElement[bool]]:
    """The SQL conditions of a shape, binding f0, f1, ... in the order `values_of` gives them."""
    names: Iterator[BindParameter[Any]] = (bindparam(f"{prefix}{i}") for i in itertools.count())

    def take(count: int) -> list[BindParameter[Any]]:
        return [next(names) for _ in range(count)]

    found: list[ColumnElement[bool]] = []
    for kind, counts in shape:
        if kind == "since_start":
            found.append(R.submit_time >= take(1)[0])
        elif kind == "since_end":
            found.append(R.submit_time <= take(1)[0])
        elif kind == "outcome":
            found.append(R.outcome.in_(take(counts[0])))
        elif kind == "groups":
            uuids = take(counts[0])
            found.append(R.id.in_(select(L.result_id).join(G, G.id == L.group_id).where(G.uuid.in_(uuids))))
        elif kind == "testcases":
            exact, likes = take(counts[0]), take(counts[1])
            found.append(or_(*([T.name.in_(exact)] if exact else []), *(T.name.like(p) for p in likes)))
        else:  # data, data_like: keys ANDed, values ORed; LIKE is case-sensitive, as on PostgreSQL
            key, values = take(1)[0], take(counts[1])
            match = or_(*(D.value.like(v) for v in values)) if kind == "data_like" else D.value.in_(values)
            # IN (subquery) lets the (key, value) index find the few matching results, not probe each
            found.append(R.id.in_(select(D.result_id).where(D.key == key, match)))
    return found
