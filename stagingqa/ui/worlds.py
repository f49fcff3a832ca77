"""The world inspector: any live world of the mock host, or a recorded one loaded into it. ResultsDB
results are read through the world's own ResultsDB API, so its filters are exactly the API's."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request

from stagingqa.control import ControlClient
from stagingqa.environment.mockhost import ensure_host, running_base
from stagingqa.errors import ServiceFailed
from stagingqa.runs.records import UseCaseRecord
from stagingqa.spec import LoadedSpec

bp = Blueprint("worlds", __name__)
TIMEOUT = 10  # seconds a page waits for the mock host before it answers 503
FILTERS = (
    "testcases",
    "testcases:like",
    "outcome",
    "item",
    "item:like",
    "type",
    "arch",
    "groups",
    "since",
    "_sort",
    "limit",
    "page",
)


def client() -> ControlClient:
    """The control API of the state folder's mock host, started only when none runs."""
    spec: LoadedSpec = current_app.config["SPEC"]
    base = spec.spec.mocks.url or running_base(spec.state_dir) or ensure_host(spec)
    return ControlClient(base, spec.control_token, timeout=TIMEOUT)


def load_recorded_world(run_id: str, case: UseCaseRecord, when: str) -> str:
    """Put a recorded world (before or after the run) on the mock host, once; its world name."""
    document = case.world_at(when)
    name = f"ui-{run_id}-{case.name}-{when}"[:120]
    control = client()
    if not control.has_world(name):
        control.put_world(name, json.dumps(document))
    return name


def get_json(url: str) -> tuple[int, Any]:
    """(status, JSON body) of a GET to one of the world's services; ServiceFailed if none answers."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - the mock host's own URL
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read())
        except ValueError:
            return exc.code, None
    except (urllib.error.URLError, OSError) as exc:
        raise ServiceFailed(f"the mock host does not answer at {url}: {exc}") from None


@bp.get("/worlds/")
def worlds_page() -> Any:
    return render_template("worlds.html", worlds=client().list_worlds())


@bp.get("/worlds/<name>")
def world_page(name: str) -> Any:
    control = client()
    if not control.has_world(name):
        abort(404, f"no world {name!r} on the mock host")
    urls = control.world(name)["services"]
    filters = {k: v for k in FILTERS for v in request.args.getlist(k) if v}
    query = urllib.parse.urlencode(list(filters.items()))
    status, results = get_json(f"{urls['resultsdb']}/results?{query}")
    _, updates = get_json(f"{urls['bodhi']}updates/?rows_per_page=100")
    export = control.export(name)
    return render_template(
        "world.html",
        name=name,
        urls=urls,
        filters=filters,
        results=results if status == 200 else None,
        results_error=None if status == 200 else (status, results),
        updates=(updates or {}).get("updates", []),
        builds=export.get("builds", []),
        history=export.get("history", []),
        page_links=_page_links(results if status == 200 else None),
    )


def _page_links(results: dict[str, Any] | None) -> dict[str, str]:
    """The API's prev/next links turned into this page's query strings."""
    links = {}
    for key in ("prev", "next"):
        url = (results or {}).get(key)
        if url:
            links[key] = "?" + urllib.parse.urlsplit(url).query
    return links
