"""The read path's shortcuts spell URLs and JSON exactly as Werkzeug and Flask do, for any input."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import jsonify, request
from hypothesis import given, settings
from hypothesis import strategies as st

from stagingqa.mocks.resultsdb import urls
from stagingqa.mocks.resultsdb.app import create_app
from stagingqa.mocks.resultsdb.encoding import stored_json

APP = create_app()
EXAMPLES = settings(max_examples=300, deadline=None, database=None)

# WSGI strings are bytes decoded as latin-1: any byte may come, "%" escapes and "#" included
wsgi_text = st.binary(max_size=40).map(lambda raw: raw.decode("latin-1"))
escapes = st.from_regex(r"%[0-9A-Fa-f]{2}", fullmatch=True)  # "%41", "%C3", "%e9": some decode, some not
query_text = st.one_of(
    wsgi_text,
    st.lists(
        st.one_of(escapes, st.sampled_from(["a=", "&", "é", "%", "#", "+", " ", "page=1"])), max_size=8
    ).map("".join),
    st.text(alphabet="abcXYZ019_.~-!$&'()*+,/:;=?@%# ", max_size=40),  # mostly the plain alphabet
    st.from_regex(r"limit=[0-9]{1,3}&item=[a-z0-9.\-]{1,20}(&page=[0-9])?", fullmatch=True),
)
hosts = st.sampled_from(
    ["127.0.0.1:5000", "localhost", "Example.ORG", "h:80", "h:443", "[::1]:8080", "xn--n3h.net"]
)


@EXAMPLES
@given(
    scheme=st.sampled_from(["http", "https"]),
    host=hosts,
    script=st.one_of(st.just("/w/x/resultsdb"), wsgi_text.map(lambda text: "/" + text)),
    path=st.one_of(st.just("/api/v2.0/results"), wsgi_text.map(lambda text: "/" + text)),
    query=query_text,
)
def test_request_url_and_api_root_are_werkzeugs(
    scheme: str, host: str, script: str, path: str, query: str
) -> None:
    environ = {
        "wsgi.url_scheme": scheme,
        "HTTP_HOST": host,
        "SCRIPT_NAME": script,
        "PATH_INFO": path,
        "QUERY_STRING": query,
    }
    for _ in range(2):  # the second time from the memo
        with APP.test_request_context(environ_overrides=environ):
            assert urls.request_url() == request.url
            assert urls.api_root() == request.host_url.rstrip("/") + request.script_root + "/api/v2.0"


def test_the_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls, "MAX_REMEMBERED", 8)
    for n in range(50):
        with APP.test_request_context(f"/api/v2.0/results/{n}?a=1"):
            assert urls.request_url() == request.url
    assert len(urls._bases) <= 8


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.text(alphabet='a\x7f\x1f\\"é\n', max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@EXAMPLES
@given(payload=json_values)
def test_stored_json_is_flasks_bytes(payload: object) -> None:
    """Text of any kind (DEL, non-ASCII, lone surrogates), integers beyond 64 bits: Flask's bytes."""
    with APP.app_context():
        ours, flasks = stored_json(payload), jsonify(payload)
        assert ours.get_data() == flasks.get_data()
        assert ours.mimetype == flasks.mimetype == "application/json"


def test_stored_json_leaves_what_orjson_spells_otherwise_to_flask() -> None:
    """A date (Flask writes an HTTP date), a str subclass, and a page of results as the API answers it."""

    class Name(str):
        pass

    page = {
        "data": [{"id": 2**70, "note": "é", "when": dt.datetime(2024, 1, 2, 3, 4, 5)}, {"name": Name("x")}],
        "next": None,
        "prev": "http://127.0.0.1/api/v2.0/results?page=0",
    }
    with APP.app_context():
        assert stored_json(page).get_data() == jsonify(page).get_data()
        assert b"Tue, 02 Jan 2024 03:04:05 GMT" in stored_json(page).get_data()
