"""The three services read as their clients read them: Koji's XML-RPC (multicalls, koji's keyword
convention), Bodhi's JSON, ResultsDB's API v2.0 (following its `next` pages)."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator
from typing import Any

from stagingqa.errors import ServiceFailed
from stagingqa.importer.fetch import Fetcher

Call = tuple[str, tuple[Any, ...], dict[str, Any]]
BATCH = 100  # calls per multicall: a few requests, none too big for the hub


class KojiReader:
    """koji's XML-RPC as `koji.ClientSession` speaks it; every call goes in a multicall."""

    def __init__(self, fetcher: Fetcher, hub: str) -> None:
        self.fetcher, self.hub = fetcher, hub

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.multicall([(method, args, kwargs)])[0]

    def multicall(self, calls: list[Call]) -> list[Any]:
        """Each call's result, in order; a fault in any is ServiceFailed naming the call."""
        results: list[Any] = []
        for start in range(0, len(calls), BATCH):
            batch = calls[start : start + BATCH]
            wire = [{"methodName": m, "params": _params(args, kwargs)} for m, args, kwargs in batch]
            body = xmlrpc.client.dumps((wire,), "multiCall", allow_none=True).encode()
            text = self.fetcher.post("koji", self.hub, body, "text/xml")
            answers: list[Any]
            try:
                (answers,), _ = xmlrpc.client.loads(text, use_builtin_types=True)  # type: ignore[assignment]
            except xmlrpc.client.Fault as fault:
                raise ServiceFailed(f"koji at {self.hub}: {fault.faultString}") from None
            except Exception as exc:  # an answer that is not XML-RPC: a proxy's error page
                raise ServiceFailed(f"koji at {self.hub}: not an XML-RPC answer ({exc})") from None
            for (method, args, _kwargs), answer in zip(batch, answers, strict=True):
                if isinstance(answer, dict) and "faultCode" in answer:
                    shown = ", ".join(map(repr, args))
                    raise ServiceFailed(f"koji at {self.hub}: {method}({shown}): {answer['faultString']}")
                results.append(answer[0])
        return results


def _params(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
    """koji's keyword convention: a last mapping marked `__starstar`."""
    return [*args, {"__starstar": True, **kwargs}] if kwargs else list(args)


class BodhiReader:
    def __init__(self, fetcher: Fetcher, base: str) -> None:
        self.fetcher, self.base = fetcher, base.rstrip("/") + "/"

    def update(self, alias: str) -> dict[str, Any]:
        return self.fetcher.get_json("bodhi", f"{self.base}updates/{alias}")["update"]

    def releases(self) -> list[dict[str, Any]]:
        """Every release that is not archived, all pages."""
        found, page = [], 1
        while True:
            answer = self.fetcher.get_json(
                "bodhi",
                f"{self.base}releases/",
                {"exclude_archived": "true", "rows_per_page": 100, "page": page},
            )
            found += answer["releases"]
            if page >= int(answer.get("pages") or 1):
                return found
            page += 1


class ResultsDBReader:
    def __init__(self, fetcher: Fetcher, api: str) -> None:
        self.fetcher, self.api = fetcher, api.rstrip("/")

    def results(self, item: str) -> Iterator[dict[str, Any]]:
        """Every result for `item`, newest first as ResultsDB pages them."""
        url: str | None = f"{self.api}/results"
        params: dict[str, Any] | None = {"item": item, "limit": 100}
        while url:
            answer = self.fetcher.get_json("resultsdb", url, params)
            yield from answer["data"]
            url, params = answer.get("next"), None
