"""What the host needs to know about a hub request: its call names (for journal and fault rules), and how
a fault rule answers (an XML-RPC fault with a Koji code, unless the rule asks for an HTTP status)."""

from __future__ import annotations

from typing import Any

from stagingqa.mocks.faults import FaultRule
from stagingqa.mocks.koji import wire
from stagingqa.mocks.koji.hub import KOJI_VERSION, MULTICALL


def describe_koji_call(environ: dict[str, Any], body: bytes) -> tuple[list[str], list[Any] | None]:
    """(['getBuild'], [params]) for a call; every inner call's name for a multicall."""
    try:
        method, params = wire.decode_request(body)
    except Exception:
        return [], None
    if method in MULTICALL and params and isinstance(params[0], list):
        names = [c.get("methodName", "") for c in params[0] if isinstance(c, dict)]
        return [method, *names], [_plain(params)]
    return [method], _plain(params)


def _plain(value: Any) -> Any:
    """JSON-safe params for the journal."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def koji_fault(rule: FaultRule) -> tuple[int, list[tuple[str, str]], bytes]:
    """A fault rule's answer as the hub gives errors: HTTP 200 and an XML-RPC fault (the body's faultCode
    and faultString, default GenericError), unless the rule names a non-200 status and no faultCode."""
    body = rule.respond.body if isinstance(rule.respond.body, dict) else {}
    headers = [("Koji-Version", KOJI_VERSION), ("Content-Type", "text/xml"), *rule.respond.headers.items()]
    if "faultCode" in body or rule.respond.status in (None, 200):
        code = int(body.get("faultCode", 1000))
        message = str(body.get("faultString", "injected fault"))
        return 200, headers, wire.encode_fault(code, message)
    payload = rule.respond.body if isinstance(rule.respond.body, str) else "injected fault"
    return (
        rule.respond.status or 500,
        [("Koji-Version", KOJI_VERSION), ("Content-Type", "text/plain")],
        payload.encode(),
    )
