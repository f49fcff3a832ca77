"""The hub's HTTP and XML-RPC surface without the koji library: headers, bad requests, faults, journal."""

from __future__ import annotations

import xmlrpc.client

import koji
import pytest
import requests

from tests.mocks.koji.strict_xmlrpc import check_response


def test_non_post_and_empty_requests(kworld):
    got = requests.get(kworld["hub"], timeout=5)
    assert (
        got.status_code == 405 and got.headers["Allow"] == "POST" and got.headers["Koji-Version"] == "1.36.1"
    )
    assert got.text == "Method Not Allowed\nThis is an XML-RPC server. Only POST requests are accepted.\n"
    empty = requests.post(kworld["hub"], data=b"", timeout=5)
    assert empty.status_code == 400 and empty.text == "Empty request\n"


def test_malformed_xml_is_a_fault_not_a_crash(kworld):
    response = requests.post(kworld["hub"], data=b"<methodCall><methodName>getBuild</method", timeout=5)
    assert response.status_code == 200 and response.headers["Koji-Version"] == "1.36.1"
    with pytest.raises(xmlrpc.client.Fault) as caught:
        xmlrpc.client.loads(response.content)
    assert caught.value.faultCode == 1000 and "Invalid request" in caught.value.faultString


def test_plain_stdlib_proxy_works_as_greenwave_uses_it(kworld):
    proxy = xmlrpc.client.ServerProxy(kworld["hub"])
    assert proxy.getBuild("bash-5.2.26-1.fc41")["nvr"] == "bash-5.2.26-1.fc41"
    rows = proxy.listTagged("f41-updates", {"__starstar": True, "latest": True, "package": "bash"})
    assert [r["nvr"] for r in rows] == ["bash-5.2.21-1.fc41"]


def test_wrong_argument_count_is_a_parameter_error(kworld):
    with pytest.raises(koji.ParameterError, match="getBuild"):
        koji.ClientSession(kworld["hub"]).getBuild()


def test_journal_names_the_calls(kworld, hub):
    hub.getBuild("bash-5.2.26-1.fc41")
    with hub.multicall() as m:
        m.getTag("f41")
        m.hello()
    journal = requests.get(
        f"{kworld['base']}/_control/worlds/{kworld['name']}/journal?service=koji", timeout=5
    ).json()
    assert journal[0]["call"] == ["getBuild"] and journal[0]["params"] == ["bash-5.2.26-1.fc41"]
    assert journal[1]["call"] == ["multiCall", "getTag", "hello"]


def test_fault_rules_answer_as_the_hub_would(kworld, hub):
    rules = f"{kworld['base']}/_control/worlds/{kworld['name']}/faults"
    requests.post(
        rules,
        timeout=5,
        json={
            "service": "koji",
            "call": "getBuild",
            "times": 1,
            "respond": {"body": {"faultCode": 1014, "faultString": "database outage"}},
        },
    )
    with pytest.raises(koji.ServerOffline, match="database outage"):
        hub.getBuild("bash-5.2.26-1.fc41")
    assert hub.getBuild("bash-5.2.26-1.fc41")["nvr"] == "bash-5.2.26-1.fc41"
    requests.post(
        rules,
        timeout=5,
        json={"service": "koji", "call": "listTagged", "times": 1, "respond": {"status": 503}},
    )
    with pytest.raises(requests.HTTPError):
        hub.listTagged("f41")
    assert hub.hello() == "Hello World"


def test_file_tree(kworld, hub):
    build = hub.getBuild("python3-3.12.4-1.fc41")
    rpm = next(r for r in hub.listBuildRPMs(build["id"]) if r["name"] == "python3-libs")
    url = f"{kworld['topurl']}/packages/python3/3.12.4/1.fc41/x86_64/python3-libs-3.12.4-1.fc41.x86_64.rpm"
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == rpm["size"]
    body = requests.get(url, timeout=10).content
    assert len(body) == rpm["size"] and body[:4] == b"\xed\xab\xee\xdb"  # the RPM lead
    log = requests.get(
        f"{kworld['topurl']}/packages/python3/3.12.4/1.fc41/data/logs/x86_64/build.log", timeout=5
    )
    assert log.text == "Executing(%build): make\ndone\n"
    child = next(c for c in hub.getTaskChildren(build["task_id"]) if c["arch"] == "x86_64")
    task_url = f"{kworld['topurl']}/work/tasks/{child['id'] % 10000}/{child['id']}/build.log"
    assert requests.get(task_url, timeout=5).text == log.text
    assert (
        requests.get(
            f"{kworld['topurl']}/packages/nope/1/1/x86_64/nope-1-1.x86_64.rpm", timeout=5
        ).status_code
        == 404
    )


def test_every_answer_is_strict_xmlrpc(kworld):
    calls = [
        ("getAPIVersion", ()),
        ("getBuild", ("bash-5.2.26-1.fc41",)),
        ("getBuild", ("nope-1-1",)),  # nil
        ("listTagged", ("f41-updates", {"__starstar": True, "latest": True})),
        (
            "getRPMHeaders",
            ({"__starstar": True, "rpmID": "bash-5.2.26-1.fc41.x86_64", "headers": ["requireflags"]},),
        ),
        ("getLastEvent", ()),
        ("noSuchMethod", ()),  # a fault
        (
            "multiCall",
            (
                [
                    {"methodName": "getBuild", "params": ["bash-5.2.26-1.fc41"]},
                    {"methodName": "nope", "params": []},
                ],
            ),
        ),
    ]
    for method, params in calls:
        body = xmlrpc.client.dumps(params, method, allow_none=True).encode()
        answer = requests.post(kworld["hub"], data=body, timeout=30)
        check_response(answer.content)  # raises, naming what the specification does not allow
    assert b"<params>\n<params>" not in answer.content
