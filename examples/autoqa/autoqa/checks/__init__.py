"""The checks autoqa runs, by name (testcase dist.<name>)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if (
    TYPE_CHECKING
):  # the check modules import the client libraries; `autoqa --version` should not wait for them
    from autoqa.items import Target
    from autoqa.services import Services

NAMES = ("upgradepath", "depcheck", "rpmlint")


@dataclass
class Finding:
    """One result to post: an arch, an outcome and why."""

    arch: str
    outcome: str
    note: str
    details: list[str] = field(default_factory=list)


Check = Callable[["Services", "Target"], list[Finding]]


def registry() -> dict[str, Check]:
    from autoqa.checks import depcheck, rpmlint, upgradepath

    return {"upgradepath": upgradepath.check, "depcheck": depcheck.check, "rpmlint": rpmlint.check}
