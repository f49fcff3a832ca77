"""Query-string parsing for the list endpoints: comma lists, data filters, `since`, paging."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from stagingqa.mocks.resultsdb.errors import validation_error
from stagingqa.mocks.resultsdb.schemas import ListQuery, as_validation_error, error_entry

RESERVED = {
    "page",
    "limit",
    "since",
    "outcome",
    "groups",
    "testcases",
    "testcases:like",
    "_sort",
    "_distinct_on",
}
ISO8601 = re.compile(
    r"^(?P<y>\d{4})(-?(?P<m>\d{2})(-?(?P<d>\d{2}))?)?"
    r"([T ](?P<H>\d{2})(:?(?P<M>\d{2})(:?(?P<S>\d{2})([.,](?P<f>\d+))?)?)?)?"
    r"(?P<tz>Z|[+-]\d{2}(:?\d{2})?)?$"
)


@dataclass
class ResultsQuery:
    """Everything a results list or `latest` request asks for."""

    page: int = 0
    limit: int = 20
    since_start: dt.datetime | None = None
    since_end: dt.datetime | None = None
    outcomes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    testcases: list[str] = field(default_factory=list)
    testcases_like: list[str] = field(default_factory=list)
    sort: str = ""
    distinct_on: list[str] = field(default_factory=list)
    data: dict[str, list[str]] = field(default_factory=dict)  # key or key:like -> values


@dataclass(frozen=True)
class NamedListQuery:
    """A groups or testcases list request: exact values or `:like` patterns of one field, and paging."""

    page: int
    limit: int
    exact: list[str]
    like: list[str]  # used only when no exact value is given, as on the real server
    uuids: list[str] = field(default_factory=list)  # groups only


def parse_list_query(args: MultiDict, field_name: str) -> NamedListQuery:
    """The /groups (field `description`) or /testcases (field `name`) query."""
    page, limit = parse_paging(args)
    uuids = [u for raw in args.getlist("uuid") for u in raw.split(",")] if field_name == "description" else []
    return NamedListQuery(
        page, limit, comma_list(args, field_name), comma_list(args, f"{field_name}:like"), uuids
    )


def comma_list(args: MultiDict, name: str) -> list[str]:
    """Comma-separated values of every occurrence of `name`, stripped, empties dropped."""
    return [v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()]


def parse_paging(args: MultiDict) -> tuple[int, int]:
    """page and limit, or a 400 with pydantic's int_parsing errors."""
    values = {k: args.get(k) for k in ("page", "limit") if k in args}
    try:
        parsed = ListQuery.model_validate(values)
    except ValidationError as exc:
        raise as_validation_error(exc) from None
    return parsed.page, parsed.limit


def parse_iso8601(text: str) -> dt.datetime:
    """A date or date-time in ISO 8601; the offset is dropped, not converted (as the real server does)."""
    match = ISO8601.match(text.strip())
    if not match:
        raise ValueError(text)
    parts = match.groupdict()
    fraction = (parts["f"] or "0")[:6].ljust(6, "0")
    return dt.datetime(
        int(parts["y"]),
        int(parts["m"] or 1),
        int(parts["d"] or 1),
        int(parts["H"] or 0),
        int(parts["M"] or 0),
        int(parts["S"] or 0),
        int(fraction),
    )


def parse_results_query(args: MultiDict, outcomes: tuple[str, ...]) -> ResultsQuery:
    """Validate a results query; every problem is reported in one 400, field by field."""
    errors: list[dict[str, Any]] = []
    try:
        page, limit = parse_paging(args)
    except Exception as exc:  # keep collecting: the real server reports every field at once
        errors += exc.body["validation_error"]  # type: ignore[attr-defined]
        page, limit = 0, 20
    query = ResultsQuery(page=page, limit=limit, sort=args.get("_sort", ""))
    if "since" in args:
        raw = args.getlist("since")[0]
        try:
            pieces = raw.split(",")
            query.since_start = parse_iso8601(pieces[0])
            query.since_end = parse_iso8601(pieces[1]) if len(pieces) > 1 else None
        except (ValueError, IndexError):
            errors.append(
                error_entry(["since"], "value_error", "Value error, must be in ISO8601 format", [raw])
            )
    query.outcomes = [o.upper() for o in comma_list(args, "outcome")]
    if any(o not in outcomes for o in query.outcomes):
        errors.append(
            error_entry(
                ["outcome"],
                "value_error",
                f"Value error, must be one of: {', '.join(outcomes)}",
                args.getlist("outcome"),
            )
        )
    if errors:
        raise validation_error(errors)
    query.groups = comma_list(args, "groups")
    query.testcases = comma_list(args, "testcases")
    query.testcases_like = comma_list(args, "testcases:like")
    query.distinct_on = comma_list(args, "_distinct_on")
    for key in args:
        if key not in RESERVED:
            query.data[key] = [v for raw in args.getlist(key) for v in raw.split(",")]
    return query


def like_pattern(text: str) -> str:
    """`*` is the wildcard; `%` and `_` stay SQL wildcards, as in the real server."""
    return text.replace("*", "%")
