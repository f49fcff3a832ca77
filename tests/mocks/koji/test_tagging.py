"""Logins and tag changes through the API: they change the world, its history and its export."""

from __future__ import annotations

import json

import koji
import pytest
import requests


def logged_in(kworld, user="releng", password="s3cret") -> koji.ClientSession:
    session = koji.ClientSession(kworld["hub"])
    session.login_password = None
    session.opts["user"], session.opts["password"] = user, password
    session.login()
    return session


def test_password_login_and_logout(kworld):
    session = logged_in(kworld)
    assert session.getLoggedInUser()["name"] == "releng"
    session.logout()
    assert koji.ClientSession(kworld["hub"]).getLoggedInUser() is None
    with pytest.raises(koji.AuthError):
        logged_in(kworld, password="wrong")
    assert logged_in(kworld, "packager1", "packager1").getLoggedInUser()["name"] == "packager1"


def test_anonymous_sessions_cannot_tag(kworld):
    with pytest.raises(koji.ActionNotAllowed, match="you must be logged in"):
        koji.ClientSession(kworld["hub"]).tagBuild("f41-updates-testing", "bash-5.2.26-1.fc41")


def test_tag_untag_move_change_listings_and_history(kworld):
    session = logged_in(kworld)
    task = session.tagBuild("f41-updates-testing", "bash-5.2.26-1.fc41")
    assert session.getTaskInfo(task)["method"] == "tagBuild"
    assert [r["nvr"] for r in session.listTagged("f41-updates-testing")] == ["bash-5.2.26-1.fc41"]
    with pytest.raises(
        koji.TagError, match=r"build bash-5.2.26-1.fc41 already tagged \(f41-updates-testing\)"
    ):
        session.tagBuild("f41-updates-testing", "bash-5.2.26-1.fc41")
    with pytest.raises(koji.TagError, match="not complete"):
        session.tagBuild("f41", "broken-1.0-1.fc41")
    # retagging an older build makes it Koji's latest again
    session.untagBuild("f41-updates", "bash-5.2.32-1.fc41")
    session.tagBuild("f41-updates", "bash-5.2.32-1.fc41")
    assert [r["nvr"] for r in session.listTagged("f41-updates", latest=True, package="bash")] == [
        "bash-5.2.32-1.fc41"
    ]
    session.moveBuild("f41-updates-testing", "f41-updates-candidate", "bash-5.2.26-1.fc41")
    assert session.listTagged("f41-updates-testing") == []
    with pytest.raises(koji.TagError, match="build bash-5.2.26-1.fc41 not in tag f41-updates-testing"):
        session.untagBuild("f41-updates-testing", "bash-5.2.26-1.fc41")
    history = session.queryHistory(tables=["tag_listing"], build="bash-5.2.26-1.fc41")["tag_listing"]
    assert [(h["tag.name"], h["active"], h["creator_name"]) for h in history] == [
        ("f41", True, "packager1"),
        ("f41-updates-testing", None, "releng"),
        ("f41-updates-candidate", True, "releng"),
    ]
    assert history[1]["revoker_name"] == "releng" and isinstance(history[1]["revoke_ts"], float)


def test_packages_must_be_listed_unless_forced(kworld):
    session = logged_in(kworld)
    with pytest.raises(koji.TagError, match="Package legacy-tool not in list for f41"):
        session.tagBuild("f41", "legacy-tool-1.0-1.fc41")
    with pytest.raises(koji.TagError, match="Package python3 not in list for f40"):
        session.tagBuild("f40", "python3-3.12.4-1.fc41")
    session.tagBuild("f40", "python3-3.12.4-1.fc41", force=True)
    assert [r["nvr"] for r in session.listTagged("f40")] == ["python3-3.12.4-1.fc41"]


def test_a_failed_call_in_a_multicall_changes_nothing_else(kworld):
    session = logged_in(kworld)
    session.multicall = True
    session.tagBuild("f41-updates-testing", "bash-5.2.26-1.fc41")
    session.tagBuild("f41-updates-testing", "nope-1-1")
    results = session.multiCall()
    assert isinstance(results[0], list) and results[1]["faultCode"] == 1000
    assert [r["nvr"] for r in session.listTagged("f41-updates-testing")] == ["bash-5.2.26-1.fc41"]


def test_tag_changes_are_exported_and_reload_the_same(kworld):
    session = logged_in(kworld)
    session.untagBuild("f41-updates", "bash-5.2.21-1.fc41")
    session.tagBuild("f41-updates-testing", "bash-5.2.26-1.fc41")
    base, name = kworld["base"], kworld["name"]
    exported = requests.get(f"{base}/_control/worlds/{name}/export", timeout=10).json()
    assert [(h["action"], h["build"], h["tag"]) for h in exported["history"]] == [
        ("untag", "bash-5.2.21-1.fc41", "f41-updates"),
        ("tag", "bash-5.2.26-1.fc41", "f41-updates-testing"),
    ]
    copy = f"{name}-copy"
    assert (
        requests.put(f"{base}/_control/worlds/{copy}", data=json.dumps(exported), timeout=30).status_code
        == 201
    )
    again = koji.ClientSession(f"{base}/w/{copy}/kojihub")
    for tag in ("f41-updates", "f41-updates-testing", "f41-build"):
        assert [r["nvr"] for r in again.listTagged(tag, inherit=True, latest=True)] == [
            r["nvr"] for r in session.listTagged(tag, inherit=True, latest=True)
        ]
    requests.delete(f"{base}/_control/worlds/{copy}", timeout=10)
