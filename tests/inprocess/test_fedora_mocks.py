"""stagingqa.testing: the mocks in process behind `responses`, driven by the real clients (koji,
bodhi-client with its OIDC login, resultsdb_api), with the host's faults, journal, export and reset, and a
use case's `expect:` checked with the verifier's own explanation."""

from __future__ import annotations

import http.server
import importlib.util
import json
import subprocess
import sys
import threading

import koji
import pytest
import requests
from bodhi.client.bindings import BodhiClient
from koji_cli.lib import download_file
from resultsdb_api import ResultsDBapi

from stagingqa.testing import ExpectationFailed, WorldInvalid, fedora_mocks
from tests.conftest import BASIC_WORLD, RESOURCES, ROOT

BUILD = "htop-3.2.2-1.fc40"  # a build of examples/worlds/fedora-basic.yaml
UPDATE = "FEDORA-2024-abcdef0123"


def test_koji_calls_multicalls_and_rpm_downloads_reach_the_world(tmp_path):
    with fedora_mocks(BASIC_WORLD) as fedora:
        session = koji.ClientSession("https://koji.fedoraproject.org/kojihub")
        build = session.getBuild(BUILD, strict=True)
        with session.multicall(strict=True) as multicall:
            rpms = multicall.listRPMs(buildID=build["build_id"])
            tags = multicall.listTags(build=build["build_id"])
        assert rpms.result and {t["name"] for t in tags.result}
        pathinfo = koji.PathInfo(topdir="https://kojipkgs.fedoraproject.org")
        rpm = rpms.result[0]
        target = tmp_path / pathinfo.rpm(rpm).rsplit("/", 1)[-1]
        download_file(f"{pathinfo.build(build)}/{pathinfo.rpm(rpm)}", str(target), quiet=True)
        header = subprocess.run(
            ["rpm", "-qp", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}", str(target)],
            capture_output=True,
            text=True,
        )
        assert header.stdout == BUILD  # a real RPM file
        calls = [entry.get("call") for entry in fedora.journal if entry["service"] == "koji"]
        assert calls[0] == ["getBuild"] and calls[1] == ["multiCall", "listRPMs", "listTags"]
        assert fedora.journal[-1]["service"] == "kojifiles" and fedora.journal[-1]["status"] == 200


def test_bodhi_client_logs_in_through_the_oidc_provider_and_comments(tmp_path):
    with fedora_mocks(BASIC_WORLD) as fedora:
        client = BodhiClient(oidc_storage_path=str(tmp_path / "token.json"))  # production URLs
        assert [u["alias"] for u in client.query(packages="htop")["updates"]] == [UPDATE]
        client.comment(UPDATE, "AutoQA: upgradepath test PASSED", karma=0)
        paths = [(e["service"], e["method"], e["path"]) for e in fedora.journal]
        assert ("bodhi", "POST", "/openidc/Token") in paths and paths[-1] == ("bodhi", "POST", "/comments/")
        fedora.check(
            {"comments": [{"update": UPDATE, "user": "autoqa", "text": "AutoQA: upgradepath*", "karma": 0}]}
        )


def test_resultsdb_api_faults_journal_export_and_reset():
    with fedora_mocks(BASIC_WORLD) as fedora:
        seeded = len(fedora.export()["results"])
        resultsdb = ResultsDBapi("https://resultsdb.fedoraproject.org/api/v2.0", max_retries=0)
        fedora.fault(service="resultsdb", method="POST", path="/results", times=1, respond={"status": 503})
        with pytest.raises(Exception, match="503"):
            resultsdb.create_result(outcome="PASSED", testcase="dist.depcheck", item=BUILD, type="koji_build")
        saved = resultsdb.create_result(
            outcome="PASSED", testcase="dist.depcheck", item=BUILD, type="koji_build"
        )
        assert [e["status"] for e in fedora.journal] == [503, 201] and fedora.journal[0]["fault"] is not None
        assert len(fedora.export()["results"]) == seeded + 1
        assert resultsdb.get_result(saved["id"])["outcome"] == "PASSED"
        fedora.fault(service="resultsdb", method="GET", path="/results", respond={"drop": True})
        with pytest.raises(requests.ConnectionError, match="dropped by a fault rule"):
            requests.get("https://resultsdb.fedoraproject.org/api/v2.0/results", timeout=5)
        fedora.reset()
        assert len(fedora.export()["results"]) == seeded and fedora.journal == []
        assert requests.get("https://resultsdb.fedoraproject.org/api/v2.0/results", timeout=5).ok


def test_a_failed_expectation_explains_itself_like_the_verifier():
    with fedora_mocks(BASIC_WORLD) as fedora:
        ResultsDBapi(fedora.urls["resultsdb"]).create_result(
            outcome="FAILED", testcase="dist.upgradepath", item=UPDATE, type="bodhi_update"
        )
        fedora.check("results:\n  - {testcase: dist.upgradepath, outcome: FAILED, item: " + UPDATE + "}\n")
        with pytest.raises(ExpectationFailed) as failed:
            fedora.check({"results": [{"testcase": "dist.upgradepath", "outcome": "PASSED", "item": UPDATE}]})
        text = str(failed.value)
        assert "expected: results: testcase='dist.upgradepath', outcome='PASSED'" in text
        assert "closest:" in text and "outcome FAILED, expected PASSED" in text
        assert "resultsdb POST /results -> 201" in text
        with pytest.raises(WorldInvalid, match="<expect>: results.0.colour|colour"):
            fedora.check({"results": [{"colour": "red"}]})


def test_a_world_as_a_mapping_other_urls_and_a_decorator():
    world = {"name": "tiny", "users": [{"name": "autoqa"}]}

    @fedora_mocks(world, urls={"resultsdb": "http://rdb.test/api/v2.0", "bodhi": "http://bodhi.test/"})
    def post() -> dict:
        return requests.post(
            "http://rdb.test/api/v2.0/results", json={"outcome": "PASSED", "testcase": "t"}
        ).json()

    assert post()["testcase"]["name"] == "t"
    assert post()["id"] == 1  # every entry starts from the world as given


def test_urls_nobody_serves_are_refused_and_passthrough_is_opt_in():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with fedora_mocks(BASIC_WORLD), pytest.raises(requests.ConnectionError) as refused:
            requests.get(local, timeout=5)
        assert f"the Fedora mocks refused GET {local}" in str(refused.value)
        assert f"passthrough=['{local}']" in str(refused.value)
        with fedora_mocks(BASIC_WORLD, passthrough=[local]):
            assert requests.get(local, timeout=5).status_code == 200
            assert koji.ClientSession("https://koji.fedoraproject.org/kojihub").getAPIVersion() == 1
    finally:
        server.shutdown()


def test_a_broken_world_says_file_line_and_field_as_the_cli_does():
    broken = RESOURCES / "worlds" / "broken-shape.yaml"
    with pytest.raises(WorldInvalid) as invalid, fedora_mocks(broken):
        pass
    cli = subprocess.run(
        [sys.executable, "-m", "stagingqa", "world", "check", str(broken)], capture_output=True, text=True
    )
    assert [str(p) for p in invalid.value.problems] == [
        line.strip() for line in cli.stderr.splitlines()[1:] if line.strip()
    ]
    with pytest.raises(WorldInvalid, match=r"<world given as a mapping>: releases\[0\]"):
        fedora_mocks({"name": "x", "releases": [{"name": "F41"}]}).__enter__()


def test_bad_requests_get_the_answer_the_host_gives_over_http(served):
    name = "bad-requests"
    requests.put(f"{served}/_control/worlds/{name}", data=BASIC_WORLD.read_bytes(), timeout=10)
    try:
        bad = [
            ("POST", "kojihub", "", b"<methodCall><methodName>getBuild"),
            ("POST", "resultsdb", "/api/v2.0/results", b"{not json"),
            ("GET", "bodhi", "/updates/?rows_per_page=nope", b""),
        ]
        over_http = [
            requests.request(m, f"{served}/w/{name}/{mount}{path}", data=body, timeout=10)
            for m, mount, path, body in bad
        ]
        production = {
            "kojihub": "https://koji.fedoraproject.org/kojihub",
            "resultsdb": "https://resultsdb.fedoraproject.org",
            "bodhi": "https://bodhi.fedoraproject.org",
        }
        with fedora_mocks(BASIC_WORLD):
            in_process = [
                requests.request(m, production[mount] + path, data=body, timeout=10)
                for m, mount, path, body in bad
            ]
        for http_answer, answer in zip(over_http, in_process, strict=True):
            assert (answer.status_code, answer.content) == (http_answer.status_code, http_answer.content)
            assert answer.headers["Content-Type"] == http_answer.headers["Content-Type"]
    finally:
        requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


def test_the_recorded_resultsdb_corpus_replays_in_process(tmp_path, capsys):
    tool = ROOT.parent / "shared" / "tools" / "conformance.py"
    corpus = ROOT.parent / "shared" / "conformance" / "resultsdb" / "corpus.json"
    spec = importlib.util.spec_from_file_location("conformance", tool)
    assert spec and spec.loader, f"{tool} is missing: the shared/ folder must sit beside the repository"
    conformance = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conformance)
    report = tmp_path / "report.json"
    with fedora_mocks({"name": "conformance"}, urls={"resultsdb": "http://resultsdb.test/api/v2.0"}):
        status = conformance.main(["http://resultsdb.test/api/v2.0", str(corpus), "--json", str(report)])
    assert status == 0, capsys.readouterr().out[-4000:]
    checked = [entry for entry in json.loads(report.read_text()) if entry["checked"]]
    assert len(checked) >= 90 and not any(entry["problems"] for entry in checked)
