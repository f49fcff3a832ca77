"""A small HTTP client for the mock host's control API (the manager never imports mock internals).

Built on urllib rather than requests: `stagingqa up` makes a handful of calls, and importing requests
cost a tenth of a second of every command's start."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

from stagingqa.errors import ServiceFailed


class ControlClient:
    def __init__(self, base: str, token: str | None = None, timeout: float = 60) -> None:
        self.base = base.rstrip("/")
        token = token or os.environ.get("STAGINGQA_CONTROL_TOKEN")  # the spec's, given, wins
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout = timeout

    def _call(self, method: str, path: str, data: bytes | None = None) -> tuple[int, Any]:
        """(status, parsed JSON body or None)."""
        url = f"{self.base}/_control{path}"  # always http(s): the base comes from the host's ready file
        headers = {**self.headers, "Content-Type": "application/json"} if data is not None else self.headers
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, _json(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, _json(exc.read())
        except (urllib.error.URLError, OSError) as exc:
            raise ServiceFailed(f"mock host at {self.base} does not answer: {exc}") from None

    def healthy(self) -> bool:
        try:
            return self._call("GET", "/health")[0] == 200
        except ServiceFailed:
            return False

    def put_world(self, name: str, document: str | bytes) -> dict[str, Any]:
        """Create or replace a world; its problems (with lines) make a ServiceFailed message."""
        data = document.encode() if isinstance(document, str) else document
        status, body = self._call("PUT", f"/worlds/{name}", data)
        if status != 201:
            body = body if isinstance(body, dict) else {}
            problems = "\n".join(
                f"  {p['source']}:{p['line']}: {p['path']}: {p['message']}" for p in body.get("problems", [])
            )
            raise ServiceFailed(f"mock host refused world {name}: {body.get('message', status)}\n{problems}")
        return body

    def list_worlds(self) -> list[dict[str, Any]]:
        return self._call("GET", "/worlds")[1] or []

    def world(self, name: str) -> dict[str, Any]:
        status, body = self._call("GET", f"/worlds/{name}")
        if status != 200:
            raise ServiceFailed(f"no world {name} on the mock host")
        return body

    def has_world(self, name: str) -> bool:
        return self._call("GET", f"/worlds/{name}")[0] == 200

    def delete_world(self, name: str) -> bool:
        return self._call("DELETE", f"/worlds/{name}")[0] == 204

    def reset_world(self, name: str) -> None:
        """The world back to what it was loaded with: data, journal and fault rules."""
        status, body = self._call("POST", f"/worlds/{name}/reset", b"")
        if status != 200:
            raise ServiceFailed(f"cannot reset world {name}: {(body or {}).get('message', status)}")

    def export(self, name: str) -> dict[str, Any]:
        status, body = self._call("GET", f"/worlds/{name}/export")
        if status != 200:
            raise ServiceFailed(f"cannot export world {name}: HTTP {status}")
        return body

    def add_fault(self, name: str, rule: dict[str, Any]) -> int:
        status, body = self._call("POST", f"/worlds/{name}/faults", json.dumps(rule).encode())
        if status != 201:
            raise ServiceFailed(
                f"mock host refused a fault rule for {name}: {(body or {}).get('message', status)}"
            )
        return body["id"]

    def journal(self, name: str) -> list[dict[str, Any]]:
        return self._call("GET", f"/worlds/{name}/journal")[1]


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
