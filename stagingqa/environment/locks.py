"""Exclusive locks across processes, as files in the state folder (flock: released if the holder dies)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def locked(state_dir: Path, name: str) -> Iterator[None]:
    """An exclusive lock across processes (several `up` at once must not start two hosts)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
