"""Read statements compiled once per shape and run on the driver's own cursor.

SQLAlchemy Core's work on every execution (building the statement, its cache key, expanding IN lists,
the result object) cost more than SQLite's own work on an uncached ResultsDB page. A statement here is
built and compiled once per shape (which filters, how many values each) and dialect; later reads of that
shape only bind their values. The type conversions SQLAlchemy would apply (SQLite keeps datetimes as
text) still apply: each bind and result column keeps its type's processor. Writes keep the ORM."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select

Processor = Callable[[Any], Any]
MAX_SHAPES = 512  # per process; a check's queries come in a few dozen shapes


@dataclass(frozen=True)
class Prepared:
    """One shape's SQL for one dialect and schema, with what to convert on the way in and out."""

    statement: Select
    sql: str
    order: tuple[str, ...] | None  # bind names in placeholder order (qmark drivers); None: named
    defaults: dict[str, Any]  # values the statement carries itself (a literal LIMIT)
    binds: tuple[tuple[str, Processor], ...]  # the binds whose values the dialect converts
    columns: tuple[tuple[int, Processor], ...]  # the result columns the dialect converts, by position
    direct: bool  # False where the dialect renders a bind at execution time: run it through SQLAlchemy


_compiled: OrderedDict[Hashable, Prepared] = OrderedDict()  # the oldest goes first beyond MAX_SHAPES
_lock = threading.Lock()


def fetch(
    conn: Connection, build: Callable[..., Select], shape: tuple[Hashable, ...], values: Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """Every row of the statement `build(*shape)` makes, with `values` bound by name. `build` is a plain
    function of the shape alone: its statement is compiled once and reused for every call."""
    prepared = _prepared(conn, build, shape)
    bound = {**prepared.defaults, **values}
    if not prepared.direct:
        return [tuple(row) for row in conn.execute(prepared.statement, bound)]
    for name, process in prepared.binds:
        if bound.get(name) is not None:
            bound[name] = process(bound[name])
    params: Any = bound if prepared.order is None else [bound[name] for name in prepared.order]
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(prepared.sql, params)
        rows: list[tuple[Any, ...]] = list(cursor.fetchall())
    finally:
        cursor.close()
    if not prepared.columns:
        return rows
    converted = []
    for row in rows:
        cells = list(row)
        for index, process in prepared.columns:
            if cells[index] is not None:
                cells[index] = process(cells[index])
        converted.append(tuple(cells))
    return converted


def _prepared(conn: Connection, build: Callable[..., Select], shape: tuple[Hashable, ...]) -> Prepared:
    dialect = conn.dialect
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    schema = tuple(sorted(translate.items(), key=str)) if translate else ()
    key = (dialect.name, dialect.driver, dialect.paramstyle, schema, build, shape)
    found = _compiled.get(key)  # no lock to read: a dict's get is atomic, and this runs on every read
    if found is not None:
        return found
    statement = build(*shape)
    compiled = statement.compile(
        dialect=dialect, schema_translate_map=translate or None, render_schema_translate=bool(translate)
    )
    binds = []
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            binds.append((name, process))
    prepared = Prepared(
        statement=statement,
        sql=compiled.string,
        order=tuple(compiled.positiontup or ()) if compiled.positional else None,
        defaults={name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required},
        binds=tuple(binds),
        columns=tuple(
            (index, process)
            for index, column in enumerate(statement.selected_columns)
            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        ),
        direct="__[POSTCOMPILE_" not in compiled.string and not compiled.escaped_bind_names,
    )
    with _lock:
        _compiled[key] = prepared
        if len(_compiled) > MAX_SHAPES:
            _compiled.popitem(last=False)
    return prepared
