"""Koji's XML-RPC dialect: <nil/>, <i8> for large integers, `__starstar` keyword arguments, faults."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

INT32 = (-(2**31), 2**31 - 1)


class KojiMarshaller(xmlrpc.client.Marshaller):
    """The stdlib marshaller with nil always on and <i8> for integers outside int32 (RPM sizes)."""

    def __init__(self) -> None:
        super().__init__(encoding="utf-8", allow_none=True)

    def dump_long(self, value: int, write: Any) -> None:
        if INT32[0] <= value <= INT32[1]:
            write(f"<value><int>{value}</int></value>\n")
        elif -(2**63) <= value < 2**63:
            write(f"<value><i8>{value}</i8></value>\n")
        else:
            raise OverflowError("int exceeds XML-RPC limits")

    dispatch = dict(xmlrpc.client.Marshaller.dispatch)
    dispatch[int] = dump_long  # type: ignore[assignment]


def encode_response(value: Any) -> bytes:
    """A methodResponse holding one value: the marshaller writes the one <params> it has."""
    body = KojiMarshaller().dumps((value,))
    return f"<?xml version='1.0'?>\n<methodResponse>\n{body}</methodResponse>\n".encode()


def encode_fault(code: int, message: str) -> bytes:
    body = KojiMarshaller().dumps(xmlrpc.client.Fault(code, message))
    return f"<?xml version='1.0'?>\n<methodResponse>\n{body}</methodResponse>\n".encode()


def decode_request(body: bytes) -> tuple[str, list[Any]]:
    """(method name, params); raises ValueError for anything that is not a method call."""
    params, method = xmlrpc.client.loads(body, use_builtin_types=False)
    if method is None:
        raise ValueError("not a methodCall")
    return method, list(params)


def split_kwargs(params: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """A trailing struct with a true `__starstar` member holds the keyword arguments."""
    if params and isinstance(params[-1], dict) and params[-1].get("__starstar"):
        kwargs = dict(params[-1])
        del kwargs["__starstar"]
        return params[:-1], kwargs
    return params, {}
