"""A use case's home: a folder of its own that is HOME, TMPDIR and the XDG folders of its steps (the
spec's `system.files` are rendered into it too: placeholders.write_files), so that use cases running side
by side share no settings."""

from __future__ import annotations

from pathlib import Path

XDG = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_CACHE_HOME": ".cache",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
}


def home_environ(home: Path) -> dict[str, str]:
    """HOME, TMPDIR and the XDG folders, all inside `home` (made here)."""
    folders = {"HOME": home, "TMPDIR": home / "tmp", **{k: home / v for k, v in XDG.items()}}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {key: str(folder) for key, folder in folders.items()}
