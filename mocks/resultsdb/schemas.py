"""Request shapes, validated with pydantic so errors carry the real server's `loc`, `type` and `msg`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from stagingqa.mocks.resultsdb.errors import ResultsDBError, validation_error

PRESET_OUTCOMES = ("PASSED", "INFO", "FAILED", "NEEDS_INSPECTION")
QUERY_LIMIT = 20
PYDANTIC_DOCS = "https://errors.pydantic.dev/2.6/v/"

Outcome = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1)]


class Body(BaseModel):
    """Unknown body fields are ignored, as the real server does (`_auth_token`, `foo`)."""

    model_config = ConfigDict(extra="ignore")


class CreateResult(Body):
    outcome: Outcome
    testcase: dict[str, Any]
    groups: list[Any] | None = None
    note: str | None = None
    data: dict[str, Any] | None = None
    ref_url: str | None = None
    submit_time: Any = None

    @field_validator("testcase", mode="before")
    @classmethod
    def testcase_from_name(cls, value: Any) -> Any:
        if not value or (isinstance(value, dict) and not value.get("name")):
            raise ValueError("testcase name must be non-empty")
        return {"name": value} if isinstance(value, str) else value

    @field_validator("submit_time", mode="before")
    @classmethod
    def parse_submit_time(cls, value: Any) -> dt.datetime | None:
        return parse_submit_time(value)

    @field_validator("outcome")
    @classmethod
    def known_outcome(cls, value: str, info: Any) -> str:
        outcomes = (info.context or {}).get("outcomes", PRESET_OUTCOMES)
        if value not in outcomes:
            raise ValueError(f"must be one of: {', '.join(outcomes)}")
        return value


class CreateGroup(Body):
    uuid: str | None = None
    ref_url: str | None = None
    description: str | None = None


class CreateTestcase(Body):
    name: Annotated[str, StringConstraints(min_length=1)]
    ref_url: str | None = None


class ListQuery(BaseModel):
    page: int = 0
    limit: int = Field(QUERY_LIMIT, ge=0)  # the real server crashes (500) on PostgreSQL; we answer 400


def parse_submit_time(value: Any) -> dt.datetime | None:
    """Milliseconds (number or digit string) or `%Y-%m-%dT%H:%M:%S.%f` with Z, +00 or an offset; naive UTC."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return from_milliseconds(value)
    if isinstance(value, str):
        for suffix in ("Z", "", "%z", "+00"):
            try:
                parsed = dt.datetime.strptime(value, f"%Y-%m-%dT%H:%M:%S.%f{suffix}")
            except ValueError:
                continue
            if parsed.tzinfo is not None:  # PostgreSQL converts an offset to UTC
                parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
            return parsed
        if re.fullmatch(r"[+-]?\d+", value.strip()):
            return from_milliseconds(int(value))
    # floats crash the real server (500); the mock rejects them with the same message as other bad input
    raise ValueError(
        "Expected timestamp in milliseconds or datetime (in format YYYY-MM-DDTHH:MM:SS.ffffff), "
        f"got {value!r}"
    )


def from_milliseconds(value: int) -> dt.datetime:
    seconds, millis = divmod(value, 1000)
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).replace(microsecond=millis * 1000, tzinfo=None)


def validate_body(model: type[BaseModel], body: Any, context: dict[str, Any] | None = None) -> Any:
    """Validate a JSON body; a JSON value that is not an object gets a 400 too (the real server crashes)."""
    if not isinstance(body, dict):
        raise validation_error([error_entry([], "dict_type", "Input should be a valid dictionary", body)])
    try:
        return model.model_validate(body, context=context)
    except ValidationError as exc:
        raise as_validation_error(exc) from None


def as_validation_error(exc: ValidationError) -> ResultsDBError:
    """pydantic's errors in the real server's JSON shape."""
    return validation_error(
        [error_entry(list(e["loc"]), e["type"], e["msg"], e.get("input")) for e in exc.errors()]
    )


def error_entry(loc: list[Any], kind: str, msg: str, value: Any) -> dict[str, Any]:
    return {"input": value, "loc": loc, "msg": msg, "type": kind, "url": PYDANTIC_DOCS + kind}
