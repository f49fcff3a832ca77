"""`stagingqa ui` for a spec, as a process, for the browser tests: its base URL while in the block."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served_ui(spec: Path, *options: str) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "stagingqa", "ui", "--spec", str(spec), "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert line.startswith("ui: "), line
        yield line.removeprefix("ui: ")
    finally:
        proc.terminate()
        proc.wait(15)
