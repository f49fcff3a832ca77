"""The control API under /_control: worlds, reset, export, journal and faults."""
