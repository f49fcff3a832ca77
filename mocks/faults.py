"""Fault rules: answers a world's services give instead of (or after) handling a request."""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SERVICES = ("koji", "kojifiles", "bodhi", "resultsdb")


class FaultRuleInvalid(ValueError):
    """A fault rule document that does not follow mock-host.md."""


@dataclass
class Respond:
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_ms: int = 0
    drop: bool = False
    after_handling: bool = False


@dataclass
class FaultRule:
    """Match a request by service, method, path glob and (Koji) call name; fire `times` times."""

    id: int
    service: str
    method: str | None
    path: str | None
    call: str | None
    respond: Respond
    times: int | None
    fired: int = 0

    def matches(self, service: str, method: str, path: str, calls: Sequence[str]) -> bool:
        if self.service != service:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path and not fnmatch.fnmatchcase(path, self.path):
            return False
        return not self.call or self.call in calls

    def to_dict(self) -> dict[str, Any]:
        r = self.respond
        return {
            "id": self.id,
            "service": self.service,
            "method": self.method,
            "path": self.path,
            "call": self.call,
            "times": self.times,
            "fired": self.fired,
            "remaining": None if self.times is None else max(self.times - self.fired, 0),
            "respond": {
                "status": r.status,
                "body": r.body,
                "headers": r.headers,
                "delay_ms": r.delay_ms,
                "drop": r.drop,
                "after_handling": r.after_handling,
            },
        }


RULE_KEYS = {"service", "method", "path", "call", "respond", "times"}
RESPOND_KEYS = {"status", "body", "headers", "delay_ms", "drop", "after_handling"}


def parse_rule(doc: Any, rule_id: int) -> FaultRule:
    """Validate a rule document, reporting every problem at once."""
    if not isinstance(doc, dict):
        raise FaultRuleInvalid("a fault rule must be a JSON object")
    problems = [
        f"unknown field {k!r}; allowed: {', '.join(sorted(RULE_KEYS))}" for k in doc if k not in RULE_KEYS
    ]
    if doc.get("service") not in SERVICES:
        problems.append(f"service must be one of {', '.join(SERVICES)} (got {doc.get('service')!r})")
    for key in ("method", "path", "call"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            problems.append(f"{key} must be a string")
    times = doc.get("times", 1)
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        problems.append("times must be a positive integer or null (for always)")
    respond = doc.get("respond", {})
    if not isinstance(respond, dict):
        problems.append("respond must be an object")
        respond = {}
    problems += [
        f"unknown field respond.{k!r}; allowed: {', '.join(sorted(RESPOND_KEYS))}"
        for k in respond
        if k not in RESPOND_KEYS
    ]
    status = respond.get("status")
    if status is not None and (not isinstance(status, int) or not 100 <= status <= 599):
        problems.append("respond.status must be an HTTP status code")
    delay = respond.get("delay_ms", 0)
    if not isinstance(delay, int | float) or delay < 0:
        problems.append("respond.delay_ms must be a number of milliseconds >= 0")
    headers = respond.get("headers") or {}
    if not isinstance(headers, dict):
        problems.append("respond.headers must be an object")
    if not (status or respond.get("drop") or delay or respond.get("body") is not None):
        problems.append("respond needs a status, a body, drop: true or a delay_ms")
    if problems:
        raise FaultRuleInvalid("; ".join(problems))
    return FaultRule(
        id=rule_id,
        service=doc["service"],
        method=doc.get("method"),
        path=doc.get("path"),
        call=doc.get("call"),
        times=times,
        respond=Respond(
            status=status,
            body=respond.get("body"),
            headers=dict(headers),
            delay_ms=int(delay),
            drop=bool(respond.get("drop")),
            after_handling=bool(respond.get("after_handling")),
        ),
    )


class FaultRules:
    """A world's armed rules; the first matching rule with firings left fires."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, doc: Any) -> FaultRule:
        with self._lock:
            rule = parse_rule(doc, next(self._ids))
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
