"""Benchmark Koji repositories: a 200-build tag's repodata cold (RPM files cached, metadata not yet
made), cold with the RPM files built too, warm, after a tagging change, and `dnf repoquery` end to end."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path

import requests

from bench.harness import start_host, stop_host, write_results

BUILDS = 200


def world(name: str, builds: int = BUILDS) -> dict:
    """`builds` packages in f41, each one x86_64 RPM that requires the one before (and libc)."""
    items = [
        {
            "nvr": f"pkg{i}-1.0-1.fc41",
            "tags": ["f41"],
            "rpms": [
                {
                    "arch": "x86_64",
                    "requires": ["libc.so.6()(64bit)", *([f"pkg{i - 1}"] if i else [])],
                    "files": [f"/usr/bin/pkg{i}"],
                }
            ],
        }
        for i in range(builds)
    ]
    items.append({"nvr": "late-1.0-1.fc41", "rpms": [{"arch": "x86_64"}]})
    base = {"name": "glibc", "version": "2.40", "provides": ["libc.so.6()(64bit)"]}
    return {
        "name": name,
        "now": "2024-11-02T12:00:00Z",
        "users": [{"name": "releng", "groups": ["admin"]}],
        "releases": [{"name": "F41", "version": "41", "base_packages": [base]}],
        "builds": items,
    }


def timed_get(url: str) -> float:
    started = time.perf_counter()
    answer = requests.get(url, timeout=300)
    answer.raise_for_status()
    return time.perf_counter() - started


def tag(base: str, name: str) -> None:
    """tagBuild through the hub as releng (a password session), so that the tag changes. Plain XML-RPC:
    under bench/, `import koji` is the Koji benchmark."""
    hub = f"{base}/w/{name}/kojihub"
    login = xmlrpc.client.ServerProxy(hub, allow_none=True).login("releng", "releng")
    session = f"{hub}?session-id={login['session-id']}&session-key={login['session-key']}&callnum=1"
    xmlrpc.client.ServerProxy(session, allow_none=True).tagBuild("f41", "late-1.0-1.fc41", True)


def run() -> dict:
    figures: dict = {"builds": BUILDS}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["STAGINGQA_RPM_CACHE"] = cache
        proc, base, _ = start_host()
        try:
            for n, label in enumerate(("cold_with_rpmbuild", "cold")):
                name = f"repos{n}"
                body = json.dumps(world(name))
                assert (
                    requests.put(f"{base}/_control/worlds/{name}", data=body, timeout=60).status_code == 201
                )
                url = f"{base}/w/{name}/kojifiles/repos/f41/latest/x86_64/repodata/repomd.xml"
                if n == 1:  # the same RPM files (built for the first world), the metadata made anew
                    shutil.rmtree(Path(cache) / "_repodata", ignore_errors=True)
                figures[f"repodata_{label}_s"] = round(timed_get(url), 3)
            name = "repos1"
            url = f"{base}/w/{name}/kojifiles/repos/f41/latest/x86_64/repodata/repomd.xml"
            warm = [timed_get(url) for _ in range(21)]
            figures["repodata_warm_ms"] = round(statistics.median(warm) * 1000, 1)
            tag(base, name)
            figures["repodata_after_tagging_s"] = round(timed_get(url), 3)
            figures.update(repoquery(f"{base}/w/{name}/kojifiles/repos/f41/latest/x86_64/"))
        finally:
            stop_host(proc)
            del os.environ["STAGINGQA_RPM_CACHE"]
    write_results("koji_repos", figures)
    return figures


def repoquery(url: str) -> dict:
    """`dnf repoquery --whatprovides` against the repo, from an empty dnf cache, end to end (median of 3)."""
    if shutil.which("dnf") is None:
        return {"dnf_repoquery_s": None}
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            command = [
                "dnf",
                "-q",
                "--nogpgcheck",
                "--setopt=reposdir=/dev/null",
                f"--setopt=cachedir={folder}/c",
                f"--installroot={folder}/root",
                "--releasever=41",
                "--forcearch=x86_64",
                f"--repofrompath=bench,{url}",
                "--repo=bench",
                "repoquery",
                "--whatprovides",
                "pkg199",
            ]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
            times.append(time.perf_counter() - started)
            assert "pkg199-0:1.0-1.fc41.x86_64" in done.stdout, done.stdout + done.stderr
    return {"dnf_repoquery_s": round(statistics.median(times), 2)}
