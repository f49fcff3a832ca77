"""Per-world storage: an in-memory SQLite database per world, or a PostgreSQL schema per world."""

from __future__ import annotations

import re
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.seed import Rows


class Storage:
    """Makes and drops world databases behind one SQLAlchemy URL."""

    def __init__(self, url: str = "sqlite://") -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._created: set[str] = set()
        self._shared: Engine | None = None
        self._template: sqlite3.Connection | None = None  # every table, no row: each world starts as a copy
        self._template_lock = threading.Lock()
        if not self.is_sqlite:
            self._shared = create_engine(self.url, pool_size=8, max_overflow=8, pool_pre_ping=True)

    def create(self, world: str) -> WorldDatabase:
        """A new, empty database for `world` with every table; a fresh one on every call."""
        if self._shared is None:
            engine = create_engine("sqlite://", poolclass=StaticPool, creator=self._copy_of_template)
            event.listen(engine, "connect", _sqlite_like_postgres)
            return WorldDatabase(engine, None)
        # unique across every host sharing the server: a name two hosts could both pick would let one
        # replace, or drop, the other's world
        schema = f"w_{re.sub(r'[^a-z0-9]+', '_', world.lower())[:20]}_{uuid.uuid4().hex}"
        with self._shared.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))  # never DROP ... IF EXISTS first: not ours
        self._created.add(schema)
        engine = self._shared.execution_options(schema_translate_map={None: schema})
        t.Base.metadata.create_all(engine)
        return WorldDatabase(engine, schema)

    def _copy_of_template(self) -> sqlite3.Connection:
        """A new in-memory database with every table, copied from the template (SQLite's backup API):
        half a millisecond, where creating the tables took 11 ms of every world's creation."""
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        with self._template_lock:
            if self._template is None:
                template = sqlite3.connect(":memory:", check_same_thread=False)
                # a static pool never closes it: the engine is only the way to create the tables
                t.Base.metadata.create_all(
                    create_engine("sqlite://", poolclass=StaticPool, creator=lambda: template)
                )
                self._template = template
            self._template.backup(connection)
        return connection

    def drop(self, database: WorldDatabase) -> None:
        """Remove a world's database for good: only a schema this storage created."""
        if database.schema is None or self._shared is None:
            database.engine.dispose()
            return
        if database.schema not in self._created:
            raise ValueError(f"schema {database.schema!r} was not made by this host: not dropping it")
        with self._shared.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
        self._created.discard(database.schema)

    def close(self) -> None:
        """Release every pooled connection."""
        if self._shared is not None:
            self._shared.dispose()


def _sqlite_like_postgres(connection, record) -> None:  # type: ignore[no-untyped-def]
    """LIKE is case-sensitive on PostgreSQL, which the mocks follow; SQLite's is not unless told."""
    connection.execute("PRAGMA case_sensitive_like = ON")


class WorldDatabase:
    """One world's tables; a lock serialises writers so ids stay unique and nothing is lost."""

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.engine = engine
        self.schema = schema
        self.lock = threading.RLock()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction on this world: committed on success, rolled back on any error."""
        with self.lock, Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads only: an ORM session's set-up cost as much as an indexed read."""
        with self.lock, self.engine.connect() as conn:
            yield conn

    def load(self, rows: Rows, fresh: bool = False) -> None:
        """Replace every row with `rows` in one transaction (used to seed and to reset); a `fresh`
        database has none to delete."""
        with self.lock, self.engine.begin() as conn:
            for table in () if fresh else t.DELETE_ORDER:
                conn.execute(table.__table__.delete())
            for table in reversed(t.DELETE_ORDER):
                if rows.get(table):
                    conn.execute(insert(table.__table__), rows[table])
            if self.schema is not None:
                _restart_sequences(conn, self.schema, rows)


def _restart_sequences(conn, schema: str, rows: Rows) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL ids come from sequences, which explicit ids do not advance."""
    for table in t.DELETE_ORDER:
        name = f'"{schema}".{table.__tablename__}'
        next_id = max((r["id"] for r in rows.get(table, [])), default=0) + 1
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {next_id}, false)"))
