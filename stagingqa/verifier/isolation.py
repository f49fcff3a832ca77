"""The isolation guard: a cheap fingerprint of what use cases share (each checkout's HEAD and status, the
venv's installed distributions and scripts), taken before and after a use case's steps; and the files
steps created in the folders the spec watches (`system.watch_paths`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from stagingqa.environment.checkouts import checkout_dir
from stagingqa.environment.handle import Environment

NOISE = ("__pycache__", ".pyc", ".egg-info")  # what running or installing Python writes by itself


def fingerprint(env: Environment) -> dict[str, tuple[str, ...]]:
    """What a step must not change, by place: 'checkout NAME' and 'venv'."""
    found = {}
    for component in env.spec.components:
        src = checkout_dir(env.folder, env.spec, component)
        found[f"checkout {component.name}"] = _git_state(src)
    found["venv"] = _venv_state(env.venv)
    return found


def _git_state(src: Path) -> tuple[str, ...]:
    head = subprocess.run(["git", "-C", str(src), "rev-parse", "HEAD"], capture_output=True, text=True)
    status = subprocess.run(
        ["git", "-C", str(src), "status", "--porcelain=v1", "--untracked-files=all"],
        capture_output=True,
        text=True,
    )
    lines = [line for line in status.stdout.splitlines() if not any(n in line for n in NOISE)]
    return (f"HEAD {head.stdout.strip()}", *sorted(lines))


def _venv_state(venv: Path) -> tuple[str, ...]:
    """Installed distributions (with their metadata's time) and scripts: an install or upgrade shows."""
    entries = []
    for site in venv.glob("lib/python*/site-packages"):
        for entry in os.scandir(site):
            if entry.name.endswith(".dist-info"):
                entries.append(f"{entry.name} {entry.stat().st_mtime_ns}")
    bin_dir = venv / "bin"
    if bin_dir.is_dir():
        entries += [f"bin/{e.name} {e.stat(follow_symlinks=False).st_mtime_ns}" for e in os.scandir(bin_dir)]
    return tuple(sorted(entries))


def changes(before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]) -> list[str]:
    """What changed between two fingerprints, place by place, as short lines."""
    found = []
    for place, now in after.items():
        was = before.get(place, ())
        gone = sorted(set(was) - set(now))
        new = sorted(set(now) - set(was))
        if gone or new:
            shown = [f"+ {line}" for line in new[:5]] + [f"- {line}" for line in gone[:5]]
            found.append(f"{place}: " + "; ".join(shown))
    return found


def snapshot(paths: list[Path]) -> set[str]:
    """Every file under the watched folders (a folder that does not exist holds none)."""
    files: set[str] = set()
    for root in paths:
        for folder, _dirs, names in os.walk(root):
            files.update(os.path.join(folder, name) for name in names)
    return files
