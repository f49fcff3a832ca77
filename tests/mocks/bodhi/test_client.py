"""The unmodified bodhi-client against the mock: queries, releases, update_str, comments as two users."""

from __future__ import annotations

import pytest
from bodhi.client.bindings import BodhiClientException

from tests.mocks.bodhi.conftest import journal


def aliases(result):
    return [u["alias"] for u in result["updates"]]


def test_query_filters_and_paging(client_as):
    client = client_as()
    assert aliases(client.query(releases="F41", status="testing")) == [
        "FEDORA-2024-0000000001",
        "FEDORA-2024-0000000005",
    ]
    assert aliases(client.query(package="htop")) == ["FEDORA-2024-0000000001", "FEDORA-2024-0000000003"]
    assert aliases(client.query(package="nano-8.0-1.fc41")) == ["FEDORA-2024-0000000002"]  # a build NVR
    assert aliases(client.query(updateid="FEDORA-2024-0000000005")) == ["FEDORA-2024-0000000005"]
    assert aliases(client.query(release=["F40", "F42"])) == [
        "FEDORA-2024-0000000006",
        "FEDORA-2024-0000000003",
    ]
    assert aliases(client.query(type_="security")) == ["FEDORA-2024-0000000005"]
    assert aliases(client.query(request="testing")) == ["FEDORA-2024-0000000002"]
    page = client.query(releases="F41", limit=2, page=2)
    assert (page["page"], page["pages"], page["rows_per_page"], page["total"]) == (2, 2, 2, 4)
    assert aliases(page) == ["FEDORA-2024-0000000005", "FEDORA-2024-0000000004"]


def test_releases_and_update_str(client_as):
    client = client_as()
    assert [r["name"] for r in client.get_releases()["releases"]] == ["F39", "F40", "F41", "F42"]
    assert [r["name"] for r in client.get_releases(exclude_archived=True)["releases"]] == [
        "F40",
        "F41",
        "F42",
    ]
    text = client.update_str(client.query(updateid="FEDORA-2024-0000000001")["updates"][0])
    assert "Update ID: FEDORA-2024-0000000001" in text and "Karma: 1" in text and "Works for me" in text


def test_comments_as_two_users(client_as, bworld):
    autoqa = client_as()
    first = autoqa.comment(
        "FEDORA-2024-0000000001",
        "AutoQA: upgradepath test PASSED on noarch. Result log: "
        "http://example.org/1 (results are informative only)",
    )
    assert first["comment"]["user"]["name"] == "autoqa" and first["comment"]["karma"] == 0
    assert first["comment"]["update_alias"] == "FEDORA-2024-0000000001" and first["caveats"] == []
    autoqa.comment("FEDORA-2024-0000000002", "AutoQA: depcheck test PASSED.")
    tester = client_as("packager2")
    voted = tester.comment("FEDORA-2024-0000000001", "LGTM", karma=1)
    assert voted["comment"]["author"] == "packager2" and voted["comment"]["karma"] == 1
    update = autoqa.query(updateid="FEDORA-2024-0000000001")["updates"][0]
    assert update["karma"] == 2
    assert [(c["user"]["name"], c["karma"]) for c in update["comments"]] == [
        ("tester", 1),
        ("autoqa", 0),
        ("packager2", 1),
    ]
    calls = [(e["method"], e["path"]) for e in journal(bworld)]
    assert calls.count(("GET", "/oidc/login-token")) == 2  # once per client: the cookie has no Domain
    assert calls.count(("GET", "/csrf")) == 2


def test_karma_on_your_own_update_is_refused_with_a_caveat(client_as):
    result = client_as("packager1").comment("FEDORA-2024-0000000001", "mine", karma=1)
    assert result["comment"]["karma"] == 0
    assert result["caveats"] == [
        {"name": "karma", "description": "You may not give karma to your own updates."}
    ]


def test_negative_karma_disables_autokarma_with_a_system_comment(client_as):
    result = client_as("packager2").comment("FEDORA-2024-0000000001", "crashes", karma=-1)
    assert result["comment"]["user"]["name"] == "bodhi"  # the real quirk: the last comment comes back
    assert result["comment"]["text"].startswith(
        "Bodhi is disabling automatic push to stable due to negative karma."
    )
    update = client_as().query(updateid="FEDORA-2024-0000000001")["updates"][0]
    assert update["autokarma"] is False and update["karma"] == 0


def test_reaching_stable_karma_requests_stable(client_as):
    client_as("tester").comment("FEDORA-2024-0000000005", "ok", karma=1)
    client_as("packager1").comment("FEDORA-2024-0000000005", "ok", karma=1)
    update = client_as().query(updateid="FEDORA-2024-0000000005")["updates"][0]
    assert update["request"] == "stable" and update["karma"] == 2


def test_reaching_unstable_karma_obsoletes(client_as):
    for user in ("tester", "packager1", "autoqa2"):
        client_as(user).comment("FEDORA-2024-0000000002", "broken", karma=-1)
    assert client_as().query(updateid="FEDORA-2024-0000000002")["updates"][0]["status"] == "obsolete"


def test_errors_reach_the_client(client_as):
    with pytest.raises(BodhiClientException, match="Invalid releases specified: F99"):
        client_as().query(releases="F99")
    with pytest.raises(BodhiClientException, match="Invalid update specified: FEDORA-2024-nope"):
        client_as().comment("FEDORA-2024-nope", "hello")
