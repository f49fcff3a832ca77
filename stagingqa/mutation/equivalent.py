"""Mutants a maintainer judged equivalent (nothing the system does can tell them apart from the revision),
each with why: a YAML list next to the use cases, `mutants-equivalent.yaml`."""

from __future__ import annotations

from pathlib import Path

import yaml

from stagingqa.errors import InputError
from stagingqa.verifier.usecase import EQUIVALENT_MUTANTS

FILE_NAME = EQUIVALENT_MUTANTS  # verify leaves it out of the use cases
EXAMPLE = "- {id: 1a2b3c4d5e, why: the timeout is never reached in a use case}"


def load_equivalent(path: Path) -> dict[str, str]:
    """Mutant id to the reason it is equivalent; nothing when the file does not exist."""
    if not path.exists():
        return {}
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a list of mutants, each like {EXAMPLE}")
    found = {}
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry.get("why"):
            raise InputError(f"{path}: entry {n}: expected an id and why, like {EXAMPLE}")
        found[entry["id"]] = str(entry["why"])
    return found
