"""Fuzzing, bounded (bench/reliability.py tries many more): property-based requests against every endpoint
of ResultsDB, Bodhi, the Koji hub and the control API get no 500, no traceback, and errors in the real
service's shape; every Koji answer is strict XML-RPC."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings

from tests.conftest import BASIC_WORLD
from tests.mocks.koji.strict_xmlrpc import check_response
from tests.reliability.fuzz import (
    BODHI,
    CONTROL,
    RESULTSDB,
    http_requests,
    koji_calls,
    make_client,
    problems_of,
    send,
)

EXAMPLES = 120
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture(scope="module")
def client():
    return make_client(str(BASIC_WORLD))


@pytest.mark.parametrize(
    "service, endpoints", [("resultsdb", RESULTSDB), ("bodhi", BODHI), ("control", CONTROL)]
)
def test_http_endpoints_answer_every_request_in_their_shape(client, service, endpoints, caplog):
    @FUZZ
    @given(request=http_requests(endpoints))
    def one(request):
        method, path, options, body = request
        answer = send(client, method, path, dict(options), body)
        assert not problems_of(service, answer, path, body), (method, path, options, body[:200])

    one()
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]  # no traceback logged


def test_the_koji_hub_answers_every_body_in_strict_xmlrpc(client, caplog):
    @FUZZ
    @given(body=koji_calls())
    def one(body):
        answer = client.post("/w/fedora-basic/kojihub", data=body, headers={"Content-Type": "text/xml"})
        assert not problems_of("koji", answer), body[:300]
        if answer.status_code == 200:
            check_response(answer.get_data())

    one()
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
