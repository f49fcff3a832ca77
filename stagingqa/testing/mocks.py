"""`fedora_mocks`: the mock Koji, Bodhi and ResultsDB in process, behind `responses`, as moto puts a fake
AWS behind boto3. Code aimed at Fedora's production URLs (or given ones) reaches the same WSGI services
the mock host mounts, with its faults, journal and export; no thread, no port."""

from __future__ import annotations

import copy
import itertools
import re
import threading
from collections.abc import Iterable, Mapping
from contextlib import ContextDecorator
from pathlib import Path
from typing import Any

import requests
import responses
from responses.registries import FirstMatchRegistry

from stagingqa.mocks.faults import FaultRule, FaultRuleInvalid
from stagingqa.mocks.host import DropConnection, MockHost
from stagingqa.mocks.services import SERVICES, Service
from stagingqa.mocks.store.database import Storage
from stagingqa.mocks.worlds import WorldRegistry, WorldState
from stagingqa.testing.wsgi import Answer, Route, call, environ_for
from stagingqa.world import World
from stagingqa.world.loader import read_file, validate
from stagingqa.world.source import Located

# Where Fedora's clients point by default; the mocks answer there unless told other URLs.
PRODUCTION: dict[str, str] = {
    "koji": "https://koji.fedoraproject.org/kojihub",
    "kojifiles": "https://kojipkgs.fedoraproject.org/",
    "bodhi": "https://bodhi.fedoraproject.org/",
    "resultsdb": "https://resultsdb.fedoraproject.org/api/v2.0",
}
PRODUCTION_IDENTITY = "https://id.fedoraproject.org/openidc/"  # bodhi-client's OIDC provider
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_names = itertools.count(1)
_shared: dict[str, Any] = {}
_shared_lock = threading.Lock()


def _host() -> MockHost:
    """One host per process, made on first use: its Flask apps are the slow part of entering, and every
    context shares them (each context has its own world and database)."""
    with _shared_lock:
        if "host" not in _shared:
            _shared["host"] = MockHost(WorldRegistry(Storage("sqlite://")))
        return _shared["host"]


def load(world: str | Path | Mapping[str, Any] | World) -> tuple[World, dict[str, Any]]:
    """A world and its document, from a world file or a document; a broken one is WorldInvalid with the
    file, line and field, as the CLI says it."""
    if isinstance(world, World):
        return world, world.model_dump(mode="json", exclude_none=True)
    if isinstance(world, Mapping):
        located = Located.given(copy.deepcopy(dict(world)), "<world given as a mapping>")
    else:
        located = read_file(Path(world))
    return validate(located), located.data


class FedoraMocks(ContextDecorator):
    """The in-process mocks of one world; a context manager and a decorator (`fedora_mocks`)."""

    def __init__(
        self,
        world: str | Path | Mapping[str, Any] | World,
        urls: Mapping[str, str] | None = None,
        identity: str | None = None,
        passthrough: Iterable[str] = (),
    ) -> None:
        unknown = sorted(set(urls or {}) - {s.name for s in SERVICES})
        if unknown:
            known = ", ".join(s.name for s in SERVICES)
            raise ValueError(f"no mock service {unknown[0]!r}; there are: {known}")
        self.source = world
        services = {**PRODUCTION, **(urls or {})}
        default_identity = PRODUCTION_IDENTITY if "bodhi" not in (urls or {}) else None
        identity = identity or default_identity or services["bodhi"].rstrip("/") + "/openidc/"
        # what to give each client: the Koji hub, its file tree (topurl), Bodhi, ResultsDB's API, and the
        # OIDC provider Bodhi's client logs in with
        self.urls = {**services, "identity": identity}
        self.passthrough = tuple(passthrough)
        self.routes = self._routes()  # the identity route last: the others may serve it already
        self.state: WorldState | None = None
        self.document: dict[str, Any] = {}
        self.responses: responses.RequestsMock | None = None

    # -- the context -------------------------------------------------------------------------------------

    def __enter__(self) -> FedoraMocks:
        world, self.document = load(self.source)
        host = _host()
        self.state, _ = host.registry.put(f"inprocess-{next(_names)}", world)
        self.responses = responses.RequestsMock(
            assert_all_requests_are_fired=False, registry=self._registry_class()
        )
        for route in self.routes:
            pattern = re.compile(f"{re.escape(route.prefix)}.*|{re.escape(route.prefix.rstrip('/'))}$")
            for method in METHODS:
                self.responses.add_callback(method, pattern, self._callback(host, route))
        for prefix in self.passthrough:
            self.responses.add_passthru(prefix)
        self.responses.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.responses is not None:
            self.responses.stop(allow_assert=False)
            self.responses.reset()
            self.responses = None
        if self.state is not None:
            _host().registry.delete(self.state.name)
            self.state = None

    # -- what a test asks of the world ---------------------------------------------------------------------

    @property
    def world(self) -> WorldState:
        if self.state is None:
            raise RuntimeError("the Fedora mocks are not active: use them in a `with` or as a decorator")
        return self.state

    def fault(self, **rule: Any) -> FaultRule:
        """Arm a fault rule (the use cases' own model: service, method, path, call, times, respond)."""
        try:
            return self.world.faults.add(rule, [s.name for s in SERVICES])
        except FaultRuleInvalid as exc:
            raise ValueError(f"invalid fault rule: {exc}") from None

    @property
    def journal(self) -> list[dict[str, Any]]:
        """Every request the mocks answered in this world, oldest first, as the host's journal shows it."""
        return [entry.to_dict() for entry in self.world.journal.entries()]

    def export(self) -> dict[str, Any]:
        """The world now, as a world document (what the verifier compares)."""
        return self.world.export()

    def reset(self) -> None:
        """Back to the world as loaded: data, journal and fault rules."""
        self.world.reset()

    def check(self, expect: Mapping[str, Any] | str) -> None:
        """Check a use case's `expect:` block (a mapping or its YAML) against what was posted; fail with the
        verifier's own explanation (each expectation, what was found, the closest candidates)."""
        from stagingqa.testing.expect import check

        check(expect, self.document, self.export(), self.journal)

    # -- plumbing ------------------------------------------------------------------------------------------

    def _routes(self) -> list[Route]:
        routes = []
        for service in SERVICES:
            base = _mount_base(service, self.urls[service.name])
            routes.append(Route(base + "/", base, service.name))
        identity = self.urls["identity"]
        if not any(identity.startswith(route.prefix) for route in routes):
            # the OIDC provider lives elsewhere (id.fedoraproject.org): the mock Bodhi answers there too,
            # its path kept, so the discovery document it serves points back there
            routes.append(Route(_slash(identity), _origin(identity).rstrip("/"), "bodhi"))
        return routes

    def _callback(self, host: MockHost, route: Route) -> Any:
        service = next(s for s in SERVICES if s.name == route.service)

        def answer(request: requests.PreparedRequest) -> Answer:
            state = self.world
            environ = environ_for(request, route.base)
            environ["stagingqa.world"] = state
            try:
                return call(lambda env, start: host.serve(service, state, env, start), environ)
            except DropConnection:
                raise requests.ConnectionError(
                    f"connection dropped by a fault rule of the Fedora mocks: {request.method} {request.url}"
                ) from None

        return answer

    def _registry_class(self) -> type[FirstMatchRegistry]:
        """A registry that refuses, naming the URL and how to allow it, what no mock serves and no
        passthrough prefix allows (`responses` would only say that nothing matched)."""
        routes, passthrough = self.routes, self.passthrough

        def refuse(request: requests.PreparedRequest) -> Answer:
            served = ", ".join(route.prefix for route in routes)
            raise requests.ConnectionError(
                f"the Fedora mocks refused {request.method} {request.url}: no mock serves it (they serve "
                f"{served}). Point the client at one of those, give the mocks its URL "
                f"(fedora_mocks(world, urls={{'bodhi': '...'}})), or let it through to the network "
                f"(fedora_mocks(world, passthrough=['{_origin(request.url or '')}']))."
            )

        refusal = responses.CallbackResponse("GET", re.compile(".*"), refuse)

        class Refusing(FirstMatchRegistry):
            def find(self, request: Any) -> Any:
                found, reasons = super().find(request)
                url = request.url or ""
                if found is None and not any(url.startswith(prefix) for prefix in passthrough):
                    return refusal, reasons
                return found, reasons

        return Refusing


def _mount_base(service: Service, url: str) -> str:
    """The URL a service's mount stands for, from the URL its clients are given (ResultsDB's API lives
    below its mount, at /api/v2.0)."""
    url = url.rstrip("/")
    if service.root and url.endswith(service.root):
        url = url[: -len(service.root)]
    return url


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _origin(url: str) -> str:
    found = re.match(r"^([a-z]+://[^/]+/)", url)
    return found.group(1) if found else url


def fedora_mocks(
    world: str | Path | Mapping[str, Any] | World,
    urls: Mapping[str, str] | None = None,
    identity: str | None = None,
    passthrough: Iterable[str] = (),
) -> FedoraMocks:
    """`with fedora_mocks("world.yaml") as fedora:` or `@fedora_mocks("world.yaml")`: requests to the
    Koji hub, its files, Bodhi (and its OIDC provider) and ResultsDB reach the mocks of that world."""
    return FedoraMocks(world, urls, identity, passthrough)
