"""Result, group and testcase JSON exactly as the real server emits them (absolute links, nulls kept)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from stagingqa.mocks.store import tables as t

PATH_SAFE = "!$&'()*+,/:;=@"  # what Werkzeug leaves unquoted in a URL path


class Links:
    """Absolute URLs under the API root the request came in through (after proxy headers)."""

    def __init__(self, api_root: str) -> None:
        self.root = api_root.rstrip("/")
        self._testcases: dict[str, str] = {}  # a page names a few testcases many times

    def result(self, result_id: int) -> str:
        return f"{self.root}/results/{result_id}"

    def testcase(self, name: str) -> str:
        href = self._testcases.get(name)
        if href is None:
            href = self._testcases[name] = f"{self.root}/testcases/{quote(name, safe=PATH_SAFE)}"
        return href

    def group(self, group_uuid: str) -> str:
        return f"{self.root}/groups/{quote(group_uuid, safe=PATH_SAFE)}"

    def group_results(self, group_uuid: str) -> str:
        return f"{self.root}/results?{urlencode({'groups': group_uuid})}"


def testcase_json(links: Links, name: str, ref_url: str | None) -> dict[str, Any]:
    return {"href": links.testcase(name), "name": name, "ref_url": ref_url}


def result_json(links: Links, loaded: dict[str, Any]) -> dict[str, Any]:
    row = loaded["row"]
    return {
        "data": loaded["data"],  # its keys come out sorted like every other dict's (the app's sort_keys)
        "groups": loaded["groups"],
        "href": links.result(row.id),
        "id": row.id,
        "note": row.note,
        "outcome": row.outcome,
        "ref_url": row.ref_url,
        "submit_time": row.submit_time.isoformat(),
        "testcase": testcase_json(links, row.tc_name, row.tc_ref_url),
    }


def group_json(links: Links, group: t.ResultGroup, results_count: int) -> dict[str, Any]:
    return {
        "description": group.description,
        "href": links.group(group.uuid),
        "ref_url": group.ref_url,
        "results": links.group_results(group.uuid),
        "results_count": results_count,
        "uuid": group.uuid,
    }
