"""What an import reads, and how far it follows: an update brings its builds, their tags, its release's
tags and later releases, and (depth 1) the newest builds of the same packages in those releases' tags,
which is what upgradepath compares; every build brings its RPMs' headers and dependencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stagingqa.errors import InputError
from stagingqa.importer.fetch import NotFound
from stagingqa.importer.readers import BodhiReader, Call, KojiReader, ResultsDBReader

RELEASE_TAG_KEYS = (
    "dist_tag",
    "stable_tag",
    "testing_tag",
    "candidate_tag",
    "pending_signing_tag",
    "pending_testing_tag",
    "pending_stable_tag",
    "override_tag",
)
MAX_INHERITANCE_ROUNDS = 5  # parents of parents: Fedora's chains are three deep
DEP_TYPES = {0: "requires", 1: "provides", 2: "obsoletes", 3: "conflicts"}  # koji.DEP_*


@dataclass(frozen=True)
class Wanted:
    """What to import, as the command line names it."""

    updates: tuple[str, ...] = ()
    builds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    latest: bool = False
    results: tuple[str, ...] = ()
    depth: int = 1


@dataclass
class Gathered:
    """The answers an import keeps, keyed as the world needs them."""

    releases: dict[str, dict[str, Any]] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    builds: dict[str, dict[str, Any]] = field(default_factory=dict)  # nvr -> info, rpms, tags, deps
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> info, parents
    results: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, list[str]] = field(default_factory=dict)  # name -> groups


Say = Callable[[str], None]


def gather(
    wanted: Wanted, koji: KojiReader, bodhi: BodhiReader, resultsdb: ResultsDBReader, say: Say
) -> Gathered:
    found = Gathered()
    nvrs = list(wanted.builds)
    for alias in wanted.updates:
        say(f"bodhi: update {alias}")
        try:
            update = bodhi.update(alias)
        except NotFound:
            raise InputError(f"no update {alias!r} in Bodhi at {bodhi.base}") from None
        found.updates.append(update)
        found.releases[update["release"]["name"]] = update["release"]
        nvrs += [b["nvr"] for b in update["builds"] if b["nvr"] not in nvrs]
        _user(found, update["user"])
        for comment in update.get("comments", []):
            _user(found, comment["user"])
    if found.updates and wanted.depth >= 1:
        say("bodhi: later releases")
        _later_releases(found, bodhi.releases())
    for tag in wanted.tags:
        say(f"koji: builds tagged {tag}")
        tagged = koji.call("listTagged", tag, latest=wanted.latest)
        nvrs += [b["nvr"] for b in tagged if b["nvr"] not in nvrs]
        found.tags.setdefault(tag, {})
    _builds(found, koji, nvrs, say)
    if wanted.depth >= 1:
        _neighbours(found, koji, say)
    _rpm_details(found, koji, say)
    _tags(found, koji, say)
    for item in wanted.results:
        say(f"resultsdb: results of {item}")
        found.results += list(resultsdb.results(item))
    return found


def _user(found: Gathered, user: dict[str, Any]) -> None:
    groups = [g["name"] for g in user.get("groups") or []]
    found.users[user["name"]] = sorted(set(found.users.get(user["name"], [])) | set(groups))


def _version(release: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(part) for part in str(release["version"]).split(".") if part.isdigit())


def _later_releases(found: Gathered, releases: list[dict[str, Any]]) -> None:
    """The releases an update's builds must not be newer than: same prefix, higher version."""
    for own in list(found.releases.values()):
        for release in releases:
            if release["id_prefix"] == own["id_prefix"] and _version(release) > _version(own):
                found.releases.setdefault(release["name"], release)


def _builds(found: Gathered, koji: KojiReader, nvrs: list[str], say: Say) -> None:
    """Each build's info, RPMs and tags (two multicalls); a named build Koji does not have is an error."""
    nvrs = [nvr for nvr in nvrs if nvr not in found.builds]
    if not nvrs:
        return
    say(f"koji: {len(nvrs)} builds")
    infos = koji.multicall([("getBuild", (nvr,), {}) for nvr in nvrs])
    missing = [nvr for nvr, info in zip(nvrs, infos, strict=True) if info is None]
    if missing:
        raise InputError(f"no build {missing[0]!r} in Koji at {koji.hub}")
    calls: list[Call] = []
    for info in infos:
        calls += [("listRPMs", (), {"buildID": info["id"]}), ("listTags", (), {"build": info["id"]})]
    answers = koji.multicall(calls)
    for n, (nvr, info) in enumerate(zip(nvrs, infos, strict=True)):
        rpms, tags = answers[2 * n], answers[2 * n + 1]
        found.builds[nvr] = {"info": info, "rpms": rpms, "tags": [t["name"] for t in tags], "deps": {}}
        found.users.setdefault(info["owner_name"], [])
        for tag in tags:
            found.tags.setdefault(tag["name"], {})


def _release_tags(release: dict[str, Any], keys: tuple[str, ...] = RELEASE_TAG_KEYS) -> list[str]:
    return [release[key] for key in keys if release.get(key)]


def _neighbours(found: Gathered, koji: KojiReader, say: Say) -> None:
    """The newest build of each update's packages in its release's and later releases' tags."""
    calls: list[Call] = []
    for update in found.updates:
        own = found.releases[update["release"]["name"]]
        tags = _release_tags(own, ("dist_tag", "stable_tag", "testing_tag"))
        for release in found.releases.values():
            if _version(release) > _version(own) and release["id_prefix"] == own["id_prefix"]:
                tags += _release_tags(release, ("dist_tag", "stable_tag"))
        for build in update["builds"]:
            package = found.builds[build["nvr"]]["info"]["package_name"]
            calls += [
                ("listTagged", (tag,), {"package": package, "latest": True, "strict": False}) for tag in tags
            ]
    if not calls:
        return
    say(f"koji: upgrade-path neighbours ({len(calls)} tag lookups)")
    neighbours = [row["nvr"] for rows in koji.multicall(calls) for row in rows]
    _builds(found, koji, list(dict.fromkeys(neighbours)), say)
    for release in found.releases.values():
        for tag in _release_tags(release):
            found.tags.setdefault(tag, {})


def _rpm_details(found: Gathered, koji: KojiReader, say: Say) -> None:
    """Summary, license and dependencies of every RPM; the files that some RPM's file requires name."""
    rpms = [rpm for build in found.builds.values() for rpm in build["rpms"]]
    if not rpms:
        return
    say(f"koji: headers and dependencies of {len(rpms)} RPMs")
    calls: list[Call] = []
    for rpm in rpms:
        calls += [
            ("getRPMHeaders", (), {"rpmID": rpm["id"], "headers": ["summary", "license"]}),
            ("getRPMDeps", (), {"rpmID": rpm["id"]}),
        ]
    answers = iter(koji.multicall(calls))
    for rpm in rpms:
        rpm["headers"], rpm["deps"] = next(answers), next(answers)
    wanted_files = {
        dep["name"] for rpm in rpms for dep in rpm["deps"] if dep["type"] == 0 and dep["name"].startswith("/")
    }
    if not wanted_files:
        return
    binary = [rpm for rpm in rpms if rpm["arch"] != "src"]
    say(f"koji: file lists of {len(binary)} RPMs (for {len(wanted_files)} file requires)")
    headers = ["basenames", "dirnames", "dirindexes"]
    lists = koji.multicall([("getRPMHeaders", (), {"rpmID": r["id"], "headers": headers}) for r in binary])
    for rpm, listed in zip(binary, lists, strict=True):
        names, dirs, index = (
            listed.get("basenames") or [],
            listed.get("dirnames") or [],
            listed.get("dirindexes") or [],
        )
        paths = {dirs[i] + name for name, i in zip(names, index, strict=False) if i < len(dirs)}
        rpm["files"] = sorted(paths & wanted_files)


def _tags(found: Gathered, koji: KojiReader, say: Say) -> None:
    """Each tag's settings and parents; parents are read too, so that inheritance is whole."""
    for _round in range(MAX_INHERITANCE_ROUNDS):
        todo = sorted(name for name, tag in found.tags.items() if not tag)
        if not todo:
            return
        say(f"koji: {len(todo)} tags")
        calls: list[Call] = []
        for name in todo:
            calls += [("getTag", (name,), {}), ("getInheritanceData", (name,), {})]
        answers = iter(koji.multicall(calls))
        for name in todo:
            info, parents = next(answers), next(answers)
            if info is None:
                raise InputError(f"no tag {name!r} in Koji at {koji.hub}")
            found.tags[name] = {"info": info, "parents": parents}
            for parent in parents:
                found.tags.setdefault(parent["name"], {})
