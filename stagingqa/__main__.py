"""Allows `python -m stagingqa`."""

from stagingqa.cli import main

main()
