"""autoqa: an AutoQA-style check runner for Koji builds and Bodhi updates."""

__version__ = "0.3.0"

ITEM_TYPES = ("bodhi_update", "koji_build")
