"""The load drill (issue 20): concurrent writers to each mock service of one world for a while, then what
was acknowledged counted against what the world stores (nothing lost, nothing twice), with latencies.
`bench/reliability.py` runs it for 60 s on SQLite and PostgreSQL; the tests run it for a few seconds."""

from __future__ import annotations

import statistics
import time
import xmlrpc.client
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import requests

UPDATE = "FEDORA-2024-0000000001"


def load_world(writers: int) -> dict[str, Any]:
    """One release, a build per Koji writer to tag and untag, one update to comment on."""
    builds = [{"nvr": f"load{n}-1.0-1.fc41", "tags": ["f41-updates-candidate"]} for n in range(writers)]
    return {
        "name": "load",
        "users": [{"name": "releng", "groups": ["admin"]}, {"name": "autoqa", "groups": ["qa"]}],
        "releases": [{"name": "F41", "version": "41"}],
        "builds": [*builds, {"nvr": "target-1.0-1.fc41", "tags": ["f41-updates-testing"]}],
        "updates": [{"alias": UPDATE, "release": "F41", "builds": ["target-1.0-1.fc41"]}],
    }


def _timed(latencies: list[float], call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    answer = call(*args, **kwargs)
    latencies.append((time.perf_counter() - started) * 1000)
    return answer


def _resultsdb(url: str, writer: int, until: float, latencies: list[float]) -> int:
    session, done = requests.Session(), 0
    while time.perf_counter() < until:
        body = {"outcome": "PASSED", "testcase": f"load.w{writer}", "data": {"item": f"w{writer}-{done}"}}
        answer = _timed(latencies, session.post, f"{url}/results", json=body, timeout=60)
        if answer.status_code == 201:
            done += 1
    return done


def bodhi_login(url: str) -> tuple[str, str]:
    """A Cookie header and CSRF token for `autoqa`, through the mock's OIDC provider."""
    session = requests.Session()
    token = session.get(url + "csrf", timeout=30).json()["csrf_token"]
    page = session.get(url + "openidc/as/autoqa/Authorization", params={"state": "s"}, timeout=30).text
    code = page.split("code=", 1)[1].split("&state=", 1)[0]
    grant = {"grant_type": "authorization_code", "code": code}
    access = session.post(url + "openidc/as/autoqa/Token", data=grant, timeout=30).json()["access_token"]
    session.get(url + "oidc/login-token", headers={"Authorization": f"Bearer {access}"}, timeout=30)
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies), token


def _bodhi(url: str, writer: int, until: float, latencies: list[float], login: tuple[str, str]) -> int:
    session, done = requests.Session(), 0
    cookie, token = login
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    while time.perf_counter() < until:
        form = urlencode(
            {"update": UPDATE, "text": f"load w{writer} #{done}", "karma": 0, "csrf_token": token}
        )
        if _timed(latencies, session.post, f"{url}comments/", data=form, headers=headers, timeout=60).ok:
            done += 1
    return done


def _koji(hub: str, writer: int, until: float, latencies: list[float]) -> int:
    login = xmlrpc.client.ServerProxy(hub, allow_none=True).login("releng", "releng")
    session = f"{hub}?session-id={login['session-id']}&session-key={login['session-key']}"
    done, build = 0, f"load{writer}-1.0-1.fc41"
    while time.perf_counter() < until:
        proxy = xmlrpc.client.ServerProxy(f"{session}&callnum={done + 1}", allow_none=True)
        action = proxy.tagBuild if done % 2 == 0 else proxy.untagBuild
        _timed(latencies, action, "f41-updates-testing", build)  # a fault raises: the drill stops on it
        done += 1
    return done


def drill(base: str, world: str, seconds: float, writers: int = 8) -> dict[str, Any]:
    """`writers` writers per service at once for `seconds`; per service what was acknowledged, what was
    stored, what was lost or stored twice, and p50/p99 latency in ms."""
    w = f"{base}/w/{world}"
    rdb, bodhi, hub = f"{w}/resultsdb/api/v2.0", f"{w}/bodhi/", f"{w}/kojihub"
    login = bodhi_login(bodhi)
    latencies: dict[str, list[float]] = {"resultsdb": [], "bodhi": [], "koji": []}
    until = time.perf_counter() + seconds
    with ThreadPoolExecutor(3 * writers) as pool:
        jobs = {
            "resultsdb": [
                pool.submit(_resultsdb, rdb, n, until, latencies["resultsdb"]) for n in range(writers)
            ],
            "bodhi": [
                pool.submit(_bodhi, bodhi, n, until, latencies["bodhi"], login) for n in range(writers)
            ],
            "koji": [pool.submit(_koji, hub, n, until, latencies["koji"]) for n in range(writers)],
        }
        acknowledged = {service: sum(j.result() for j in found) for service, found in jobs.items()}
    export = requests.get(f"{base}/_control/worlds/{world}/export", timeout=120).json()
    results = [(r["testcase"], r["data"]["item"][0]) for r in export.get("results", [])]
    comments = [
        c["text"]
        for u in export.get("updates", [])
        for c in u.get("comments", [])
        if c["text"].startswith("load ")
    ]
    history = [h for h in export.get("history", []) if h["build"].startswith("load")]
    stored = {"resultsdb": len(set(results)), "bodhi": len(set(comments)), "koji": len(history)}
    twice = {
        "resultsdb": len(results) - len(set(results)),
        "bodhi": len(comments) - len(set(comments)),
        "koji": 0,
    }
    report: dict[str, Any] = {}
    for service, times in latencies.items():
        ordered = sorted(times) or [0.0]
        report[service] = {
            "acknowledged": acknowledged[service],
            "stored": stored[service],
            "lost": acknowledged[service] - stored[service],
            "twice": twice[service],
            "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        }
    return report
