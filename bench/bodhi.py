"""Benchmark the mock Bodhi on a world of 1,000 updates: a filtered update query and POST /comments/."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import requests

from bench.harness import requests_per_second, start_host, stop_host, write_results

UPDATES = 1000


def big_world() -> dict:
    """1,000 updates over three releases, one build each, a quarter of them in testing with a comment."""
    releases = [{"name": f"F{v}", "version": str(v)} for v in (40, 41, 42)]
    builds, updates = [], []
    statuses = ("testing", "pending", "stable", "obsolete")
    for i in range(UPDATES):
        version = 40 + i % 3
        status = statuses[(i // 3) % 4]
        tag = {"testing": "updates-testing", "stable": "updates"}.get(status, "updates-candidate")
        nvr = f"pkg{i}-1.0-1.fc{version}"
        builds.append({"nvr": nvr, "tags": [f"f{version}-{tag}"]})
        updates.append(
            {
                "alias": f"FEDORA-2024-{i:010d}",
                "release": f"F{version}",
                "builds": [nvr],
                "status": status,
                "comments": [{"user": "tester", "text": "ok", "karma": 1}],
            }
        )
    return {
        "name": "bodhibench",
        "now": "2024-11-02T12:00:00Z",
        "releases": releases,
        "builds": builds,
        "updates": updates,
    }


def logged_in_cookies(url: str) -> tuple[str, str]:
    """A Cookie header (auth_tkt + session) and its CSRF token, signed so that any process can reuse them."""
    session = requests.Session()
    token = session.get(url + "csrf").json()["csrf_token"]
    page = session.get(url + "openidc/as/autoqa/Authorization", params={"state": "s"}).text
    code = page.split("code=", 1)[1].split("&state=", 1)[0]
    access = session.post(
        url + "openidc/as/autoqa/Token", data={"grant_type": "authorization_code", "code": code}
    ).json()["access_token"]
    session.get(url + "oidc/login-token", headers={"Authorization": f"Bearer {access}"})
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    return cookie, token


def run() -> dict:
    proc, base, _ = start_host()
    try:
        started = time.perf_counter()
        assert (
            requests.put(
                f"{base}/_control/worlds/bodhibench", data=json.dumps(big_world()), timeout=300
            ).status_code
            == 201
        )
        figures: dict = {"world_load_1000_updates_s": round(time.perf_counter() - started, 2)}
        url = f"{base}/w/bodhibench/bodhi/"
        cookie, token = logged_in_cookies(url)
        form = urlencode(
            {
                "update": "FEDORA-2024-0000000001",
                "text": "AutoQA: depcheck test PASSED.",
                "karma": 0,
                "csrf_token": token,
            }
        )
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        for clients in (1, 4):
            figures[f"health_rps_{clients}"] = round(requests_per_second(f"{base}/_control/health", clients))
            figures[f"query_updates_rps_{clients}"] = round(
                requests_per_second(f"{url}updates/?releases=F41&status=testing", clients)
            )
            figures[f"post_comment_rps_{clients}"] = round(
                requests_per_second(f"{url}comments/", clients, method="POST", body=form, headers=headers)
            )
        figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    finally:
        stop_host(proc)
    write_results("bodhi", figures)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
