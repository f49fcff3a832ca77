"""World storage on in-memory SQLite and on a real PostgreSQL server: seed, isolate, reset, drop."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import func, inspect, select, text

from stagingqa.mocks.store import tables as t
from stagingqa.mocks.store.database import Storage
from stagingqa.mocks.store.seed import seed_rows
from stagingqa.mocks.worlds import WorldRegistry
from stagingqa.world import load_world
from tests.conftest import BASIC_WORLD, start_served_host
from tests.worldgen import generated_world


def count(state, table) -> int:
    with state.database.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_seed_is_deterministic():
    world = load_world(BASIC_WORLD)
    assert seed_rows(world) == seed_rows(load_world(BASIC_WORLD))
    rows = seed_rows(world)
    assert [b["id"] for b in rows[t.Build]] == [1, 2, 3]
    assert [r["name"] for r in rows[t.Release]] == ["F40", "F41", "F42"]
    listing = rows[t.TagListing]
    assert [row["create_event"] for row in listing] == sorted(row["create_event"] for row in listing)


def test_worlds_are_isolated_and_reset(db_url):
    registry = WorldRegistry(Storage(db_url))
    try:
        a, _ = registry.put("a", load_world(BASIC_WORLD))
        b, _ = registry.put("b", load_world(BASIC_WORLD))
        with a.database.session() as session:
            session.add(t.Testcase(name="only.in.a"))
        assert count(a, t.Testcase) == 2 and count(b, t.Testcase) == 1
        a.reset()
        assert count(a, t.Testcase) == 1
        with a.database.session() as session:
            new = t.Testcase(name="after.reset")
            session.add(new)
            session.flush()
            assert new.id == 2  # ids continue from the seed, as in a fresh world
    finally:
        registry.close()


def test_replacing_a_world_swaps_it_whole(db_url):
    registry = WorldRegistry(Storage(db_url))
    try:
        _, created = registry.put("w", load_world(BASIC_WORLD))
        second, created_again = registry.put("w", generated_world(builds=20))
        assert created and not created_again
        assert registry.get("w") is second and count(second, t.Build) == 20
    finally:
        registry.close()


def test_a_200_build_world_round_trips(db_url):
    registry = WorldRegistry(Storage(db_url))
    try:
        world = generated_world(builds=200)
        state, _ = registry.put("big", world)
        assert count(state, t.Build) == 200
        exported = state.export()
        again, _ = registry.put("again", load_world_from(exported))
        assert again.export() | {"name": "x"} == exported | {"name": "x"}
    finally:
        registry.close()


def test_postgres_schemas_are_dropped_with_their_world(postgres):
    storage = Storage(postgres.url)
    registry = WorldRegistry(storage)
    state, _ = registry.put("pg-drop", load_world(BASIC_WORLD))
    schema = state.database.schema
    assert schema in inspect(storage._shared).get_schema_names()
    registry.delete("pg-drop")
    with storage._shared.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar()
            == 0
        )
    registry.close()


def load_world_from(document):
    from stagingqa.world.loader import validate
    from stagingqa.world.source import Located

    return validate(Located(document, {(): ("export", 1)}))


def test_two_hosts_share_one_postgres_server_with_same_named_worlds(postgres, tmp_path):
    """Two real mock host processes, one server, a world of the same name in each: what one writes,
    replaces or deletes never touches the other's."""
    hosts = [start_served_host(tmp_path, "--db", postgres.url, "--world", str(BASIC_WORLD)) for _ in range(2)]
    try:
        (_, first), (_, second) = hosts
        api = "/w/fedora-basic/resultsdb/api/v2.0/results"
        before = len(requests.get(first + api, timeout=10).json()["data"])
        posted = requests.post(first + api, json={"outcome": "PASSED", "testcase": "kept"}, timeout=10)
        assert posted.status_code == 201
        # the second host replaces its world of that name, then deletes it
        put = requests.put(
            f"{second}/_control/worlds/fedora-basic", data=BASIC_WORLD.read_bytes(), timeout=30
        )
        assert put.status_code == 201
        assert requests.delete(f"{second}/_control/worlds/fedora-basic", timeout=10).status_code == 204
        kept = requests.get(first + api, timeout=10).json()["data"]
        assert len(kept) == before + 1 and kept[0]["testcase"]["name"] == "kept"
    finally:
        for proc, _ in hosts:
            proc.terminate()
            proc.wait(10)


def test_a_schema_this_storage_did_not_make_is_never_dropped(postgres):
    mine, theirs = Storage(postgres.url), Storage(postgres.url)
    database = theirs.create("same")
    with pytest.raises(ValueError, match="was not made by this host"):
        mine.drop(database)
    assert database.schema in inspect(theirs._shared).get_schema_names()
    theirs.drop(database)
    mine.close()
    theirs.close()


def all_rows(state) -> dict:
    with state.database.session() as session:
        return {
            table.__tablename__: session.execute(select(table.__table__)).all() for table in t.DELETE_ORDER
        }


def test_a_world_seeded_again_is_copied_from_the_first_seeding_and_stands_alone(monkeypatch):
    """SQLite: the same rows are seeded once, later worlds are copies of that database as it was seeded."""
    from stagingqa.mocks.store import database

    storage = Storage()
    registry = WorldRegistry(storage)
    try:
        first, _ = registry.put("first", load_world(BASIC_WORLD))
        with first.database.session() as session:
            session.add(t.Testcase(name="only.in.first"))
        again, _ = registry.put("again", load_world(BASIC_WORLD))
        assert len(storage._seeded) == 1
        alone = WorldRegistry(Storage())
        try:
            fresh, _ = alone.put("fresh", load_world(BASIC_WORLD))
            assert all_rows(again) == all_rows(fresh)  # as seeded: not the first world's later write
        finally:
            alone.close()
        with again.database.session() as session:
            new = t.Testcase(name="in.again")
            session.add(new)
            session.flush()
            assert new.id == 2  # ids continue from the seed, as in a freshly seeded world
        assert count(first, t.Testcase) == 2 and count(again, t.Testcase) == 2
        third, _ = registry.put("third", load_world(BASIC_WORLD))
        assert count(third, t.Testcase) == 1  # neither world's writes reached the kept copy

        monkeypatch.setattr(database, "SEEDED_MAX_BYTES", 1)  # over the bound: only the newest stays
        registry.put("other", generated_world(builds=6))
        assert len(storage._seeded) == 1
    finally:
        registry.close()
    assert not storage._seeded


def test_sqlite_reads_share_one_connection_that_sees_every_write_and_goes_with_the_world():
    storage = Storage()
    registry = WorldRegistry(storage)
    try:
        state, _ = registry.put("w", load_world(BASIC_WORLD))
        with state.database.reading() as conn:
            first = conn
            before = conn.execute(select(func.count()).select_from(t.Testcase)).scalar_one()
        with state.database.session() as session:
            session.add(t.Testcase(name="written.between.reads"))
        with state.database.reading() as conn:
            assert conn is first and not conn.in_transaction()  # nothing left open between reads
            assert conn.execute(select(func.count()).select_from(t.Testcase)).scalar_one() == before + 1
        registry.delete("w")
        assert first.closed
    finally:
        registry.close()


def test_a_copy_is_taken_at_once_so_evicting_its_source_later_breaks_nothing(monkeypatch):
    from stagingqa.mocks.store import database

    storage = Storage()
    rows = seed_rows(load_world(BASIC_WORLD))
    first = storage.create_seeded("first", rows)
    copied = storage.create_seeded("copied", rows)  # not connected to yet
    monkeypatch.setattr(database, "SEEDED_MAX_BYTES", 1)
    storage.create_seeded("other", seed_rows(generated_world(builds=6)))  # evicts and closes the source
    with copied.reading() as conn:
        assert conn.execute(select(func.count()).select_from(t.Build)).scalar_one() == len(rows[t.Build])
    for made in (first, copied):
        storage.drop(made)
    storage.close()
