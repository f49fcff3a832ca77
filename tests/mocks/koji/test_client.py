"""The unmodified koji.ClientSession against the mock hub, method by method."""

from __future__ import annotations

import datetime as dt

import koji
import pytest

BUILD_KEYS = {
    "id",
    "build_id",
    "package_id",
    "package_name",
    "name",
    "version",
    "release",
    "epoch",
    "nvr",
    "draft",
    "state",
    "task_id",
    "owner_id",
    "owner_name",
    "promoter_id",
    "promoter_name",
    "volume_id",
    "volume_name",
    "creation_event_id",
    "creation_time",
    "start_time",
    "completion_time",
    "promotion_time",
    "creation_ts",
    "start_ts",
    "completion_ts",
    "promotion_ts",
    "source",
    "extra",
    "cg_id",
    "cg_name",
}
TAGGED_KEYS = {
    "tag_id",
    "tag_name",
    "id",
    "build_id",
    "version",
    "release",
    "epoch",
    "state",
    "completion_time",
    "promotion_time",
    "start_time",
    "task_id",
    "draft",
    "owner_id",
    "owner_name",
    "promoter_id",
    "promoter_name",
    "creation_event_id",
    "creation_time",
    "volume_id",
    "volume_name",
    "package_id",
    "package_name",
    "name",
    "nvr",
    "create_event",
}
RPM_KEYS = {
    "id",
    "name",
    "version",
    "release",
    "nvr",
    "arch",
    "epoch",
    "draft",
    "payloadhash",
    "size",
    "buildtime",
    "build_id",
    "buildroot_id",
    "external_repo_id",
    "external_repo_name",
    "metadata_only",
    "extra",
}


def test_meta(hub):
    assert hub.hello() == "Hello World"
    assert hub.getAPIVersion() == koji.API_VERSION
    assert hub.getKojiVersion() == "1.36.1"
    assert hub.hub_version_str == "1.36.1"  # from the Koji-Version header
    assert set(hub.getLastEvent()) == {"id", "ts"}


def test_get_build_shape_and_strictness(hub):
    build = hub.getBuild("bash-5.2.32-1.fc41")
    assert set(build) == BUILD_KEYS and len(build) == 31
    assert build["epoch"] == 1 and build["state"] == koji.BUILD_STATES["COMPLETE"]
    assert build["id"] == build["build_id"] and build["package_name"] == build["name"] == "bash"
    assert isinstance(build["completion_ts"], float)
    assert dt.datetime.fromisoformat(build["completion_time"]).tzinfo is not None
    assert hub.getBuild(build["id"])["nvr"] == "bash-5.2.32-1.fc41"
    assert hub.getBuild({"name": "bash", "version": "5.2.32", "release": "1.fc41"})["id"] == build["id"]
    assert hub.getBuild("nope-1-1") is None
    with pytest.raises(koji.GenericError, match=r"No such build: 'nope-1-1'"):
        hub.getBuild("nope-1-1", strict=True)
    with pytest.raises(koji.GenericError, match="No such build: 424242"):
        hub.getBuild(424242, strict=True)
    with pytest.raises(koji.GenericError, match="invalid format: 1001"):
        hub.getBuild("1001")


def test_list_builds(hub):
    rows = hub.listBuilds(packageID=hub.getPackageID("bash"))
    assert [r["nvr"] for r in rows] == ["bash-5.2.26-1.fc41", "bash-5.2.32-1.fc41", "bash-5.2.21-1.fc41"]
    assert "id" not in rows[0] and len(rows[0]) == 28
    assert [r["nvr"] for r in hub.listBuilds(state=koji.BUILD_STATES["FAILED"])] == ["broken-1.0-1.fc41"]
    assert hub.listBuilds(packageID="no-such-package") == []
    assert hub.listBuilds(prefix="PYTH", queryOpts={"countOnly": True}) == 1
    assert [r["nvr"] for r in hub.listBuilds(pattern="bash-5.2.2*")] == [
        "bash-5.2.26-1.fc41",
        "bash-5.2.21-1.fc41",
    ]


def test_list_tagged_and_latest_semantics(hub):
    tagged = hub.listTagged("f41-updates")
    assert set(tagged[0]) == TAGGED_KEYS
    assert [r["nvr"] for r in tagged] == [
        "legacy-tool-1.0-1.fc41",
        "bash-5.2.21-1.fc41",
        "bash-5.2.32-1.fc41",
    ]
    # most recently tagged, not highest version
    assert [r["nvr"] for r in hub.listTagged("f41-updates", latest=True, package="bash")] == [
        "bash-5.2.21-1.fc41"
    ]
    inherited = hub.listTagged("f41-build", inherit=True, latest=True)
    assert {r["nvr"]: r["tag_name"] for r in inherited} == {
        "bash-5.2.21-1.fc41": "f41-updates",
        "python3-3.12.4-1.fc41": "f41",
        "legacy-tool-1.0-1.fc41": "f41-updates",
    }
    assert [r["nvr"] for r in hub.getLatestBuilds("f41", package="bash")] == ["bash-5.2.26-1.fc41"]
    assert hub.listTagged("f41-updates", prefix="pyth") == []
    assert hub.listTagged("no-such-tag", strict=False) == []
    with pytest.raises(koji.GenericError, match="No such tagInfo: 'no-such-tag'"):
        hub.listTagged("no-such-tag")
    with pytest.raises(koji.GenericError, match="No such entry in table tag: no-such-tag"):
        hub.getLatestBuilds("no-such-tag")


def test_blocked_packages_are_never_latest(hub):
    assert [r["nvr"] for r in hub.listTagged("f41", inherit=True, latest=True)] == [
        "python3-3.12.4-1.fc41",
        "bash-5.2.26-1.fc41",
    ]
    assert hub.checkTagPackage("f41", "legacy-tool") is False
    assert hub.getPackageConfig("f41", "legacy-tool")["blocked"] is True


def test_tags_and_inheritance(hub):
    tag = hub.getTag("f41-build")
    assert set(tag) == {
        "id",
        "name",
        "perm_id",
        "perm",
        "arches",
        "locked",
        "maven_support",
        "maven_include_all",
        "extra",
    }
    assert tag["arches"] == "x86_64 aarch64"
    assert hub.getTag("nope") is None and hub.getTag("10") is None
    with pytest.raises(koji.GenericError, match="No such tagInfo"):
        hub.getTag("nope", strict=True)
    assert [p["name"] for p in hub.getFullInheritance("f41-build")] == ["f41-override", "f41-updates", "f41"]
    assert [p["name"] for p in hub.getInheritanceData("f41-build")] == ["f41-override", "f41-updates", "f41"]
    assert "bash" in {r["package_name"] for r in hub.listPackages(tagID="f41")}
    assert {r["name"] for r in hub.listTags(build="bash-5.2.32-1.fc41")} == {
        "f41-updates-candidate",
        "f41-updates",
    }
    with pytest.raises(koji.GenericError, match="No such build"):
        hub.listTags(build="nope-1-1")
    assert hub.getPackage("bash")["name"] == "bash" and hub.getPackage("nope") is None


def test_targets(hub):
    target = hub.getBuildTarget("f41")
    assert target["build_tag_name"] == "f41-build" and target["dest_tag_name"] == "f41-updates-candidate"
    assert {t["name"] for t in hub.getBuildTargets()} == {"f40", "f41"}
    assert hub.getBuildTarget("nope") is None


def test_rpms_match_the_served_files(hub):
    build = hub.getBuild("python3-3.12.4-1.fc41")
    rpms = hub.listRPMs(buildID=build["id"])
    assert {r["nvr"] for r in rpms} == {
        "python3-3.12.4-1.fc41",
        "python3-libs-3.12.4-1.fc41",
        "python3-docs-3.12.4-1.fc41",
    }
    assert set(rpms[0]) == RPM_KEYS and all(len(r["payloadhash"]) == 32 and r["size"] > 0 for r in rpms)
    assert [r["arch"] for r in hub.listRPMs(buildID=build["id"], arches=["noarch"])] == ["noarch"]
    assert hub.listBuildRPMs("python3-3.12.4-1.fc41") == rpms
    one = hub.getRPM("python3-libs-3.12.4-1.fc41.x86_64.rpm")
    assert "nvr" not in one and one["name"] == "python3-libs"
    assert hub.getRPM("python3-3.12.4-1.fc41") is None  # 'fc41' is read as the arch
    with pytest.raises(koji.GenericError, match="No such rpm"):
        hub.getRPM("nope-1-1.x86_64", strict=True)
    headers = hub.getRPMHeaders(rpmID="python3-3.12.4-1.fc41.x86_64", headers=["Name", "requires", "summary"])
    assert headers["Name"] == "python3" and "python3-libs" in headers["requires"]
    assert headers["summary"] == "Python 3"
    with pytest.raises(koji.GenericError, match="No such rpm header field: nonsense"):
        hub.getRPMHeaders(rpmID=one["id"], headers=["nonsense"])
    assert hub.getRPMHeaders(rpmID="nope-1-1.x86_64") == {}
    # every dependency with its version and flags (rpm's own rpmlib() requires included), as koji has them
    deps = hub.getRPMDeps("python3-libs-3.12.4-1.fc41.x86_64")
    provides = {(d["name"], d["version"], d["flags"]) for d in deps if d["type"] == koji.DEP_PROVIDE}
    assert ("libpython3.12.so.1.0()(64bit)", "", 0) in provides
    assert ("python3-libs", "3.12.4-1.fc41", 8) in provides  # RPMSENSE_EQUAL
    requires = [d for d in deps if d["type"] == koji.DEP_REQUIRE]
    assert any(d["name"].startswith("rpmlib(") and d["flags"] & 2 for d in requires)  # <=
    assert all(isinstance(d["flags"], int) for d in deps)


def test_tasks(hub):
    build = hub.getBuild("python3-3.12.4-1.fc41")
    task = hub.getTaskInfo(build["task_id"], request=True)
    assert task["method"] == "build" and task["request"][0].startswith("git+https://")
    children = hub.getTaskChildren(build["task_id"])
    assert {c["arch"] for c in children} == {"x86_64", "noarch"}
    x86 = next(c for c in children if c["arch"] == "x86_64")
    assert set(hub.listTaskOutput(x86["id"])) == {
        "python3-3.12.4-1.fc41.x86_64.rpm",
        "python3-libs-3.12.4-1.fc41.x86_64.rpm",
        "build.log",
        "root.log",
    }
    assert hub.listTaskOutput(x86["id"], stat=True)["build.log"]["st_size"] == "0"
    assert hub.getTaskInfo(1) is None
    with pytest.raises(koji.GenericError, match="Task doesn't exist"):
        hub.listTaskOutput(1, strict=True)


def test_users(hub):
    user = hub.getUser("releng")
    assert set(user) == {"id", "name", "status", "usertype", "krb_principals"}
    assert hub.getUser("nobody") is None
    assert hub.getLoggedInUser() is None


def test_kwargs_nil_and_large_integers(hub):
    assert hub.echo(2**40, None, -(2**35)) == [2**40, None, -(2**35)]
    with pytest.raises(
        koji.ParameterError, match="getBuild\\(\\) got an unexpected keyword argument 'bogus'"
    ):
        hub.getBuild("bash-5.2.26-1.fc41", bogus=True)
    with pytest.raises(koji.GenericError, match="Invalid method: noSuchCall"):
        hub.noSuchCall()


def test_multicall_both_styles(hub):
    with hub.multicall() as m:
        good = m.getBuild("bash-5.2.26-1.fc41")
        bad = m.getBuild("nope-1-1", strict=True)
    assert good.result["nvr"] == "bash-5.2.26-1.fc41"
    with pytest.raises(koji.GenericError, match="No such build"):
        bad.result
    hub.multicall = True
    hub.listTagged("f41-updates", package="bash", latest=True)
    hub.getBuild("x")
    legacy = hub.multiCall()
    assert legacy[0][0][0]["nvr"] == "bash-5.2.21-1.fc41"
    assert legacy[1]["faultCode"] == 1000 and legacy[1]["faultString"] == "invalid format: x"


def test_side_tags_and_bad_lookup_values(hub):
    assert hub.listSideTags() == [
        {
            "id": hub.getTagID("f41-build-side-1234"),
            "name": "f41-build-side-1234",
            "user_id": "1",
            "user_name": "packager1",
        }
    ]
    assert hub.listSideTags(basetag="f40") == []
    with pytest.raises(koji.ParameterError, match="Invalid name or id value"):
        hub.getTag(["f41"])
    with pytest.raises(koji.GenericError, match="Invalid type for argument"):
        hub.getBuild(["bash"])
