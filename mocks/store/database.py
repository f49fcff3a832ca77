"""Per-world storage: an in-memory SQLite database per world, or a PostgreSQL schema per world."""

from __future__ import annotations

import hashlib
import pickle
import re
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.seed import Rows

SEEDED_MAX_BYTES = 64 * 1024 * 1024  # seeded SQLite copies kept, least recently used first out


class Storage:
    """Makes and drops world databases behind one SQLAlchemy URL."""

    def __init__(self, url: str = "sqlite://") -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._created: set[str] = set()
        self._shared: Engine | None = None
        self._template: sqlite3.Connection | None = None  # every table, no row: each world starts as a copy
        self._template_lock = threading.Lock()
        # rows' fingerprint -> (a seeded in-memory copy, its size): a use case's world is seeded again on
        # every run, and a copy is cheaper than the inserts (a world's creation: 6.5-9.2 ms to 1.2 ms)
        self._seeded: OrderedDict[bytes, tuple[sqlite3.Connection, int]] = OrderedDict()
        if not self.is_sqlite:
            self._shared = create_engine(self.url, pool_size=8, max_overflow=8, pool_pre_ping=True)

    def create(self, world: str) -> WorldDatabase:
        """A new, empty database for `world` with every table; a fresh one on every call."""
        if self._shared is None:
            return self._sqlite(self._copy_of_template)
        schema = self._new_schema(world)
        engine = self._shared.execution_options(schema_translate_map={None: schema})
        t.Base.metadata.create_all(engine)
        return WorldDatabase(engine, schema)

    def create_seeded(self, world: str, rows: Rows) -> WorldDatabase:
        """A new database for `world` holding `rows`. On SQLite, rows seeded before are copied from the
        database they made (SQLite's backup API) instead of inserted again."""
        if self._shared is not None:
            return self._loaded(self.create(world), rows)
        key = hashlib.sha256(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)).digest()
        with self._template_lock:  # copied now, under the lock: another world's seeding may evict it
            found = self._seeded.get(key)
            if found is not None:
                self._seeded.move_to_end(key)
                connection = _copy(found[0])
        if found is not None:
            return self._sqlite(lambda: connection)
        database = self._loaded(self.create(world), rows)
        self._keep_seeded(key, database)
        return database

    def _loaded(self, database: WorldDatabase, rows: Rows) -> WorldDatabase:
        try:
            database.load(rows, fresh=True)
        except Exception:
            self.drop(database)
            raise
        return database

    def _keep_seeded(self, key: bytes, database: WorldDatabase) -> None:
        """Keep a copy of a just-seeded database under its rows' fingerprint, within SEEDED_MAX_BYTES."""
        with database.lock, database.engine.connect() as conn:
            copy = _copy(conn.connection.dbapi_connection)  # type: ignore[arg-type]
        pages, page_size = (
            copy.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_count", "page_size")
        )
        with self._template_lock:
            self._seeded[key] = (copy, pages * page_size)
            while sum(size for _, size in self._seeded.values()) > SEEDED_MAX_BYTES and len(self._seeded) > 1:
                self._seeded.popitem(last=False)[1][0].close()

    def _sqlite(self, creator: Callable[[], sqlite3.Connection]) -> WorldDatabase:
        engine = create_engine("sqlite://", poolclass=StaticPool, creator=creator)
        event.listen(engine, "connect", _sqlite_like_postgres)
        return WorldDatabase(engine, None)

    def _new_schema(self, world: str) -> str:
        # unique across every host sharing the server: a name two hosts could both pick would let one
        # replace, or drop, the other's world
        schema = f"w_{re.sub(r'[^a-z0-9]+', '_', world.lower())[:20]}_{uuid.uuid4().hex}"
        assert self._shared is not None
        with self._shared.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))  # never DROP ... IF EXISTS first: not ours
        self._created.add(schema)
        return schema

    def _copy_of_template(self) -> sqlite3.Connection:
        """A new in-memory database with every table, copied from the template (SQLite's backup API):
        half a millisecond, where creating the tables took 11 ms of every world's creation."""
        with self._template_lock:
            if self._template is None:
                template = sqlite3.connect(":memory:", check_same_thread=False)
                # a static pool never closes it: the engine is only the way to create the tables
                t.Base.metadata.create_all(
                    create_engine("sqlite://", poolclass=StaticPool, creator=lambda: template)
                )
                self._template = template
            return _copy(self._template)  # under the lock: one backup at a time from a source

    def drop(self, database: WorldDatabase) -> None:
        """Remove a world's database for good: only a schema this storage created."""
        if database.schema is None or self._shared is None:
            database.close()
            return
        if database.schema not in self._created:
            raise ValueError(f"schema {database.schema!r} was not made by this host: not dropping it")
        with self._shared.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
        self._created.discard(database.schema)

    def close(self) -> None:
        """Release every pooled connection and seeded copy."""
        if self._shared is not None:
            self._shared.dispose()
        with self._template_lock:
            for copy, _ in self._seeded.values():
                copy.close()
            self._seeded.clear()


def _copy(source: sqlite3.Connection) -> sqlite3.Connection:
    """A new in-memory database with everything `source` holds (SQLite's backup API)."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    source.backup(connection)
    return connection


def _sqlite_like_postgres(connection, record) -> None:  # type: ignore[no-untyped-def]
    """LIKE is case-sensitive on PostgreSQL, which the mocks follow; SQLite's is not unless told."""
    connection.execute("PRAGMA case_sensitive_like = ON")


class WorldDatabase:
    """One world's tables; a lock serialises writers so ids stay unique and nothing is lost."""

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.engine = engine
        self.schema = schema
        self.lock = threading.RLock()
        self._reader: Connection | None = None  # SQLite: one connection for every read, under the lock

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction on this world: committed on success, rolled back on any error."""
        with self.lock, Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads only: an ORM session's set-up cost as much as an indexed read. On SQLite
        (one connection to the world's in-memory database whatever the pool) it is the same connection
        every time: checking one out and in again was a twentieth of an uncached ResultsDB page."""
        with self.lock:
            if self.schema is not None:
                with self.engine.connect() as conn:
                    yield conn
                return
            if self._reader is None or self._reader.closed:
                self._reader = self.engine.connect()
            try:
                yield self._reader
            finally:
                if self._reader.in_transaction():  # SQLAlchemy's own, begun by an execute: nothing to undo
                    self._reader.rollback()

    def close(self) -> None:
        """Let go of the database (an in-memory one is gone with its last connection)."""
        with self.lock:
            if self._reader is not None:
                self._reader.close()
            self.engine.dispose()

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
