"""The explicit table of mock services: where each is mounted and how it answers faults."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from stagingqa.mocks.bodhi.app import create_app as create_bodhi
from stagingqa.mocks.faults import FaultRule
from stagingqa.mocks.koji.describe import describe_koji_call, koji_fault
from stagingqa.mocks.koji.files import files_app
from stagingqa.mocks.koji.hub import hub_app
from stagingqa.mocks.resultsdb.app import create_app as create_resultsdb

WSGIApp = Callable[..., Iterable[bytes]]
Answer = tuple[int, list[tuple[str, str]], bytes]


def json_fault(rule: FaultRule) -> Answer:
    """A fault as plain HTTP: the rule's status and body (JSON unless it is already text)."""
    body = rule.respond.body
    if isinstance(body, str):
        payload, kind = body.encode(), "text/plain; charset=utf-8"
    else:
        payload, kind = (
            json.dumps(body if body is not None else {"message": "injected fault"}).encode(),
            "application/json",
        )
    headers = [("Content-Type", kind), *rule.respond.headers.items()]
    return rule.respond.status or 500, headers, payload


def no_calls(environ: dict[str, Any], body: bytes) -> tuple[list[str], list[Any] | None]:
    """Services other than the Koji hub have no call names."""
    return [], None


@dataclass(frozen=True)
class Service:
    """One mock service as the host mounts it."""

    name: str  # used in journal entries and fault rules
    mount: str  # the path segment after /w/<world>/
    app: WSGIApp
    root: str = ""  # where its API starts below the mount, e.g. /api/v2.0; fault paths are relative to it
    describe: Callable[[dict[str, Any], bytes], tuple[list[str], list[Any] | None]] = no_calls
    fault_answer: Callable[[FaultRule], Answer] = json_fault
    extra: dict[str, Any] = field(default_factory=dict)

    def relative(self, path: str) -> str:
        """A path below the mount, as fault rules and the journal name it."""
        if self.root and (path == self.root or path.startswith(self.root + "/")):
            path = path[len(self.root) :]
        return path or "/"


def default_services() -> list[Service]:
    """Every service the host mounts, in the order they are listed."""
    return [
        Service("koji", "kojihub", hub_app, describe=describe_koji_call, fault_answer=koji_fault),
        Service("kojifiles", "kojifiles", files_app),
        Service("bodhi", "bodhi", create_bodhi()),
        Service("resultsdb", "resultsdb", create_resultsdb(), root="/api/v2.0"),
    ]
