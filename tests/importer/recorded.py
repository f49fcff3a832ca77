"""Answers shaped as the real services give them (../shared/reference: Bodhi's real update sample, Koji's
getBuild keys, ResultsDB's result shape), served in process by `responses` as a replay of production."""

# ruff: noqa: E501  (recorded answers, one object a line as the references print them)
from __future__ import annotations

import copy
import json
import xmlrpc.client
from typing import Any

import responses

KOJI = "https://koji.fedoraproject.org/kojihub"
BODHI = "https://bodhi.fedoraproject.org/"
RESULTSDB = "https://resultsdb.fedoraproject.org/api/v2.0"
ALIAS = "FEDORA-2024-abcdef0123"

RELEASE_F41 = {
    "name": "F41", "long_name": "Fedora 41", "version": "41", "id_prefix": "FEDORA", "branch": "f41",
    "dist_tag": "f41", "stable_tag": "f41-updates", "testing_tag": "f41-updates-testing",
    "candidate_tag": "f41-updates-candidate", "pending_signing_tag": "f41-signing-pending",
    "pending_testing_tag": "f41-updates-testing-pending", "pending_stable_tag": "f41-updates-pending",
    "override_tag": "f41-override", "mail_template": "fedora_errata_template", "state": "current",
    "composed_by_bodhi": True, "create_automatic_updates": False, "package_manager": "dnf",
    "testing_repository": "updates-testing", "released_on": None, "eol": None,
    "critpath_mandatory_days_in_testing": 14, "mandatory_days_in_testing": 7, "critpath_min_karma": 2,
    "min_karma": 2, "setting_status": None,
}  # fmt: skip
RELEASE_F42 = {
    **{k: (v.replace("41", "42") if isinstance(v, str) else v) for k, v in RELEASE_F41.items()},
    "state": "pending",
}
RELEASE_F40 = {
    **{k: (v.replace("41", "40") if isinstance(v, str) else v) for k, v in RELEASE_F41.items()},
}


def _user(name: str, uid: int, groups: list[str]) -> dict[str, Any]:
    return {
        "name": name, "email": f"{name}@example.com", "id": uid,
        "avatar": "https://seccdn.libravatar.org/avatar/x?s=24&d=retro", "openid": f"{name}.id.fedoraproject.org",
        "groups": [{"name": g} for g in groups],
    }  # fmt: skip


UPDATE = {
    "autokarma": False, "autotime": False, "stable_karma": 3, "stable_days": 0, "unstable_karma": -3,
    "require_bugs": False, "require_testcases": False, "display_name": "", "notes": "Update htop to 3.3.0",
    "type": "enhancement", "status": "pending", "request": "testing", "severity": "low", "suggest": "unspecified",
    "locked": False, "pushed": False, "critpath": False, "critpath_groups": None, "close_bugs": True,
    "date_submitted": "2024-11-02 10:00:00", "date_modified": None, "date_approved": None, "date_testing": None,
    "date_stable": None, "alias": ALIAS, "test_gating_status": "failed", "from_tag": None, "date_pushed": None,
    "meets_testing_requirements": False, "url": f"{BODHI}updates/{ALIAS}", "title": "htop-3.3.0-1.fc41",
    "version_hash": "bf993c672856b9de4402e55141aa0f87c3a3eb64", "release": RELEASE_F41,
    "user": _user("packager1", 1, ["packager"]),
    "comments": [
        {"karma": 0, "karma_critpath": 0, "text": "rpmlint: PASSED\nupgradepath: PASSED",
         "timestamp": "2024-11-02 11:22:29", "update_id": 1, "user_id": 2, "id": 1, "bug_feedback": [],
         "testcase_feedback": [], "user": _user("autoqa", 2, ["qa"])},
        {"karma": -1, "karma_critpath": 0, "text": "crashes on start", "timestamp": "2024-11-02 11:25:00",
         "update_id": 1, "user_id": 4, "id": 7,
         "bug_feedback": [{"karma": -1, "comment_id": 7, "bug_id": 2300001,
                           "bug": {"bug_id": 2300001, "title": "htop crashes", "security": False, "parent": False}}],
         "testcase_feedback": [], "user": _user("tester", 4, ["packager"])},
        {"karma": 0, "karma_critpath": 0, "text": "This update's test gating status has been changed to 'failed'.",
         "timestamp": "2024-11-02 11:28:36", "update_id": 1, "user_id": 3, "id": 11, "bug_feedback": [],
         "testcase_feedback": [], "user": {**_user("bodhi", 3, []), "email": None}},
    ],
    "builds": [{"nvr": "htop-3.3.0-1.fc41", "signed": True, "release_id": 1, "type": "rpm", "epoch": 0}],
    "bugs": [{"bug_id": 2300001, "title": "htop crashes", "security": False, "parent": False, "feedback": []}],
    "updateid": ALIAS, "karma": -1, "content_type": "rpm", "test_cases": [],
}  # fmt: skip


def _build(build_id: int, name: str, version: str, release: str, completed: float) -> dict[str, Any]:
    """getBuild's 31 keys (koji-hub.md §11.2)."""
    return {
        "id": build_id, "build_id": build_id, "package_id": 100 + build_id, "package_name": name, "name": name,
        "version": version, "release": release, "epoch": None, "nvr": f"{name}-{version}-{release}",
        "draft": False, "state": 1, "task_id": 5000 + build_id, "owner_id": 1, "owner_name": "packager1",
        "promoter_id": None, "promoter_name": None, "volume_id": 0, "volume_name": "DEFAULT",
        "creation_event_id": 900 + build_id, "creation_time": "2024-11-01 09:00:00+00:00",
        "start_time": "2024-11-01 09:00:00+00:00", "completion_time": "2024-11-01 10:00:00+00:00",
        "promotion_time": None, "creation_ts": completed - 3600, "start_ts": completed - 3600,
        "completion_ts": completed, "promotion_ts": None,
        "source": f"git+https://src.fedoraproject.org/rpms/{name}.git#0123abcd", "extra": {"source": {}},
        "cg_id": None, "cg_name": None,
    }  # fmt: skip


def _rpm(rpm_id: int, build: dict[str, Any], arch: str, name: str | None = None) -> dict[str, Any]:
    return {
        "id": rpm_id, "name": name or build["name"], "version": build["version"], "release": build["release"],
        "nvr": f"{name or build['name']}-{build['version']}-{build['release']}", "arch": arch, "epoch": None,
        "draft": False, "payloadhash": "0" * 32, "size": 123456, "buildtime": 1730451600,
        "build_id": build["id"], "buildroot_id": 77, "external_repo_id": 0, "external_repo_name": "INTERNAL",
        "metadata_only": False, "extra": None,
    }  # fmt: skip


HTOP = _build(2601, "htop", "3.3.0", "1.fc41", 1730455200.0)
HTOP_OLD = _build(2500, "htop", "3.2.2", "1.fc41", 1720000000.0)
HTOP_NEXT = _build(2700, "htop", "3.3.1", "1.fc42", 1731000000.0)
RPMS = {
    HTOP["id"]: [_rpm(1, HTOP, "x86_64"), _rpm(2, HTOP, "src")],
    HTOP_OLD["id"]: [_rpm(3, HTOP_OLD, "x86_64")],
    HTOP_NEXT["id"]: [_rpm(4, HTOP_NEXT, "x86_64")],
}
RPMLIB = [  # what rpmbuild adds to every package: never written into the world
    {"name": "rpmlib(CompressedFileNames)", "version": "3.0.4-1", "flags": 16777226, "type": 0},
    {"name": "rpmlib(PayloadFilesHavePrefix)", "version": "4.0-1", "flags": 16777226, "type": 0},
]


def _deps(rpm: dict[str, Any]) -> list[dict[str, Any]]:
    evr = f"{rpm['version']}-{rpm['release']}"
    own = [
        {"name": rpm["name"], "version": evr, "flags": 8, "type": 1},
        {"name": f"{rpm['name']}(x86-64)", "version": evr, "flags": 8, "type": 1},
    ]
    if rpm["arch"] == "src":
        return [{"name": "ncurses-devel", "version": "", "flags": 0, "type": 0}, *RPMLIB]
    needs = [
        {"name": "libc.so.6()(64bit)", "version": "", "flags": 16384, "type": 0},
        {"name": "ncurses-libs", "version": "6.4", "flags": 12, "type": 0},  # >=
        {"name": "/usr/bin/sh", "version": "", "flags": 0, "type": 0},
    ]
    return [*needs, *RPMLIB, *own, {"name": "htop-legacy", "version": "3", "flags": 2, "type": 2}]


def _tag(tag_id: int, name: str, arches: str | None = None) -> dict[str, Any]:
    return {
        "id": tag_id, "name": name, "perm_id": None, "perm": None, "arches": arches, "locked": False,
        "maven_support": False, "maven_include_all": False, "extra": {},
    }  # fmt: skip


TAGS = {
    t["name"]: t
    for t in [
        _tag(10, "f41"), _tag(11, "f41-updates"), _tag(12, "f41-updates-testing"), _tag(13, "f41-updates-candidate"),
        _tag(14, "f41-signing-pending"), _tag(15, "f41-updates-testing-pending"), _tag(16, "f41-updates-pending"),
        _tag(17, "f41-override"), _tag(20, "f42"), _tag(21, "f42-updates"), _tag(22, "f42-updates-testing"),
        _tag(23, "f42-updates-candidate"), _tag(24, "f42-signing-pending"), _tag(25, "f42-updates-testing-pending"),
        _tag(26, "f42-updates-pending"), _tag(27, "f42-override"),
    ]
}  # fmt: skip
PARENTS = {  # as Fedora's Koji has them (world.md derives the same)
    "updates": "", "updates-testing": "updates", "updates-candidate": "updates",
    "updates-testing-pending": "updates-testing", "updates-pending": "updates", "signing-pending": "updates-candidate",
}  # fmt: skip


def _inheritance(name: str) -> list[dict[str, Any]]:
    stem, _, suffix = name.partition("-")
    if suffix not in PARENTS:
        return []
    parent = stem + (f"-{PARENTS[suffix]}" if PARENTS[suffix] else "")
    return [
        {"child_id": TAGS[name]["id"], "parent_id": TAGS[parent]["id"], "name": parent, "priority": 0,
         "maxdepth": None, "intransitive": False, "noconfig": False, "pkg_filter": ""}
    ]  # fmt: skip


TAGGED = {"f41-updates": [HTOP_OLD], "f42": [HTOP_NEXT]}
BUILD_TAGS = {
    HTOP["id"]: ["f41-updates-candidate", "f41-updates-testing"],
    HTOP_OLD["id"]: ["f41-updates"],
    HTOP_NEXT["id"]: ["f42"],
}
BUILDS = {b["nvr"]: b for b in (HTOP, HTOP_OLD, HTOP_NEXT)}
ALL_RPMS = {r["id"]: r for rows in RPMS.values() for r in rows}
RESULTS = {
    "data": [
        {"data": {"arch": ["noarch"], "item": [ALIAS], "type": ["bodhi_update"]},
         "groups": ["27f94e36-62ec-11e6-83fd-525400d7d6a4"], "href": f"{RESULTSDB}/results/2", "id": 2,
         "note": "1 of 1 builds break the upgrade path", "outcome": "FAILED", "ref_url": "https://example.com/log2",
         "submit_time": "2024-11-02T11:20:46.769599",
         "testcase": {"href": f"{RESULTSDB}/testcases/dist.upgradepath", "name": "dist.upgradepath",
                      "ref_url": "https://example.com/upgradepath"}},
        {"data": {"arch": ["x86_64"], "item": [ALIAS], "type": ["bodhi_update"]}, "groups": [],
         "href": f"{RESULTSDB}/results/1", "id": 1, "note": None, "outcome": "PASSED", "ref_url": None,
         "submit_time": "2024-11-02T11:16:46.000001",
         "testcase": {"href": f"{RESULTSDB}/testcases/dist.depcheck", "name": "dist.depcheck", "ref_url": None}},
    ],
    "next": None,
    "prev": None,
}  # fmt: skip


def koji_answer(method: str, params: list[Any]) -> Any:
    """One recorded call's answer; a call nobody recorded is a KeyError (the test fails on it)."""
    args = [p for p in params if not (isinstance(p, dict) and p.get("__starstar"))]
    kwargs = next((p for p in params if isinstance(p, dict) and p.get("__starstar")), {})
    if method == "getBuild":
        return BUILDS.get(args[0])
    if method == "listRPMs":
        return RPMS[kwargs["buildID"]]
    if method == "listTags":
        return [TAGS[name] for name in BUILD_TAGS[kwargs["build"]]]
    if method == "listTagged":
        return [b for b in TAGGED.get(args[0], []) if b["package_name"] == kwargs.get("package")]
    if method == "getRPMHeaders":
        rpm = ALL_RPMS[kwargs["rpmID"]]
        known = {"summary": "Interactive process viewer", "license": "GPL-2.0-or-later"}
        known |= (
            {"basenames": ["htop"], "dirnames": ["/usr/bin/"], "dirindexes": [0]}
            if rpm["arch"] != "src"
            else {}
        )
        return {h: known[h] for h in kwargs["headers"] if h in known}
    if method == "getRPMDeps":
        return _deps(ALL_RPMS[kwargs["rpmID"]])
    if method == "getTag":
        return TAGS.get(args[0])
    if method == "getInheritanceData":
        return _inheritance(args[0])
    raise KeyError(f"no recorded answer for {method}{tuple(args)} {kwargs}")


def _koji(request: Any) -> tuple[int, dict[str, str], str]:
    (calls,), method = xmlrpc.client.loads(request.body)
    assert method == "multiCall", method
    answers = [[koji_answer(c["methodName"], c["params"])] for c in calls]
    return (
        200,
        {"Content-Type": "text/xml"},
        xmlrpc.client.dumps((answers,), methodresponse=True, allow_none=True),
    )


def replay() -> responses.RequestsMock:
    """Production's URLs answered from the recordings above."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.add_callback(responses.POST, KOJI, _koji)
    mock.add(
        responses.GET,
        f"{BODHI}updates/{ALIAS}",
        json={"update": copy.deepcopy(UPDATE), "can_edit": False, "ci_allowed": False},
    )
    mock.add(
        responses.GET,
        f"{BODHI}releases/",
        json={
            "releases": [RELEASE_F40, RELEASE_F41, RELEASE_F42],
            "page": 1,
            "pages": 1,
            "rows_per_page": 100,
            "total": 3,
        },
    )
    mock.add(responses.GET, f"{RESULTSDB}/results", body=json.dumps(RESULTS), content_type="application/json")
    return mock
