"""Query and form parameters the way Bodhi's colander schemas read them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from werkzeug.datastructures import MultiDict

from stagingqa.mocks.bodhi.errors import Problems

MAX_ROWS = 1000


def split_list(args: MultiDict, name: str) -> list[str]:
    """Repeated parameters, each split on commas and whitespace."""
    return [v for raw in args.getlist(name) for v in re.split(r"[,\s]+", raw) if v]


def raw_list(args: MultiDict, name: str) -> list[str]:
    """Repeated parameters without splitting (status and gating are checked before any split)."""
    return [v for v in args.getlist(name) if v != ""]


def integer(
    args: MultiDict,
    name: str,
    problems: Problems,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
    location: str = "querystring",
) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.add(location, name, f'"{raw}" is not a number')
        return default
    if minimum is not None and value < minimum:
        problems.add(location, name, f"{value} is less than minimum value {minimum}")
    if maximum is not None and value > maximum:
        problems.add(location, name, f"{value} is greater than maximum value {maximum}")
    return value


def paging(args: MultiDict, problems: Problems) -> tuple[int, int]:
    page = integer(args, "page", problems, 1, minimum=1)
    rows = integer(args, "rows_per_page", problems, 20, minimum=1, maximum=MAX_ROWS)
    return page, rows


def boolean(args: MultiDict, name: str, problems: Problems, default: bool | None = None) -> bool | None:
    raw = args.get(name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    problems.add("querystring", name, f'"{raw}" is neither in (false, 0) nor in (true, 1)')
    return default


def when(args: MultiDict, name: str, problems: Problems) -> dt.datetime | None:
    raw = args.get(name)
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        problems.add("querystring", name, "Invalid date")
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def enum(args: MultiDict, name: str, allowed: tuple[str, ...], problems: Problems) -> str | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        problems.add("querystring", name, f'"{raw}" is not one of {", ".join(allowed)}')
    return raw


def enum_list(args: MultiDict, name: str, allowed: tuple[str, ...], problems: Problems) -> list[str]:
    values = raw_list(args, name)
    for i, value in enumerate(values):
        if value not in allowed:
            problems.add("querystring", f"{name}.{i}", f'"{value}" is not one of {", ".join(allowed)}')
    return values


def page_of(items: list[Any], page: int, rows: int) -> tuple[list[Any], dict[str, int]]:
    """One page and Bodhi's paging fields (pages is 0 when there is nothing)."""
    total = len(items)
    start = (page - 1) * rows
    return items[start : start + rows], {
        "page": page,
        "pages": -(-total // rows),
        "rows_per_page": rows,
        "total": total,
    }
