"""stagingqa: staging environments and mock Fedora infrastructure for AutoQA-style systems."""

__version__ = "0.1.0"
