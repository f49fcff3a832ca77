"""rpm's version comparison (rpmvercmp and EVR order), as `rpm -q --vercmp` decides it."""

from __future__ import annotations

import re

SEGMENT = re.compile(r"(~|\^|[0-9]+|[a-zA-Z]+)")


def vercmp(a: str, b: str) -> int:
    """-1, 0 or 1: rpm's segment-by-segment comparison (digits numerically, letters < digits, ~ < all, ^)."""
    if a == b:
        return 0
    sa, sb = _segments(a), _segments(b)
    for x, y in zip(sa, sb, strict=False):
        if x == y:
            continue
        if x == "~" or y == "~":
            return -1 if x == "~" else 1
        if x == "^" or y == "^":
            return -1 if x == "^" else 1  # a caret sorts before any other text
        if x.isdigit() and y.isdigit():
            return (int(x) > int(y)) - (int(x) < int(y))
        if x.isdigit() != y.isdigit():
            return 1 if x.isdigit() else -1
        return (x > y) - (x < y)
    if len(sa) == len(sb):
        return 0
    return _tail(sa[len(sb) :], 1) if len(sa) > len(sb) else _tail(sb[len(sa) :], -1)


def _segments(text: str) -> list[str]:
    return [s for s in SEGMENT.findall(text)]


def _tail(rest: list[str], sign: int) -> int:
    """The side with something left over is newer, unless what is left starts with a tilde."""
    return -sign if rest[0] == "~" else sign


def evr_compare(a: tuple[int | None, str, str], b: tuple[int | None, str, str]) -> int:
    """Compare (epoch, version, release); a missing epoch is 0."""
    ea, eb = a[0] or 0, b[0] or 0
    if ea != eb:
        return 1 if ea > eb else -1
    return vercmp(a[1], b[1]) or vercmp(a[2], b[2])


def parse_evr(text: str) -> tuple[int | None, str, str]:
    """'2:1.10-3.fc41' -> (2, '1.10', '3.fc41'); a missing release is ''."""
    epoch: int | None = None
    if ":" in text:
        head, text = text.split(":", 1)
        epoch = int(head) if head.isdigit() else 0
    version, _, release = text.partition("-")
    return epoch, version, release
