"""Plain HTTP against the mock Bodhi: every error case of the reference, shapes, paging rules."""

from __future__ import annotations

import pytest
import requests

CSRF_MISMATCH = (
    "CSRF tokens do not match.  This happens if you have the page open for a long time. Please "
    "reload the page and try to submit your data again. Make sure to save your input somewhere "
    "before reloading. "
)
UPDATE_KEYS = [
    "autokarma",
    "autotime",
    "stable_karma",
    "stable_days",
    "unstable_karma",
    "require_bugs",
    "require_testcases",
    "display_name",
    "notes",
    "type",
    "status",
    "request",
    "severity",
    "suggest",
    "locked",
    "pushed",
    "critpath",
    "critpath_groups",
    "close_bugs",
    "date_submitted",
    "date_modified",
    "date_approved",
    "date_testing",
    "date_stable",
    "alias",
    "test_gating_status",
    "from_tag",
    "date_pushed",
    "meets_testing_requirements",
    "url",
    "title",
    "version_hash",
    "release",
    "user",
    "comments",
    "builds",
    "bugs",
    "updateid",
    "karma",
    "content_type",
    "test_cases",
]


def get(bworld, path, **params):
    return requests.get(bworld["url"] + path, params=params, timeout=10, allow_redirects=False)


def errors(response):
    assert response.json()["status"] == "error"
    return [(e["location"], e["name"], e["description"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "params, status, expected",
    [
        ({"releases": "F99"}, 400, [("querystring", "releases", "Invalid releases specified: F99")]),
        ({"releases": "F41,F77"}, 400, [("querystring", "releases", "Invalid releases specified: F77")]),
        (
            {"status": "bogus"},
            400,
            [
                (
                    "querystring",
                    "status.0",
                    '"bogus" is not one of pending, testing, stable, unpushed, obsolete',
                )
            ],
        ),
        (
            {"status": "testing,stable"},
            400,
            [
                (
                    "querystring",
                    "status.0",
                    '"testing,stable" is not one of pending, testing, stable, unpushed, obsolete',
                )
            ],
        ),
        (
            {"request": "bogus"},
            400,
            [("querystring", "request", '"bogus" is not one of testing, obsolete, unpush, revoke, stable')],
        ),
        ({"user": "nobody"}, 400, [("querystring", "user", "Invalid users specified: nobody")]),
        ({"page": "0"}, 400, [("querystring", "page", "0 is less than minimum value 1")]),
        ({"page": "abc"}, 400, [("querystring", "page", '"abc" is not a number')]),
        (
            {"rows_per_page": "5000"},
            400,
            [("querystring", "rows_per_page", "5000 is greater than maximum value 1000")],
        ),
    ],
)
def test_update_query_errors(bworld, params, status, expected):
    response = get(bworld, "updates/", **params)
    assert response.status_code == status and errors(response) == expected


def test_errors_accumulate(bworld):
    response = get(bworld, "updates/", releases="F99", page="0", user="nobody")
    assert {name for _, name, _ in errors(response)} == {"releases", "page", "user"}


def test_list_rules(bworld):
    both = get(bworld, "updates/", status=["testing", "stable"]).json()
    assert both["total"] == 3
    spaced = get(bworld, "updates/", releases="F40 F42").json()
    assert spaced["total"] == 2
    assert get(bworld, "updates/", releases="41").json()["total"] == 4
    assert get(bworld, "updates/", releases="__pending__").json()["total"] == 1
    unknown = get(bworld, "updates/", packages="nosuchpkg", frobnicate="1").json()
    assert (unknown["updates"], unknown["pages"], unknown["total"], unknown["package"]) == (
        [],
        0,
        0,
        "nosuchpkg",
    )
    assert get(bworld, "updates/", rows_per_page=1, page=99).json()["updates"] == []
    assert get(bworld, "updates/", critpath="True").json()["total"] == 0
    assert get(bworld, "updates/", critpath="maybe").status_code == 400
    assert get(bworld, "updates/", submitted_since="2024-10-31T00:00:00").json()["total"] == 2


def test_update_shape_and_order(bworld):
    body = get(bworld, "updates/FEDORA-2024-0000000001").json()
    assert list(body) == ["update", "can_edit", "ci_allowed"]
    update = body["update"]
    assert list(update) == UPDATE_KEYS
    assert (
        update["title"] == "htop-3.3.0-1.fc41"
        and update["url"] == bworld["url"] + "updates/FEDORA-2024-0000000001"
    )
    assert (
        update["date_submitted"] == "2024-11-02 10:00:00"
        and update["release"]["testing_tag"] == "f41-updates-testing"
    )
    assert update["user"]["avatar"].startswith("https://seccdn.libravatar.org/avatar/")
    assert update["builds"] == [
        {"nvr": "htop-3.3.0-1.fc41", "signed": True, "release_id": 3, "type": "rpm", "epoch": 0}
    ]
    assert update["bugs"][0]["bug_id"] == 2300001 and update["karma"] == 1
    assert list(update["comments"][0]) == [
        "karma",
        "karma_critpath",
        "text",
        "timestamp",
        "update_id",
        "user_id",
        "id",
        "bug_feedback",
        "testcase_feedback",
        "user",
    ]


def test_update_routes(bworld):
    missing = get(bworld, "updates/FEDORA-2024-nope")
    assert missing.status_code == 404 and errors(missing) == [("url", "id", "Invalid update id")]
    redirect = get(bworld, "updates/htop")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith("/updates/?packages=htop")
    slash = get(bworld, "updates/FEDORA-2024-0000000001/")
    assert slash.status_code == 404 and slash.headers["Content-Type"].startswith("text/html")
    not_allowed = requests.delete(bworld["url"] + "updates/", timeout=5)
    assert not_allowed.status_code == 405 and not_allowed.json()["code"] == "405 Method Not Allowed"


def test_comment_reads(bworld):
    assert errors(get(bworld, "comments/", updates="FEDORA-2024-nope")) == [
        ("querystring", "updates", "Invalid updates specified: FEDORA-2024-nope")
    ]
    assert errors(get(bworld, "comments/", packages="nosuchpkg")) == [
        ("querystring", "packages", "Invalid packages specified: nosuchpkg")
    ]
    assert errors(get(bworld, "comments/abc")) == [("url", "id", "Comment id must be an int")]
    assert get(bworld, "comments/999").status_code == 404
    listed = get(bworld, "comments/", updates="FEDORA-2024-0000000001").json()
    assert listed["total"] == 1 and listed["chrome"] is True
    comment = listed["comments"][0]
    assert comment["author"] == "tester" and comment["update_alias"] == "FEDORA-2024-0000000001"
    assert "comments" not in comment["update"] and "karma" in comment["update"]
    assert get(bworld, f"comments/{comment['id']}").json()["comment"]["id"] == comment["id"]


def test_catalogue_reads(bworld):
    assert get(bworld, "releases/F41").json()["dist_tag"] == "f41"
    assert get(bworld, "releases/Fedora 41").json()["name"] == "F41"
    assert errors(get(bworld, "releases/F99")) == [("body", "name", "No such release")]
    assert get(bworld, "builds/nano-8.0-1.fc41").json()["release_id"] == 3
    assert errors(get(bworld, "builds/nope-1-1")) == [("body", "nvr", "No such build")]
    assert [b["nvr"] for b in get(bworld, "builds/", packages="vim").json()["builds"]] == [
        "vim-9.0-1.fc41",
        "vim-9.1-1.fc41",
    ]
    assert {"name": "htop", "type": "rpm"} in get(bworld, "packages/").json()["packages"]
    assert get(bworld, "users/packager1").json()["user"]["name"] == "packager1"


def session_with_csrf(bworld):
    session = requests.Session()
    token = session.get(bworld["url"] + "csrf", timeout=5).json()["csrf_token"]
    assert len(token) == 40
    return session, token


def login(bworld, session, user="autoqa"):
    idp = bworld["url"] + f"openidc/as/{user}"
    page = session.get(idp + "/Authorization", params={"state": "s"}, timeout=5).text
    code = page.split("code=", 1)[1].split("&state=", 1)[0]
    access = session.post(
        idp + "/Token", data={"grant_type": "authorization_code", "code": code}, timeout=5
    ).json()["access_token"]
    reply = session.get(
        bworld["url"] + "oidc/login-token", headers={"Authorization": f"Bearer {access}"}, timeout=5
    )
    assert reply.status_code == 202 and "auth_tkt" in session.cookies


def test_comment_writes_validate_like_bodhi(bworld):
    session, token = session_with_csrf(bworld)
    url = bworld["url"] + "comments/"
    assert errors(session.post(url, data={"update": "FEDORA-2024-0000000001", "text": "x"}, timeout=5)) == [
        ("body", "csrf_token", "Required")
    ]
    assert errors(
        session.post(
            url, data={"update": "FEDORA-2024-0000000001", "text": "x", "csrf_token": "no"}, timeout=5
        )
    ) == [("body", "csrf_token", CSRF_MISMATCH)]
    assert errors(session.post(url, data={"text": "x", "csrf_token": token}, timeout=5)) == [
        ("body", "update", "Required")
    ]
    assert errors(
        session.post(
            url, data={"update": "FEDORA-2024-0000000001", "karma": "2", "csrf_token": token}, timeout=5
        )
    ) == [("body", "karma", "2 is greater than maximum value 1")]
    assert errors(
        session.post(
            url, data={"update": "FEDORA-2024-0000000001", "karma": "abc", "csrf_token": token}, timeout=5
        )
    ) == [("body", "karma", '"abc" is not a number')]
    unknown = session.post(
        url, data={"update": "FEDORA-2024-nope", "text": "x", "csrf_token": token}, timeout=5
    )
    assert unknown.status_code == 404 and len(errors(unknown)) == 3
    anonymous = session.post(
        url, data={"update": "FEDORA-2024-0000000001", "text": "x", "csrf_token": token}, timeout=5
    )
    assert anonymous.status_code == 403 and errors(anonymous) == [
        ("body", "email", "You must provide an author")
    ]
    login(bworld, session)
    empty = session.post(url, data={"update": "FEDORA-2024-0000000001", "csrf_token": token}, timeout=5)
    assert errors(empty) == [("body", "comment", "You must provide either some text or feedback")]
    bad_bug = session.post(
        url,
        data={
            "update": "FEDORA-2024-0000000001",
            "text": "x",
            "csrf_token": token,
            "bug_feedback.0.bug_id": "999",
            "bug_feedback.0.karma": "1",
        },
        timeout=5,
    )
    assert errors(bad_bug) == [("querystring", "bug_feedback", "Invalid bug ids specified: 999")]
    as_json = session.post(
        url,
        json={
            "update": "FEDORA-2024-0000000001",
            "text": "via JSON",
            "csrf_token": token,
            "bug_feedback": [{"bug_id": 2300001, "karma": 1}],
        },
        timeout=5,
    )
    assert as_json.status_code == 200
    assert as_json.json()["comment"]["bug_feedback"][0]["bug"]["bug_id"] == 2300001
    feedback = get(bworld, "updates/FEDORA-2024-0000000001").json()["update"]["bugs"][0]["feedback"]
    assert feedback[0]["comment"]["text"] == "via JSON" and "bug_feedback" not in feedback[0]["comment"]


def test_login_token_errors(bworld):
    missing = get(bworld, "oidc/login-token")
    assert missing.status_code == 401 and errors(missing)[0][1] == "MissingAuthorizationError"
    bad = requests.get(
        bworld["url"] + "oidc/login-token", headers={"Authorization": "Bearer nonsense"}, timeout=5
    )
    assert bad.status_code == 401 and errors(bad)[0][1] == "InvalidTokenError"


def test_a_comment_accepted_is_never_lost(bworld):
    session, token = session_with_csrf(bworld)
    login(bworld, session)
    for n in range(20):
        assert (
            session.post(
                bworld["url"] + "comments/",
                data={"update": "FEDORA-2024-0000000002", "text": f"n{n}", "csrf_token": token},
                timeout=5,
            ).status_code
            == 200
        )
    exported = requests.get(f"{bworld['base']}/_control/worlds/{bworld['name']}/export", timeout=10).json()
    update = next(u for u in exported["updates"] if u["alias"] == "FEDORA-2024-0000000002")
    assert [c["text"] for c in update["comments"]] == [f"n{n}" for n in range(20)]
