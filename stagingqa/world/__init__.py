"""World files: load, validate, merge overlays; a leaf package that imports nothing else of ours."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stagingqa.world.problems import Problem, WorldInvalid

if TYPE_CHECKING:
    from stagingqa.world.loader import load_world, load_world_text, merge_documents
    from stagingqa.world.model import World

__all__ = ["Problem", "World", "WorldInvalid", "load_world", "load_world_text", "merge_documents"]
LAZY = {"load_world": "loader", "load_world_text": "loader", "merge_documents": "loader", "World": "model"}


def __getattr__(name: str) -> Any:
    """The model and loader are imported on first use: building the pydantic models takes a tenth of a
    second that commands which never read a world (stagingqa up with a checked world) should not pay."""
    if name in LAZY:
        import importlib

        return getattr(importlib.import_module(f"stagingqa.world.{LAZY[name]}"), name)
    raise AttributeError(name)
