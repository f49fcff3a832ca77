"""The three services through their real client libraries, with retries and one error type."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import koji
import requests
from bodhi.client.bindings import BodhiClient, BodhiClientException
from resultsdb_api import ResultsDBapi, ResultsDBapiException

from autoqa.config import Config
from autoqa.errors import ServiceError

T = TypeVar("T")
RETRYABLE = (requests.RequestException, BodhiClientException, ConnectionError, TimeoutError)


class Services:
    """Koji, Bodhi and ResultsDB clients for one run."""

    def __init__(self, config: Config) -> None:
        self.config = config

    @cached_property
    def koji(self) -> koji.ClientSession:
        # anon_retry: transport errors are retried by the client itself; faults never are
        return koji.ClientSession(
            self.config.koji_url,
            opts={
                "anon_retry": True,
                "max_retries": self.config.retries,
                "retry_interval": self.config.retry_delay,
                "timeout": 120,
            },
        )

    @cached_property
    def bodhi(self) -> BodhiClient:
        storage = self.config.state_file.parent / f"bodhi-token-{self.config.bodhi_user}.json"
        storage.parent.mkdir(parents=True, exist_ok=True)
        return self.retry(
            "bodhi",
            lambda: BodhiClient(
                base_url=self.config.bodhi_url,
                id_provider=self.config.idp_url,
                oidc_storage_path=str(storage),
            ),
        )

    @cached_property
    def resultsdb(self) -> ResultsDBapi:
        # no retries inside the client: a POST retried blindly after "saved, then failed" duplicates the
        # result, so post_result retries itself and first looks for what the failed attempt may have saved
        return ResultsDBapi(self.config.resultsdb_url, max_retries=0)

    def retry(self, service: str, call: Callable[[], T]) -> T:
        """Run `call`, retrying connection problems with exponential backoff; then a ServiceError."""
        delay = self.config.retry_delay
        for attempt in range(1, self.config.retries + 1):
            try:
                return call()
            except RETRYABLE as exc:
                if attempt == self.config.retries:
                    raise ServiceError(f"{service}: {_first_line(exc)}") from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def koji_call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """A hub call; koji faults and exhausted transport retries become ServiceError."""
        try:
            return getattr(self.koji, method)(*args, **kwargs)
        except (koji.GenericError, requests.RequestException) as exc:
            raise ServiceError(f"koji: {method} failed: {_first_line(exc)}") from None
        except Exception as exc:  # xmlrpc faults with codes koji does not know, parse errors
            raise ServiceError(f"koji: {method} failed: {_first_line(exc)}") from None

    def koji_multicall(self, calls: list[tuple[str, tuple, dict]]) -> list[Any]:
        """Several hub calls in one request (koji's new-style multicall); any fault is a ServiceError."""
        if not calls:
            return []
        try:
            with self.koji.multicall(strict=True) as multicall:
                pending = [getattr(multicall, method)(*args, **kwargs) for method, args, kwargs in calls]
            return [p.result for p in pending]
        except (koji.GenericError, requests.RequestException) as exc:
            raise ServiceError(f"koji: multicall failed: {_first_line(exc)}") from None

    def post_result(self, **fields: Any) -> dict:
        """Post once, never twice: each result carries a unique `autoqa_id`, looked up after a failure."""
        key = uuid.uuid4().hex
        delay = self.config.retry_delay
        for attempt in range(1, self.config.retries + 1):
            try:
                return self.resultsdb.create_result(**fields, autoqa_id=key)
            except (ResultsDBapiException, requests.RequestException) as exc:
                response = getattr(exc, "response", None)
                if response is not None and response.status_code < 500:
                    raise ServiceError(f"resultsdb: {getattr(exc, 'message', exc)}") from None
                saved = self._already_saved(key)
                if saved is not None:
                    return saved
                if attempt == self.config.retries:
                    raise ServiceError(f"resultsdb: {_first_line(exc)}") from None
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def post_comment(self, update: str, text: str) -> None:
        """Comment once, never twice: Bodhi may save a comment and still answer 5xx (or cut the
        connection), so after a failure the update's comments by our user are read first."""
        delay = self.config.retry_delay
        for attempt in range(1, self.config.retries + 1):
            try:
                self.bodhi.comment(update, text, karma=0)
                return
            except RETRYABLE as exc:
                if self._already_commented(update, text):
                    return
                if attempt == self.config.retries:
                    raise ServiceError(f"bodhi: {_first_line(exc)}") from None
            time.sleep(delay)
            delay *= 2

    def _already_commented(self, update: str, text: str) -> bool:
        try:
            found = self.bodhi.send_request(
                "comments/", verb="GET", params={"updates": update, "user": self.config.bodhi_user}
            )
        except RETRYABLE:
            return False
        return any(comment["text"] == text for comment in found.get("comments", []))

    def _already_saved(self, key: str) -> dict | None:
        try:
            found = self.resultsdb.get_results(autoqa_id=key)["data"]
        except (ResultsDBapiException, requests.RequestException):
            return None
        return found[0] if found else None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
