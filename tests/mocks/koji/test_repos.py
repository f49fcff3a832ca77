"""Koji's repositories of a world, read by the real consumers: koji.ClientSession, `koji wait-repo` and
`koji regen-repo`, the distribution's dnf, and libsolv's Python bindings."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import time
from pathlib import Path

import koji
import pytest
import requests

from tests.conftest import RESOURCES

KOJI = str(Path(sys.executable).with_name("koji"))
WORLD = (RESOURCES / "worlds" / "repos.yaml").read_bytes()


@pytest.fixture
def rworld(served):
    name = f"repos{time.monotonic_ns()}"
    assert requests.put(f"{served}/_control/worlds/{name}", data=WORLD, timeout=30).status_code == 201
    base = f"{served}/w/{name}"
    yield {"hub": f"{base}/kojihub", "topurl": f"{base}/kojifiles", "base": served, "name": name}
    requests.delete(f"{served}/_control/worlds/{name}", timeout=10)


def journal(world) -> list[dict]:
    return requests.get(f"{world['base']}/_control/worlds/{world['name']}/journal", timeout=10).json()


def repo_url(world, tag: str, arch: str, which: str = "latest") -> str:
    return f"{world['topurl']}/repos/{tag}/{which}/{arch}/"


def test_get_repo_is_stable_until_tagging_moves_it(rworld):
    hub = koji.ClientSession(rworld["hub"])
    first = hub.getRepo("f41-updates")
    assert first["state"] == koji.REPO_STATES["READY"] and first["tag_name"] == "f41-updates"
    assert hub.getRepo("f41-updates")["id"] == first["id"] == hub.repoInfo(first["id"])["id"]
    assert hub.tagLastChangeEvent("f41-updates") == first["create_event"]
    made = [e for e in journal(rworld) if e.get("repos")]
    assert made[0]["repos"] == [
        {
            "tag": "f41-updates",
            "repo": first["id"],
            "create_event": first["create_event"],
            "reason": "first request",
        }
    ]
    auth = koji.ClientSession(rworld["hub"])
    auth.opts["user"], auth.opts["password"] = "releng", "releng"
    auth.login()
    auth.tagBuild("f41-updates", "broken-1.0-1.fc41")
    second = hub.getRepo("f41-updates")
    assert second["id"] != first["id"] and second["create_event"] > first["create_event"]
    assert hub.repoInfo(first["id"])["state"] == koji.REPO_STATES["EXPIRED"]
    assert [e["repos"][0]["reason"] for e in journal(rworld) if e.get("repos")][-1] == "tag changed"
    with pytest.raises(koji.GenericError, match="No such tagInfo: 'nosuchtag'"):
        hub.getRepo("nosuchtag")
    assert hub.repoInfo(999) is None


def test_repodata_lists_the_latest_builds_with_inheritance_noarch_everywhere(rworld):
    import createrepo_c as cr

    def names(arch: str) -> dict[str, str]:
        repomd = requests.get(repo_url(rworld, "f41-updates", arch) + "repodata/repomd.xml", timeout=30)
        assert repomd.status_code == 200 and repomd.headers["Content-Type"].startswith("text/xml")
        href = next(line for line in repomd.text.splitlines() if "primary.xml.gz" in line).split('"')[1]
        primary = requests.get(repo_url(rworld, "f41-updates", arch) + href, timeout=30).content
        packages: dict[str, str] = {}

        def keep(package):
            packages[package.name] = f"{package.version}-{package.release}.{package.arch}"

        path = Path(f"/tmp/primary-{rworld['name']}-{arch}.xml.gz")
        path.write_bytes(primary)
        cr.xml_parse_primary(str(path), pkgcb=keep, do_files=False)
        return packages

    x86 = names("x86_64")
    assert x86["htop"] == "3.3.0-1.fc41.x86_64"  # f41-updates' own build over f41's older one
    assert x86["ncurses-libs"] == "6.4-12.fc41.x86_64"  # inherited from f41
    assert x86["scripts"] == "1.0-1.fc41.noarch" and x86["glibc"] == "2.40-1.fc41.x86_64"  # a base package
    assert "broken" not in x86  # only in f41-updates-candidate
    arm = names("aarch64")
    assert arm["scripts"] == "1.0-1.fc41.noarch" and arm["htop"] == "3.3.0-1.fc41.aarch64"
    assert set(names("src")) == {"ncurses"}
    for url in (
        f"{rworld['topurl']}/repos/nosuchtag/latest/x86_64/repodata/repomd.xml",
        f"{rworld['topurl']}/repos/f41-updates/999/x86_64/repodata/repomd.xml",
        f"{rworld['topurl']}/repos/f41-updates/latest/s390x/repodata/repomd.xml",
    ):
        assert requests.get(url, timeout=30).status_code == 404


@pytest.fixture
def cli(rworld, tmp_path):
    config = tmp_path / "koji.conf"
    config.write_text(
        f"[mock]\nserver = {rworld['hub']}\ntopurl = {rworld['topurl']}\nweburl = {rworld['base']}\n"
        "poll_interval = 1\n"
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                KOJI,
                "-c",
                str(config),
                "-p",
                "mock",
                "--authtype",
                "password",
                "--user",
                "releng",
                "--password",
                "releng",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_koji_wait_repo_and_regen_repo(cli, rworld):
    hub = koji.ClientSession(rworld["hub"])
    before = hub.getRepo("f41-build")
    waited = cli("--noauth", "wait-repo", "f41-build", "--build", "htop-3.3.0-1.fc41")
    assert waited.returncode == 0, waited.stderr
    assert f"Got repo {before['id']}" in waited.stdout
    # koji 1.36 on a 1.35+ hub: regen-repo asks for a current repo (repo.request), which this one is
    current = cli("regen-repo", "f41-build")
    assert current.returncode == 0, current.stderr
    assert f"Got repo {before['id']}" in current.stdout
    # --make-task: a newRepo task, done at once, and a new repo
    made = cli("regen-repo", "--make-task", "--nowait", "f41-build")
    assert made.returncode == 0, made.stderr
    task_id = int(made.stdout.split("Created task: ")[1].split()[0])
    assert hub.getTaskInfo(task_id)["method"] == "newRepo" and hub.taskFinished(task_id)
    regenerated = hub.getRepo("f41-build")
    assert regenerated["id"] > before["id"] and regenerated["task_id"] == task_id
    watched = cli("regen-repo", "--make-task", "f41-build")
    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert hub.getRepo("f41-build")["id"] > regenerated["id"]


@pytest.mark.skipif(shutil.which("dnf") is None, reason="needs the distribution's dnf")
def test_dnf_reads_the_repository(rworld, tmp_path):
    dnf = [
        "dnf",
        "--nogpgcheck",  # the mock's RPMs are unsigned
        "--setopt=reposdir=/dev/null",
        f"--setopt=cachedir={tmp_path}/cache",
        f"--installroot={tmp_path}/root",
        "--releasever=41",
        "--forcearch=x86_64",
        f"--repofrompath=mock,{repo_url(rworld, 'f41-updates', 'x86_64')}",
        "--repo=mock",
    ]
    provides = subprocess.run(
        [*dnf, "repoquery", "--whatprovides", "libc.so.6()(64bit)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert provides.returncode == 0, provides.stderr
    assert "glibc-0:2.40-1.fc41.x86_64" in provides.stdout
    install = subprocess.run(
        [*dnf, "install", "--assumeno", "htop"], capture_output=True, text=True, timeout=120
    )
    text = install.stdout + install.stderr
    assert "Operation aborted" in text and "Error: Problem" not in text, text
    for package in ("htop", "ncurses-libs", "glibc"):
        assert package in text


def test_libsolv_resolves_against_the_repository(rworld, tmp_path):
    import solv

    pool = solv.Pool()
    pool.setarch("x86_64")
    repo = pool.add_repo("mock")
    base = repo_url(rworld, "f41-updates-candidate", "x86_64")
    repomd = tmp_path / "repomd.xml"
    repomd.write_bytes(requests.get(base + "repodata/repomd.xml", timeout=30).content)
    href = next(line for line in repomd.read_text().splitlines() if "primary.xml.gz" in line).split('"')[1]
    primary = tmp_path / "primary.xml"
    primary.write_bytes(gzip.decompress(requests.get(base + href, timeout=30).content))
    handle = solv.xfopen(str(primary))
    repo.add_rpmmd(handle, None)
    handle.close()
    pool.createwhatprovides()

    def problems(name: str) -> list[str]:
        jobs = pool.select(name, solv.Selection.SELECTION_NAME).jobs(solv.Job.SOLVER_INSTALL)
        solver = pool.Solver()  # kept while its problems are read: they point into it
        return [str(p) for p in solver.solve(jobs)]

    assert problems("htop") == []
    [problem] = problems("broken")
    assert "libmissing.so.1()(64bit)" in problem
