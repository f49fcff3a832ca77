"""A fresh run database per test: a SQLite file, or a new database on the session's PostgreSQL server."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text


@pytest.fixture(params=["sqlite", "postgresql"])
def runs_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runs.sqlite'}"
    server = request.getfixturevalue("postgres")
    name = f"runs_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"
