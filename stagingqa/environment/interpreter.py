"""The environment's interpreter: the spec's `system.python` or stagingqa's own, and whether the system
packages a venv sees through `system.site_packages` are the distribution's (rpm, libdnf, libsolv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec

DISTRIBUTION_PYTHON = "/usr/bin/python3"  # what Debian's and Fedora's python3-rpm and friends are built for


def interpreter(spec: LoadedSpec) -> str:
    """The interpreter the venv is made from: a path, or a name on PATH (an InputError if neither)."""
    wanted = spec.spec.system.python
    if wanted is None:
        return sys.executable
    found = wanted if os.path.isabs(wanted) else shutil.which(wanted)
    if not found or not os.access(found, os.X_OK):
        raise InputError(f"system.python {wanted!r} is not an interpreter on this machine")
    return found


def version(python: str) -> str:
    done = subprocess.run(
        [python, "-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout.strip() or "unknown"


def bindings_note(spec: LoadedSpec) -> str | None:
    """With site_packages, a note when the venv's interpreter is not the distribution's: its own packages
    are then not the system bindings a system needing rpm or libdnf expects."""
    if not spec.spec.system.site_packages or not os.path.exists(DISTRIBUTION_PYTHON):
        return None
    chosen = interpreter(spec)
    if os.path.realpath(chosen) == os.path.realpath(DISTRIBUTION_PYTHON):
        return None
    return (
        f"system.site_packages gives the venv the packages of {chosen} (Python {version(chosen)}), but the "
        f"distribution's bindings (rpm, libdnf, libsolv) are built for {DISTRIBUTION_PYTHON} "
        f"(Python {version(DISTRIBUTION_PYTHON)}): set system.python: {DISTRIBUTION_PYTHON} to use them"
    )
