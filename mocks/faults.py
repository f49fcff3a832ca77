"""Fault rules: answers a world's services give instead of (or after) handling a request."""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator


class FaultRuleInvalid(ValueError):
    """A fault rule document that does not follow mock-host.md."""


class Respond(BaseModel):
    """What a firing rule does: delay, answer with its own status and body, drop, or let the request
    take effect first (`after_handling`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: int | None = None
    body: Any = None
    headers: dict[str, str] = {}
    delay_ms: float = 0
    drop: bool = False
    after_handling: bool = False

    @field_validator("status", mode="before")
    @classmethod
    def http_status(cls, value: Any) -> Any:
        if value is not None and (not _integer(value) or not 100 <= value <= 599):
            raise ValueError("respond.status must be an HTTP status code")
        return value

    @field_validator("delay_ms", mode="before")
    @classmethod
    def milliseconds(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError("respond.delay_ms must be a number of milliseconds >= 0")
        return value

    @model_validator(mode="after")
    def does_something(self) -> Respond:
        if not (self.status or self.drop or self.delay_ms or self.body is not None):
            raise ValueError("respond needs a status, a body, drop: true or a delay_ms")
        return self


class FaultRuleSpec(BaseModel):
    """A fault rule as a use case or the control API gives it: one model for both (docs/mock-host.md).
    The service must be one of those the validation context names (the host's service table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service: str
    method: str | None = None
    path: str | None = None
    call: str | None = None
    times: int | None = 1
    respond: Respond

    @field_validator("service", mode="before")
    @classmethod
    def known_service(cls, value: Any, info: ValidationInfo) -> Any:
        names = (info.context or {}).get("services", ())  # the host's table gives them
        if value not in names:
            raise ValueError(f"service must be one of {', '.join(names)} (got {value!r})")
        return value

    @field_validator("method", "path", "call", mode="before")
    @classmethod
    def text(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{info.field_name} must be a string")
        return value

    @field_validator("times", mode="before")
    @classmethod
    def positive(cls, value: Any) -> Any:
        if value is not None and (not _integer(value) or value < 1):
            raise ValueError("times must be a positive integer or null (for always)")
        return value


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class FaultRule:
    """An armed rule: its document, its id in the world, and how often it has fired."""

    id: int
    spec: FaultRuleSpec
    fired: int = 0

    @property
    def service(self) -> str:
        return self.spec.service

    @property
    def respond(self) -> Respond:
        return self.spec.respond

    @property
    def times(self) -> int | None:
        return self.spec.times

    def matches(self, service: str, method: str, path: str, calls: Sequence[str]) -> bool:
        rule = self.spec
        if rule.service != service:
            return False
        if rule.method and rule.method.upper() != method.upper():
            return False
        if rule.path and not fnmatch.fnmatchcase(path, rule.path):
            return False
        return not rule.call or rule.call in calls

    def to_dict(self) -> dict[str, Any]:
        times = self.spec.times
        return {
            "id": self.id,
            **self.spec.model_dump(exclude={"respond"}),
            "fired": self.fired,
            "remaining": None if times is None else max(times - self.fired, 0),
            "respond": {**self.spec.respond.model_dump(), "delay_ms": int(self.spec.respond.delay_ms)},
        }


def parse_rule(doc: Any, rule_id: int, services: Sequence[str]) -> FaultRule:
    """Validate a rule document for one of `services`, reporting every problem at once."""
    if not isinstance(doc, dict):
        raise FaultRuleInvalid("a fault rule must be a JSON object")
    try:
        spec = FaultRuleSpec.model_validate(doc, context={"services": tuple(services)})
    except ValidationError as exc:
        raise FaultRuleInvalid("; ".join(map(describe_error, exc.errors()))) from None
    return FaultRule(rule_id, spec)


def describe_error(error: Any) -> str:
    """One validation error in the control API's words (the use-case loader adds file and line)."""
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown field {where!r}"
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


class FaultRules:
    """A world's armed rules; the first matching rule with firings left fires."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, doc: Any, services: Sequence[str]) -> FaultRule:
        """Arm a rule for one of `services` (the names in the host's table)."""
        with self._lock:
            rule = parse_rule(doc, next(self._ids), services)
            self._rules.append(rule)
        return rule

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def remove(self, rule_id: int | None = None) -> bool:
        """Remove one rule (False if there is none with that id) or all of them."""
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if rule_id is not None and r.id != rule_id]
            return rule_id is None or len(self._rules) < before

    def fire(self, service: str, method: str, path: str, calls: Sequence[str] = ()) -> FaultRule | None:
        """The rule this request triggers, counted as fired, or None."""
        with self._lock:
            for rule in self._rules:
                if (rule.times is None or rule.fired < rule.times) and rule.matches(
                    service, method, path, calls
                ):
                    rule.fired += 1
                    return rule
        return None
