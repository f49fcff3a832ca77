"""Real RPM files from world entries: their headers, the content-keyed cache, and a missing rpmbuild."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from stagingqa.mocks.koji import rpmbuild
from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.rpmheaders import read_headers, read_identity
from stagingqa.mocks.koji.rpmstrip import NotAnRpm, strip_tags

pytestmark = pytest.mark.skipif(shutil.which("rpmbuild") is None, reason="rpmbuild is needed")


def recipe(**changes):
    fields = dict(
        name="demo",
        epoch=2,
        version="1.10",
        release="3.fc41",
        arch="x86_64",
        summary="Demo package",
        license="MIT",
        requires=("libfoo.so.1()(64bit)", "bar >= 2.0"),
        provides=("demo(x86-64) = 2:1.10-3.fc41", "virtual-demo"),
        obsoletes=("old-demo < 1.0",),
        conflicts=(),
        files=("/usr/bin/demo",),
        buildtime=1730455200,
    )
    fields.update(changes)
    return rpmbuild.Recipe(**fields)


def test_headers_carry_the_world_metadata(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    built = rpmbuild.ensure_built(recipe())
    headers = read_headers(
        built.path,
        [
            "name",
            "epoch",
            "version",
            "release",
            "arch",
            "requires",
            "requireversion",
            "provides",
            "obsoletes",
            "buildtime",
            "summary",
            "license",
        ],
    )
    assert (headers["name"], headers["epoch"], headers["version"], headers["release"], headers["arch"]) == (
        "demo",
        2,
        "1.10",
        "3.fc41",
        "x86_64",
    )
    assert {"libfoo.so.1()(64bit)", "bar"} <= set(headers["requires"]) and "2.0" in headers["requireversion"]
    assert {"demo(x86-64)", "virtual-demo"} <= set(headers["provides"])
    assert headers["obsoletes"] == ["old-demo"] and headers["buildtime"] == 1730455200
    assert built.size == built.path.stat().st_size and len(built.payloadhash) == 32


def test_the_cache_is_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    first = rpmbuild.ensure_built(recipe())
    monkeypatch.setattr(rpmbuild.subprocess, "run", lambda *a, **k: pytest.fail("rebuilt a cached RPM"))
    assert rpmbuild.ensure_built(recipe()) == first
    with pytest.raises(pytest.fail.Exception):
        rpmbuild.ensure_built(recipe(release="4.fc41"))


def test_noarch_and_source_rpms(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    noarch = rpmbuild.ensure_built(recipe(arch="noarch", files=()))
    assert read_headers(noarch.path, ["arch"])["arch"] == "noarch"
    source = rpmbuild.ensure_built(recipe(arch="src", requires=("gcc",)))
    assert source.path.name == "demo-1.10-3.fc41.src.rpm"
    assert "gcc" in read_headers(source.path, ["requires"])["requires"]


def test_missing_rpmbuild_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    monkeypatch.setattr(rpmbuild.shutil, "which", lambda name: None)
    with pytest.raises(
        GenericError, match="rpmbuild is not installed .*apt-get install rpm.*dnf install rpm-build"
    ):
        rpmbuild.ensure_built(recipe())


def test_a_world_that_says_run_this_is_built_as_text_and_runs_nothing(tmp_path, monkeypatch):
    """rpm macros (`%(cmd)` runs a shell), shell substitutions and newlines in what a world says are kept
    as text; the model refuses most of them too, the build escapes them anyway."""
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path / "cache"))
    marker = tmp_path / "ran"
    evil = recipe(
        summary=f"100% done %(touch {marker}-summary)\n%install\ntouch {marker}-line",
        license=f"MIT %(touch {marker}-license)",
        files=(f"/usr/bin/$(touch {marker}-file)", "/opt/`id`"),
    )
    built = rpmbuild.ensure_built(evil)
    assert not list(tmp_path.glob("ran*"))  # nothing ran
    headers = read_headers(built.path, ["summary", "license", "requires", "basenames", "dirnames"])
    assert headers["summary"].startswith(f"100% done %(touch {marker}-summary)")
    assert headers["license"] == f"MIT %(touch {marker}-license)"
    assert "`id`" in headers["basenames"] and any("$(touch" in d for d in headers["dirnames"])
    with pytest.raises(GenericError, match="Dependency tokens must begin"):  # rpm's own refusal
        rpmbuild.ensure_built(recipe(requires=(f"bar %(touch {marker}-dep)",)))
    with pytest.raises(GenericError, match="reads '%' in a file list as a macro"):  # expanded twice there
        rpmbuild.ensure_built(recipe(files=(f"/opt/%(touch {marker}-macro)",)))
    assert not list(tmp_path.glob("ran*"))


@pytest.mark.parametrize("left_out", [("license",), ("summary",), ("summary", "license")])
def test_a_file_without_summary_or_license_is_still_a_whole_rpm(tmp_path, monkeypatch, left_out):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    built = rpmbuild.ensure_built(recipe(leave_out=left_out))
    headers = read_headers(built.path, ["name", "summary", "license", "requires", "buildtime"])
    assert headers["name"] == "demo" and "bar" in headers["requires"] and headers["buildtime"] == 1730455200
    for tag in ("summary", "license"):
        assert (headers[tag] is None) == (tag in left_out), headers
    # rpm itself reads it, and its digests match the rewritten header (what Koji's payloadhash says)
    checked = subprocess.run(["rpm", "-K", str(built.path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "digests OK" in checked.stdout, checked.stdout + checked.stderr
    queried = subprocess.run(
        ["rpm", "-qp", "--qf", "%{NAME}|%{SUMMARY}|%{LICENSE}|%{REQUIRENAME}", str(built.path)],
        capture_output=True, text=True,
    )  # fmt: skip
    name, summary, license_, require = queried.stdout.split("|")
    assert queried.returncode == 0 and (name, require) == ("demo", "bar")  # the first of its requires
    assert (summary == "(none)") == ("summary" in left_out)
    assert (license_ == "(none)") == ("license" in left_out)
    assert built.payloadhash == read_identity(built.path)["payloadhash"]
    assert rpmbuild.ensure_built(recipe()).path != built.path  # another file than the one with both


def test_strip_refuses_what_is_not_an_rpm(tmp_path):
    (tmp_path / "x.rpm").write_bytes(b"not an rpm at all" * 10)
    with pytest.raises(NotAnRpm, match="no RPM lead"):
        strip_tags(tmp_path / "x.rpm", ["license"])


def test_a_subpackage_names_its_builds_source_rpm(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGINGQA_RPM_CACHE", str(tmp_path))
    built = rpmbuild.ensure_built(recipe(name="libdemo", source="demo", provides=("libdemo.so.1()(64bit)",)))
    headers = read_headers(built.path, ["name", "sourcerpm", "provides", "requires", "summary"])
    assert built.path.name == "libdemo-1.10-3.fc41.x86_64.rpm"
    assert (headers["name"], headers["sourcerpm"]) == ("libdemo", "demo-1.10-3.fc41.src.rpm")  # as in Koji
    assert "libdemo.so.1()(64bit)" in headers["provides"] and "bar" in headers["requires"]
    assert headers["summary"] == "Demo package"
    alone = rpmbuild.ensure_built(recipe(name="libdemo"))
    assert read_headers(alone.path, ["sourcerpm"])["sourcerpm"] == "libdemo-1.10-3.fc41.src.rpm"
