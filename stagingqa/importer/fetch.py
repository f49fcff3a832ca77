"""Polite reads from the live services: throttled, retried with backoff, cached on disk so that an
interrupted import resumes without asking again, and counted."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from stagingqa.errors import InputError, ServiceFailed
from stagingqa.mocks.serving import is_loopback

RETRY_STATUSES = {429, 500, 502, 503, 504}


class NotFound(InputError):
    """The service says the thing asked for does not exist (a 404)."""


@dataclass
class Fetcher:
    """One import's HTTP: at most `rate` requests a second to a remote host (loopback hosts, a mock host,
    are not throttled: there is no one to be polite to), `retries` tries with doubling waits, answers
    cached under `cache` by request."""

    cache: Path | None = None
    rate: float = 5.0
    retries: int = 4
    backoff: float = 0.5
    timeout: float = 60.0
    on_request: Callable[[str], None] = lambda service: None
    requests_made: int = 0
    cached: int = 0
    _last: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _session: requests.Session = field(default_factory=requests.Session)

    def get_json(self, service: str, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET a JSON answer; a 404 is NotFound."""
        text = self._send(service, "GET", url, params, None, None)
        return json.loads(text)

    def post(self, service: str, url: str, body: bytes, content_type: str) -> str:
        return self._send(service, "POST", url, None, body, content_type)

    def _send(
        self,
        service: str,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        body: bytes | None,
        content_type: str | None,
    ) -> str:
        key = _key(method, url, params, body)
        stored = self._cached(key)
        if stored is not None:
            self.cached += 1
            return stored
        wait = self.backoff
        for attempt in range(1, self.retries + 1):
            self._throttle(url)
            answer, problem = self._attempt(service, method, url, params, body, content_type)
            if answer is not None:
                self._store(key, answer.text)
                return answer.text
            if attempt == self.retries:
                times = "once" if self.retries == 1 else f"{self.retries} times"
                raise ServiceFailed(f"{service} at {_origin(url)}: {problem} (tried {times})")
            time.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")

    def _attempt(
        self,
        service: str,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        body: bytes | None,
        content_type: str | None,
    ) -> tuple[requests.Response | None, str]:
        """The answer, or why it is worth trying again; a 404 or another 4xx is raised at once."""
        self.requests_made += 1
        self.on_request(service)
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            answer = self._session.request(
                method, url, params=params, data=body, headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            return None, f"no answer within {self.timeout:g} s"
        except requests.ConnectionError as exc:
            return None, f"cannot connect ({type(exc).__name__})"
        if answer.status_code in RETRY_STATUSES:
            return None, f"answered {answer.status_code}"
        if answer.status_code == 404:
            raise NotFound(f"{service} at {_origin(url)} has no {urlsplit(url).path} (404)")
        if answer.status_code >= 400:
            raise ServiceFailed(
                f"{service} at {_origin(url)} refused {method} {urlsplit(url).path}: "
                f"{answer.status_code} {answer.text[:300]}"
            )
        return answer, ""

    def _throttle(self, url: str) -> None:
        if self.rate <= 0 or _loopback(url):
            return
        with self._lock:
            wait = self._last + 1 / self.rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def _cached(self, key: str) -> str | None:
        if self.cache is None:
            return None
        path = self.cache / key[:2] / key
        return path.read_text(encoding="utf-8") if path.exists() else None

    def _store(self, key: str, text: str) -> None:
        if self.cache is None:
            return
        path = self.cache / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)  # a killed import never leaves half an answer behind


def _key(method: str, url: str, params: dict[str, Any] | None, body: bytes | None) -> str:
    query = json.dumps(sorted((params or {}).items()), default=str)
    return hashlib.sha256(f"{method} {url} {query}\n".encode() + (body or b"")).hexdigest()


def _origin(url: str) -> str:
    split = urlsplit(url)
    return f"{split.scheme}://{split.netloc}"


def _loopback(url: str) -> bool:
    return is_loopback(urlsplit(url).hostname or "")
