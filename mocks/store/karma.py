"""Bodhi's karma rule, shared by Bodhi's answers and the world export (which the verifier observes)."""

from __future__ import annotations

from stagingqa.mocks.store import tables as t


def karma(comments: list[t.Comment]) -> int:
    """Each user's latest non-zero karma since the last karma reset ('New build'/'Removed build' by bodhi)."""
    latest: dict[str, int] = {}
    for comment in comments:
        if comment.user == "bodhi" and ("New build" in comment.text or "Removed build" in comment.text):
            latest.clear()
        elif comment.karma:
            latest[comment.user] = comment.karma
    return sum(latest.values())
