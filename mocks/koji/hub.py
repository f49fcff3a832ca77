"""The hub's XML-RPC endpoint: decode, dispatch through the METHODS table, multicall, faults."""

from __future__ import annotations

import inspect
import xmlrpc.client
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import InvalidRequestError, StatementError
from sqlalchemy.orm import Session

from stagingqa.mocks.koji import wire
from stagingqa.mocks.koji.errors import ActionNotAllowed, AuthError, GenericError, KojiFault, ParameterError
from stagingqa.mocks.koji.methods import METHODS
from stagingqa.mocks.store import tables as t
from stagingqa.mocks.worlds import WorldState

KOJI_VERSION = "1.36.1"
NOT_POST = b"Method Not Allowed\nThis is an XML-RPC server. Only POST requests are accepted.\n"
MULTICALL = ("multiCall", "system.multicall")


@dataclass
class Call:
    """What a hub method sees: the world, its database session and the logged-in user, if any."""

    state: WorldState
    session: Session
    user: t.User | None
    environ: dict[str, Any]
    session_id: int | None = None
    scratch: dict[str, Any] = field(default_factory=dict)

    def require_login(self) -> t.User:
        if self.user is None:
            raise ActionNotAllowed("you must be logged in for this operation")
        return self.user


def hub_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The WSGI app mounted at /w/<world>/kojihub (exactly; /kojihub/ is not the hub)."""
    headers = [("Koji-Version", KOJI_VERSION)]
    if environ.get("PATH_INFO", "") not in ("", "/"):
        return _plain(start_response, "404 Not Found", b"Not Found\n", headers)
    if environ.get("REQUEST_METHOD") != "POST":
        return _plain(start_response, "405 Method Not Allowed", NOT_POST, [*headers, ("Allow", "POST")])
    body = environ["wsgi.input"].read()
    if not body.strip():
        return _plain(start_response, "400 Bad Request", b"Empty request\n", headers)
    try:
        method, params = wire.decode_request(body)
    except Exception as exc:  # malformed XML is answered with a fault, never a crash
        payload = wire.encode_fault(GenericError.code, f"Invalid request: {exc}")
    else:
        payload = handle(environ["stagingqa.world"], environ, method, params)
    start_response("200 OK", [*headers, ("Content-Type", "text/xml"), ("Content-Length", str(len(payload)))])
    return [payload]


def handle(state: WorldState, environ: dict[str, Any], method: str, params: list[Any]) -> bytes:
    """Run one call (or a multicall) in one transaction on the world; koji errors become faults."""
    try:
        with state.database.session() as session:
            user, session_id = _logged_in(state, session, environ)
            call = Call(state, session, user, environ, session_id)
            if method in MULTICALL:
                return wire.encode_response(_multicall(call, params))
            return wire.encode_response(dispatch(call, method, params))
    except KojiFault as fault:
        return wire.encode_fault(fault.code, fault.message)
    except xmlrpc.client.Fault as fault:
        return wire.encode_fault(fault.faultCode, fault.faultString)
    except Exception as exc:  # a bug of ours is still a catchable koji fault, never an HTTP 500
        return wire.encode_fault(GenericError.code, f"{type(exc)}: {exc}")


def dispatch(call: Call, method: str, params: list[Any]) -> Any:
    """Look the method up in the explicit table and bind its arguments as the hub does."""
    function = METHODS.get(method)
    if function is None:
        raise GenericError(f"Invalid method: {method}")
    args, kwargs = wire.split_kwargs(list(params))
    try:
        inspect.signature(function).bind(call, *args, **kwargs)
    except TypeError as exc:  # the hub's call_with_argcheck: wrong arguments are a ParameterError
        raise ParameterError(_argument_message(str(exc), method)) from None
    try:
        return function(call, *args, **kwargs)
    except (TypeError, AttributeError, OverflowError, StatementError, InvalidRequestError):
        # a value of the wrong type where a name or id belongs (a struct, a list): the real hub's lookups
        # refuse those with a ParameterError (name_or_id_clause) rather than fail
        raise ParameterError(f"{method}(): invalid name or id value in {_shown(args, kwargs)}") from None


def _shown(args: list[Any], kwargs: dict[str, Any]) -> str:
    text = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
    return text if len(text) <= 200 else text[:200] + "..."


def _argument_message(text: str, method: str) -> str:
    """Python's binding error named after the Koji method, as the hub words it."""
    return f"{method}() {text}"


def _multicall(call: Call, params: list[Any]) -> list[Any]:
    """Each call runs on its own savepoint; a failure answers a fault entry and rolls back only that call."""
    if len(params) != 1 or not isinstance(params[0], list):
        raise ParameterError("multiCall() takes exactly one argument: a list of calls")
    answers: list[Any] = []
    for entry in params[0]:
        if not isinstance(entry, dict) or "methodName" not in entry:
            answers.append(
                {
                    "faultCode": ParameterError.code,
                    "faultString": "each call needs methodName and params",
                    "traceback": [],
                }
            )
            continue
        nested = call.session.begin_nested()
        try:
            answers.append([dispatch(call, entry["methodName"], list(entry.get("params") or []))])
            nested.commit()
        except KojiFault as fault:
            nested.rollback()
            answers.append({"faultCode": fault.code, "faultString": fault.message, "traceback": []})
        except Exception as exc:  # as above: a fault entry, not a failed request
            nested.rollback()
            answers.append(
                {"faultCode": GenericError.code, "faultString": f"{type(exc)}: {exc}", "traceback": []}
            )
    return answers


def _logged_in(
    state: WorldState, session: Session, environ: dict[str, Any]
) -> tuple[t.User | None, int | None]:
    """The user of the Koji session named by the request's session headers (or old-style query)."""
    sid = environ.get("HTTP_KOJI_SESSION_ID")
    key = environ.get("HTTP_KOJI_SESSION_KEY")
    if sid is None:
        query = dict(part.split("=", 1) for part in environ.get("QUERY_STRING", "").split("&") if "=" in part)
        sid, key = query.get("session-id"), query.get("session-key")
    if sid is None:
        return None, None
    sessions: dict[int, tuple[str, int]] = state.cache.get("koji.sessions", {})
    found = sessions.get(int(sid)) if str(sid).isdigit() else None
    if found is None or found[0] != key:
        raise AuthError(f"could not find session with id {sid}")
    return session.get(t.User, found[1]), int(sid)


def _plain(
    start_response: Callable[..., Any], status: str, body: bytes, headers: list[tuple[str, str]]
) -> Iterable[bytes]:
    start_response(status, [*headers, ("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
