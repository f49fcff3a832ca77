"""World files: load, validate, merge overlays; a leaf package that imports nothing else of ours."""

from stagingqa.world.loader import load_world, load_world_text, merge_documents
from stagingqa.world.model import World
from stagingqa.world.problems import Problem, WorldInvalid

__all__ = ["Problem", "World", "WorldInvalid", "load_world", "load_world_text", "merge_documents"]
