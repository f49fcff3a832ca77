"""The table of mock services: the only place a service is named. The host's routing, the control API's
URL listing, the fault rules' service names, the journal's labels, the environments' world URLs and the
spec's placeholders all read it. Cheap to import: a service's app and hooks load when a host mounts it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stagingqa.mocks.faults import FaultRule

WSGIApp = Callable[..., Iterable[bytes]]
Answer = tuple[int, list[tuple[str, str]], bytes]
Describe = Callable[[dict[str, Any], bytes], tuple[list[str], list[Any] | None]]


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
    """One mock service: its name (journal, fault rules, placeholders), where it is mounted, the URL
    clients are given, and how to make its WSGI app."""

    name: str
    mount: str  # the path segment after /w/<world>/
    create_app: Callable[[], WSGIApp]
    root: str = ""  # where its API starts below the mount, e.g. /api/v2.0; fault paths are relative to it
    slash: bool = True  # its URL ends with "/" (Bodhi, the file tree) or not (the Koji hub)
    describe: Describe = no_calls
    fault_answer: Callable[[FaultRule], Answer] = json_fault

    def url(self, world_base: str) -> str:
        """The URL a client of this service is given in the world at `world_base`."""
        return f"{world_base}/{self.mount}" + (self.root or ("/" if self.slash else ""))

    def relative(self, path: str) -> str:
        """A path below the mount, as fault rules and the journal name it."""
        if self.root and (path == self.root or path.startswith(self.root + "/")):
            path = path[len(self.root) :]
        return path or "/"


# Each service's app and hooks are imported when a host mounts it: the manager reads this table on every
# command, and importing the apps would load Flask and SQLAlchemy for all of them.
def _koji_hub() -> WSGIApp:
    from stagingqa.mocks.koji.hub import hub_app

    return hub_app


def _koji_calls(environ: dict[str, Any], body: bytes) -> tuple[list[str], list[Any] | None]:
    from stagingqa.mocks.koji.describe import describe_koji_call

    return describe_koji_call(environ, body)


def _koji_fault(rule: FaultRule) -> Answer:
    from stagingqa.mocks.koji.describe import koji_fault

    return koji_fault(rule)


def _koji_files() -> WSGIApp:
    from stagingqa.mocks.koji.files import files_app

    return files_app


def _bodhi() -> WSGIApp:
    from stagingqa.mocks.bodhi.app import create_app

    return create_app()


def _resultsdb() -> WSGIApp:
    from stagingqa.mocks.resultsdb.app import create_app

    return create_app()


SERVICES: tuple[Service, ...] = (
    Service("koji", "kojihub", _koji_hub, slash=False, describe=_koji_calls, fault_answer=_koji_fault),
    Service("kojifiles", "kojifiles", _koji_files),
    Service("bodhi", "bodhi", _bodhi),
    Service("resultsdb", "resultsdb", _resultsdb, root="/api/v2.0"),
)
SERVICE_NAMES: tuple[str, ...] = tuple(service.name for service in SERVICES)
