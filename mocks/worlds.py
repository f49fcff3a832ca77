"""The worlds one mock host serves, each with its own database, journal and fault rules."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from stagingqa.mocks.faults import FaultRules
from stagingqa.mocks.journal import Journal
from stagingqa.mocks.store.database import Storage, WorldDatabase
from stagingqa.mocks.store.export import export_world
from stagingqa.mocks.store.seed import Rows, seed_rows
from stagingqa.world import World


@dataclass
class WorldState:
    """Everything one world is: its definition, seed rows, live database, journal and faults."""

    name: str
    world: World
    rows: Rows
    database: WorldDatabase
    journal: Journal = field(default_factory=Journal)
    faults: FaultRules = field(default_factory=FaultRules)
    cache: dict[str, Any] = field(default_factory=dict)  # per-world memo for services, cleared on reset

    def reset(self) -> None:
        """Back to the state the world was loaded with: data, journal and fault rules."""
        self.database.load(self.rows)
        self.journal.clear()
        self.faults.remove(None)
        self.cache.clear()

    def export(self) -> dict[str, Any]:
        """The current state as a world document."""
        with self.database.session() as session:
            return export_world(self.world, session)


class WorldRegistry:
    """Name to world; replacing a world swaps it in only once the new one is fully loaded."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._worlds: dict[str, WorldState] = {}
        self._lock = threading.Lock()
        self.default: str | None = None

    def put(self, name: str, world: World) -> tuple[WorldState, bool]:
        """Create or replace world `name`; returns it and whether it is new."""
        rows = seed_rows(world)
        database = self.storage.create_seeded(name, rows)
        state = WorldState(name, world, rows, database)
        with self._lock:
            old = self._worlds.get(name)
            self._worlds[name] = state
        if old is not None:
            self.storage.drop(old.database)
        return state, old is None

    def get(self, name: str) -> WorldState | None:
        with self._lock:
            return self._worlds.get(name)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._worlds)

    def delete(self, name: str) -> bool:
        with self._lock:
            state = self._worlds.pop(name, None)
        if state is None:
            return False
        with state.database.lock:
            self.storage.drop(state.database)
        return True

    def close(self) -> None:
        """Drop every world (PostgreSQL schemas included) and release the storage."""
        for name in self.names():
            self.delete(name)
        self.storage.close()
