"""A small HTTP client for the mock host's control API (the manager never imports mock internals)."""

from __future__ import annotations

from typing import Any

import requests

from stagingqa.errors import ServiceFailed


class ControlClient:
    def __init__(self, base: str, token: str | None = None, timeout: float = 60) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, f"{self.base}/_control{path}", timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise ServiceFailed(f"mock host at {self.base} does not answer: {exc}") from None

    def healthy(self) -> bool:
        try:
            return self._call("GET", "/health").status_code == 200
        except ServiceFailed:
            return False

    def put_world(self, name: str, document: str | bytes) -> dict[str, Any]:
        """Create or replace a world; its problems (with lines) make a ServiceFailed message."""
        response = self._call("PUT", f"/worlds/{name}", data=document)
        if response.status_code != 201:
            body = (
                response.json()
                if response.headers.get("Content-Type", "").startswith("application/json")
                else {}
            )
            problems = "\n".join(
                f"  {p['source']}:{p['line']}: {p['path']}: {p['message']}" for p in body.get("problems", [])
            )
            raise ServiceFailed(
                f"mock host refused world {name}: {body.get('message', response.text)}\n{problems}"
            )
        return response.json()

    def delete_world(self, name: str) -> bool:
        return self._call("DELETE", f"/worlds/{name}").status_code == 204

    def export(self, name: str) -> dict[str, Any]:
        response = self._call("GET", f"/worlds/{name}/export")
        if response.status_code != 200:
            raise ServiceFailed(f"cannot export world {name}: HTTP {response.status_code}")
        return response.json()

    def journal(self, name: str) -> list[dict[str, Any]]:
        return self._call("GET", f"/worlds/{name}/journal").json()
