"""Staging environments: the system under test at a revision, in its own venv, wired to its own world."""
