"""Koji's fault codes: the client turns each into the matching koji.GenericError subclass."""

from __future__ import annotations


class KojiFault(Exception):
    """An application error answered as an XML-RPC fault (HTTP 200), never as HTTP 500."""

    code = 1000

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GenericError(KojiFault):
    code = 1000


class AuthError(KojiFault):
    code = 1002


class TagError(KojiFault):
    code = 1003


class ActionNotAllowed(KojiFault):
    code = 1004


class ParameterError(KojiFault):
    code = 1019
