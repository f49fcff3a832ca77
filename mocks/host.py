"""The mock host as one WSGI application: control API, per-world routing, journal and faults."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from stagingqa.mocks.control.app import create_app as create_control_app
from stagingqa.mocks.faults import FaultRule
from stagingqa.mocks.journal import keep_body
from stagingqa.mocks.services import SERVICES, Answer, Service, WSGIApp
from stagingqa.mocks.worlds import WorldRegistry, WorldState

StartResponse = Callable[..., Any]


class DropConnection(ConnectionAbortedError):
    """Raised to make the server close the connection without answering (waitress treats it as a socket
    error: it writes nothing and closes, because the host runs it with log_socket_errors off)."""


class MockHost:
    """Routes /_control to the control API, /w/<world>/<service>/... and root paths to the services."""

    def __init__(
        self, registry: WorldRegistry, services: Iterable[Service] | None = None, token: str | None = None
    ) -> None:
        self.registry = registry
        self.services = {s.mount: s for s in (services or SERVICES)}
        self.apps: dict[str, WSGIApp] = {mount: s.create_app() for mount, s in self.services.items()}
        self.control = create_control_app(registry, self.services, token)
        self.stopping = threading.Event()  # set when the server stops: fault delays end at once

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if path == "/_control" or path.startswith("/_control/"):
            return self.control(environ, start_response)
        parts = path.split("/", 4)
        if len(parts) > 2 and parts[1] == "w":
            state = self.registry.get(parts[2])
            if state is None:
                return _json(start_response, 404, {"message": f"unknown world {parts[2]!r}"})
            prefix, rest = f"/w/{parts[2]}", "/" + "/".join(parts[3:])
        else:
            state = self.registry.get(self.registry.default) if self.registry.default else None
            prefix, rest = "", path
            if state is None:
                return _json(
                    start_response, 404, {"message": "no such path; services live under /w/<world>/"}
                )
        mount, _, below = rest[1:].partition("/")
        service = self.services.get(mount)
        if service is None:
            return _json(
                start_response, 404, {"message": f"no service {mount!r}; try " + ", ".join(self.services)}
            )
        inner = dict(environ)
        inner["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix + "/" + mount
        inner["PATH_INFO"] = ("/" + below) if (below or rest.endswith("/")) else ""
        inner["stagingqa.world"] = state
        return self.serve(service, state, inner, start_response)

    def serve(
        self, service: Service, state: WorldState, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """One request to `service` in world `state` (PATH_INFO below the service's mount): its fault rules,
        the service, the journal. The in-process mocks (stagingqa.testing) enter here too."""
        started = time.perf_counter()
        body = _read_body(environ)
        method = environ.get("REQUEST_METHOD", "GET")
        relative = service.relative(environ["PATH_INFO"])
        calls, params = service.describe(environ, body)
        rule = state.faults.fire(service.name, method, relative, calls)
        answer: Answer | None = None
        if rule is not None:
            answer = self._apply_fault(rule, service, environ)
            if answer is None:
                self._journal(
                    state, service, environ, body, relative, calls, params, (0, [], b""), started, rule
                )
                raise DropConnection("a fault rule asked to drop the connection")
        if answer is None:
            answer = _call(self.apps[service.mount], environ)
        self._journal(state, service, environ, body, relative, calls, params, answer, started, rule)
        status, headers, payload = answer
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers = [*headers, ("Content-Length", str(len(payload)))]
        start_response(_status_line(status), headers)
        return [payload]

    def _apply_fault(self, rule: FaultRule, service: Service, environ: dict[str, Any]) -> Answer | None:
        """The answer a fired rule gives; None means drop the connection."""
        respond, app = rule.respond, self.apps[service.mount]
        if respond.delay_ms:
            self.stopping.wait(respond.delay_ms / 1000)  # a stopping host cuts delays short
        handled = _call(app, environ) if respond.after_handling else None
        if respond.drop:
            return None
        if respond.status or respond.body is not None:
            return service.fault_answer(rule)
        return handled if handled is not None else _call(app, environ)

    @staticmethod
    def _journal(
        state: WorldState,
        service: Service,
        environ: dict[str, Any],
        body: bytes,
        relative: str,
        calls: list[str],
        params: list[Any] | None,
        answer: Answer,
        started: float,
        fault: FaultRule | None,
    ) -> None:
        status, headers, payload = answer
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        state.journal.record(
            service=service.name,
            method=environ.get("REQUEST_METHOD", "GET"),
            path=relative,
            query=environ.get("QUERY_STRING", ""),
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            request=keep_body(body, environ.get("CONTENT_TYPE", "")),
            response=keep_body(payload, content_type),
            call=calls or None,
            params=params,
            fault=fault.id if fault else None,
            extra=dict(environ.get("stagingqa.journal") or {}),  # what the service noted, e.g. a repo made
        )


def _read_body(environ: dict[str, Any]) -> bytes:
    """Read the request body once and put it back so the service can read it too."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _call(app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> Answer:
    """Run a WSGI app to completion and keep its whole answer."""
    captured: dict[str, Any] = {}

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    result = app(environ, start)
    try:
        payload = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close:
            close()
    return int(captured["status"].split(" ", 1)[0]), list(captured["headers"]), payload


def _status_line(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _json(start_response: StartResponse, status: int, body: Any) -> Iterable[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        _status_line(status), [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]
