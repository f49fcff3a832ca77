"""Stand-in for a service whose issue has not landed yet: answers 501 naming that issue."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any


def create_app(service: str, issue: int) -> Callable[..., Iterable[bytes]]:
    """A WSGI app that answers every request with 501 and a JSON body naming the issue."""
    body = json.dumps({"message": f"the mock {service} is not implemented yet", "issue": issue}).encode()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(
            "501 Not Implemented", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return app
