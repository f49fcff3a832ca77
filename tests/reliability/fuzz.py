"""Property-based requests against every endpoint of the three mocks and the control API (issue 20), run
in process against the host's own WSGI app (thousands a minute): no 500, no traceback, every answer in
the real service's error shape. tests/reliability/test_fuzz.py runs a bounded number; bench/reliability.py
many more, and reports what it tried and found."""

# ruff: noqa: E501  (the endpoint and value tables read best one row a line)
from __future__ import annotations

import json
import xmlrpc.client
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from werkzeug.test import Client

from stagingqa.mocks.koji.methods import METHODS
from stagingqa.mocks.serve import build_host
from stagingqa.world import load_world

W = "/w/fedora-basic"
RESULTSDB = [
    ("GET", "/resultsdb/api/v2.0/results"), ("GET", "/resultsdb/api/v2.0/results/latest"),
    ("GET", "/resultsdb/api/v2.0/results/{x}"), ("POST", "/resultsdb/api/v2.0/results"),
    ("GET", "/resultsdb/api/v2.0/groups"), ("GET", "/resultsdb/api/v2.0/groups/{x}"),
    ("POST", "/resultsdb/api/v2.0/groups"), ("GET", "/resultsdb/api/v2.0/groups/{x}/results"),
    ("GET", "/resultsdb/api/v2.0/testcases"), ("GET", "/resultsdb/api/v2.0/testcases/{x}"),
    ("POST", "/resultsdb/api/v2.0/testcases"), ("GET", "/resultsdb/api/v2.0/testcases/{x}/results"),
    ("GET", "/resultsdb/api/v2.0/healthcheck"),
]  # fmt: skip
BODHI = [
    ("GET", "/bodhi/updates/"), ("GET", "/bodhi/updates/{x}"), ("GET", "/bodhi/updates/{x}/get-test-results"),
    ("POST", "/bodhi/updates/{x}/request"), ("GET", "/bodhi/releases/"), ("GET", "/bodhi/releases/{x}"),
    ("GET", "/bodhi/builds/"), ("GET", "/bodhi/builds/{x}"), ("GET", "/bodhi/packages/"),
    ("GET", "/bodhi/users/{x}"), ("POST", "/bodhi/comments/"), ("GET", "/bodhi/comments/"),
    ("GET", "/bodhi/comments/{x}"), ("GET", "/bodhi/csrf"), ("GET", "/bodhi/oidc/login-token"),
    ("GET", "/bodhi/openidc/Authorization"), ("POST", "/bodhi/openidc/Token"), ("GET", "/bodhi/openidc/UserInfo"),
    ("POST", "/bodhi/openidc/TokenInfo"),
]  # fmt: skip
CONTROL = [
    ("GET", "/_control/worlds"), ("GET", "/_control/worlds/{x}"), ("PUT", "/_control/worlds/{x}"),
    ("POST", "/_control/worlds/fedora-basic/faults"), ("GET", "/_control/worlds/fedora-basic/faults"),
    ("DELETE", "/_control/worlds/fedora-basic/faults/{x}"), ("GET", "/_control/worlds/fedora-basic/journal"),
    ("GET", "/_control/worlds/{x}/export"), ("GET", "/_control/health"),
]  # fmt: skip
KEYS = ["item", "type", "testcases", "outcome", "limit", "page", "since", "_sort", "releases", "status", "rows_per_page",
        "packages", "alias", "name", "user", "update", "text", "karma", "csrf_token", "request", "groups", "keys",
        "testcases:like", "item:like", "like", "state", "since", "services", "ref_url", "data", "uuid"]  # fmt: skip

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "null", "true", "F41", "FEDORA-2024-abcdef0123",
                     "htop-3.3.0-1.fc41", "dist.rpmlint", "PASSED", "*", "%", "..", "a,b,,", " ", "\u0000", "é"]),
    st.text(min_size=500, max_size=3000),
)  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5),
    max_leaves=12,
)  # fmt: skip
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"\xff\xfe\xfd", b"{", b"[]", b"null", b"{\"outcome\": \"\xff\"}", b"\x00" * 10]),
)  # fmt: skip
xmlrpc_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**31), max_value=2**31 - 1) | st.floats(allow_nan=False)
    | texts | st.binary(max_size=20).map(xmlrpc.client.Binary),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.just("__starstar"), inner, max_size=4),
    max_leaves=10,
)  # fmt: skip


@st.composite
def http_requests(draw: Any, endpoints: list[tuple[str, str]]) -> tuple[str, str, dict[str, str], bytes]:
    method, template = draw(st.sampled_from(endpoints))
    path = template.replace(
        "{x}", draw(texts.filter(lambda t: "/" not in t and "?" not in t and "#" not in t)) or "x"
    )
    query = draw(st.lists(st.tuples(st.sampled_from(KEYS), texts), max_size=5))
    kind = draw(st.sampled_from(["json", "form", "raw", "none"]))
    headers: dict[str, str] = {}
    body = b""
    if kind == "json":
        body, headers["Content-Type"] = json.dumps(draw(json_values)).encode(), "application/json"
    elif kind == "form":
        body = "&".join(
            f"{k}={v}" for k, v in draw(st.lists(st.tuples(st.sampled_from(KEYS), texts), max_size=5))
        ).encode(errors="surrogatepass")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif kind == "raw":
        body = draw(raw_bodies)
    return method, path, {"query": query, **headers}, body


@st.composite
def koji_calls(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["call", "call", "call", "raw", "multicall"]))
    if kind == "raw":
        return draw(raw_bodies)
    params = draw(st.lists(xmlrpc_values, max_size=4))
    method = draw(st.sampled_from(sorted(METHODS)) | st.text(max_size=12))
    if kind == "multicall":
        calls = [{"methodName": method, "params": params}, draw(xmlrpc_values)]
        return xmlrpc.client.dumps((calls,), "multiCall", allow_none=True).encode()
    try:
        return xmlrpc.client.dumps(tuple(params), method or "x", allow_none=True).encode()
    except (OverflowError, TypeError):
        return (
            b"<methodCall><methodName>getBuild</methodName><params><param><value><i8>9"
            + b"9" * 30
            + b"</i8></value></param></params></methodCall>"
        )


@dataclass
class Findings:
    tried: int = 0
    problems: list[str] = field(default_factory=list)


def make_client(world_file: str) -> Client:
    return Client(build_host([load_world(world_file)]))


def send(client: Client, method: str, path: str, options: dict[str, Any], body: bytes) -> Any:
    query = options.pop("query", [])
    return client.open(W + path if not path.startswith("/_control") else path, method=method, query_string=query,
                       data=body, headers=options)  # fmt: skip


def documented_500(path: str, body: bytes) -> bool:
    """The inputs the real ResultsDB answers 500 for (resultsdb-v2.md, section 7), which the mock imitates."""
    if "/resultsdb/" not in path:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    if isinstance(data, list):
        return True
    groups = data.get("groups") if isinstance(data, dict) else None
    bad_group = isinstance(groups, list) and any(not isinstance(g, str | dict) for g in groups)
    return bad_group or (isinstance(data, dict) and isinstance(data.get("submit_time"), float))


def problems_of(service: str, answer: Any, path: str = "", body: bytes = b"") -> list[str]:
    """What is wrong with one answer: a 500 (but the real service's own), a traceback, or an error not
    in the service's shape."""
    found = []
    text = answer.get_data(as_text=True)
    imitated = (
        answer.status_code == 500
        and documented_500(path, body)
        and json.loads(text) == {"message": "Internal Server Error"}
    )
    # Bodhi answers 501 (no Greenwave configured) as the real one does, in its own error shape
    documented = (
        service == "bodhi" and answer.status_code == 501 and '"status":"error"' in text.replace(" ", "")
    )
    if answer.status_code >= 500 and not imitated and not documented:
        found.append(f"{answer.status_code}: {text[:300]}")
    if "Traceback" in text or 'File "/' in text:
        found.append(f"a traceback in the answer: {text[:300]}")
    if 400 <= answer.status_code < 500 and answer.mimetype == "application/json":
        data = json.loads(text)
        shape_ok = isinstance(data, dict) and {
            "resultsdb": "message" in data or isinstance(data.get("validation_error"), list),
            "bodhi": (data.get("status") == "error" and isinstance(data.get("errors"), list)) or "error" in data,
            "control": "message" in data,
        }.get(service, True)  # fmt: skip
        if not shape_ok:
            found.append(f"{answer.status_code} not in {service}'s error shape: {text[:300]}")
    return found
