"""Turn a validated world into table rows with deterministic ids and times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stagingqa.mocks.store import tables as t
from stagingqa.world import World, clock
from stagingqa.world.model import Build
from stagingqa.world.tags import effective_tags

Rows = dict[type[t.Base], list[dict[str, Any]]]
TASK_BASE = 100000  # task ids look like Koji's, and never collide with build ids
CHILD_TASK_BASE = 1000000  # buildArch children of a build task
ARCH_SLOTS = 16  # buildArch task ids reserved per build: more than any build has arches
CREATION_EVENT = 1  # the event every seeded build was created by, a year before the world's now


def next_id(rows: Rows, table: type[t.Base]) -> int:
    """The id of the next row of `table`: rows are numbered from 1 in the order they are added."""
    return len(rows[table]) + 1


def build_task_id(build_id: int) -> int:
    """The build task of build `build_id`."""
    return TASK_BASE + build_id


def arch_task_id(build_id: int, k: int) -> int:
    """The `k`-th buildArch child of build `build_id`'s task."""
    return CHILD_TASK_BASE + build_id * ARCH_SLOTS + k


def tagging_event_id(n: int) -> int:
    """The event of the `n`-th tagging change (from 0): they follow the creation event."""
    return CREATION_EVENT + 1 + n


def naive(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC, as the real services keep them."""
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def seed_rows(world: World) -> Rows:
    """Every row of a freshly loaded world, ids counting from 1 in file order."""
    rows: Rows = {table: [] for table in reversed(t.DELETE_ORDER)}
    users = _users(world)
    rows[t.User] = [{"id": i, "name": n, "email": e, "groups": g} for i, (n, e, g) in enumerate(users, 1)]
    rows[t.Release] = [
        {
            "id": i,
            "name": r.name,
            "version": r.version,
            "state": r.state,
            "id_prefix": r.id_prefix,
            "long_name": r.long_name or f"Fedora {r.version}",
            "branch": r.branch or r.name.lower(),
            "dist_tag": r.dist_tag or r.name.lower(),
        }
        for i, r in enumerate(world.releases, 1)
    ]
    tag_ids = _tags(world, rows)
    packages = _packages(world, rows)
    _builds(world, rows, packages)
    _tagging(world, rows, tag_ids, packages)
    _updates(world, rows)
    _results(world, rows)
    return rows


def _users(world: World) -> list[tuple[str, str | None, list[str]]]:
    found = {u.name: (u.name, u.email, list(u.groups)) for u in world.users}
    named = [b.owner for b in world.builds] + [u.submitter for u in world.updates]
    named += [c.user for u in world.updates for c in u.comments] + [
        p.owner for p in world.packages if p.owner
    ]
    for name in ["packager1", *named]:
        found.setdefault(name, (name, None, ["packager"]))
    return list(found.values())


def _tags(world: World, rows: Rows) -> dict[str, int]:
    tags = effective_tags(world)
    ids = {tag.name: i for i, tag in enumerate(tags, 1)}
    rows[t.Tag] = [
        {"id": ids[x.name], "name": x.name, "arches": list(x.arches), "locked": x.locked, "perm": x.perm}
        for x in tags
    ]
    rows[t.TagInheritance] = [
        {
            "id": next_id(rows, t.TagInheritance),
            "tag_id": ids[x.name],
            "parent_id": ids[p],
            "priority": n * 10,
        }
        for x in tags
        for n, p in enumerate(x.inherits)
    ]
    for n, row in enumerate(rows[t.TagInheritance], 1):
        row["id"] = n
    return ids


def _packages(world: World, rows: Rows) -> dict[str, int]:
    names = [b.name for b in world.builds] + [p.name for p in world.packages]
    ids = {name: i for i, name in enumerate(dict.fromkeys(names), 1)}
    rows[t.Package] = [{"id": i, "name": name} for name, i in ids.items()]
    return ids


def _builds(world: World, rows: Rows, packages: dict[str, int]) -> None:
    created = clock.world_now(world) - dt.timedelta(days=365)
    rows[t.Event] = [{"id": CREATION_EVENT, "time": naive(created)}]
    for i, build in enumerate(world.builds):
        build_id = i + 1  # builds are numbered from 1 in file order
        complete = build.state == "COMPLETE"
        rows[t.Build].append(
            {
                "id": build_id,
                "package_id": packages[build.name],
                "nvr": build.nvr,
                "name": build.name,
                "version": build.version,
                "release": build.release,
                "epoch": build.epoch,
                "owner": build.owner,
                "state": build.state,
                "task_id": build_task_id(build_id),
                "creation_event": CREATION_EVENT,
                "start_time": naive(clock.build_started(world, i)),
                "completion_time": naive(clock.build_completed(world, i)) if complete else None,
                "log": build.log,
            }
        )
        rows[t.Task].append(
            {
                "id": build_task_id(build_id),
                "parent": None,
                "method": "build",
                "arch": "noarch",
                "label": None,
                "state": 2 if complete else (0 if build.state == "BUILDING" else 5),
                "owner": build.owner,
                "request": [f"git+https://src.fedoraproject.org/rpms/{build.name}.git", "rawhide", {}],
                "create_time": naive(clock.build_started(world, i)),
                "start_time": naive(clock.build_started(world, i)),
                "completion_time": naive(clock.build_completed(world, i)) if complete else None,
            }
        )
        rpms = _rpms(build)
        for rpm in rpms:
            rows[t.Rpm].append({"id": next_id(rows, t.Rpm), "build_id": build_id, **rpm})
        arches = sorted({r["arch"] for r in rpms if r["arch"] != "src"})
        parent = rows[t.Task][-1]
        for k, arch in enumerate(arches):
            rows[t.Task].append(
                {
                    **parent,
                    "id": arch_task_id(build_id, k),
                    "parent": parent["id"],
                    "method": "buildArch",
                    "arch": arch,
                    "label": arch,
                    "request": [f"tasks/{build.nvr}.src.rpm", 0, arch, True, {}],
                }
            )


def _rpms(build: Build) -> list[dict[str, Any]]:
    """A build's RPMs as listed, or one noarch RPM plus the source RPM."""
    listed = build.rpms if build.rpms is not None else []
    common = {
        "version": build.version,
        "release": build.release,
        "epoch": build.epoch,
        "size": None,
        "payloadhash": None,
        "buildtime": None,
    }
    if build.rpms is None:
        evr = f"{build.version}-{build.release}"
        return [
            {
                **common,
                "name": build.name,
                "arch": "noarch",
                "summary": f"The {build.name} package",
                "license": "MIT",
                "requires": [],
                "provides": [f"{build.name} = {evr}"],
                "obsoletes": [],
                "conflicts": [],
                "files": [],
            },
            {
                **common,
                "name": build.name,
                "arch": "src",
                "summary": f"The {build.name} package",
                "license": "MIT",
                "requires": [],
                "provides": [],
                "obsoletes": [],
                "conflicts": [],
                "files": [],
            },
        ]
    return [
        {
            **common,
            "name": r.name or build.name,
            "arch": r.arch,
            "summary": r.summary,
            "license": r.license,
            "requires": list(r.requires),
            "provides": list(r.provides),
            "obsoletes": list(r.obsoletes),
            "conflicts": list(r.conflicts),
            "files": list(r.files),
        }
        for r in listed
    ]


def _tagging(world: World, rows: Rows, tag_ids: dict[str, int], packages: dict[str, int]) -> None:
    """Tag builds in file order, then apply the history; list packages in tags as tagging does."""
    events: list[tuple[str, str, str, str, dt.datetime | None]]
    events = [(b.nvr, tag, "tag", b.owner, None) for b in world.builds for tag in b.tags]
    events += [(h.build, h.tag, h.action, h.user, h.when) for h in world.history]
    seeded = sum(len(b.tags) for b in world.builds)
    build_ids = {b.nvr: i for i, b in enumerate(world.builds, 1)}
    names = {b.nvr: b.name for b in world.builds}
    owners = {b.nvr: b.owner for b in world.builds}
    listed: dict[tuple[int, int], dict[str, Any]] = {}
    for entry in world.packages:
        key = (tag_ids[entry.tag], packages[entry.name])
        listed[key] = {
            "tag_id": key[0],
            "package_id": key[1],
            "owner": entry.owner or "packager1",
            "blocked": entry.blocked,
        }
    active: dict[tuple[int, int], dict[str, Any]] = {}
    base_tags = _release_base_tags(world, tag_ids)
    for n, (nvr, tag, action, user, when) in enumerate(events):
        event_id = tagging_event_id(n)
        if n < seeded:
            time = clock.tagging_time(world, n, seeded)
        else:
            time = clock.history_time(world, n - seeded)
        rows[t.Event].append({"id": event_id, "time": naive(when or time)})
        key = (tag_ids[tag], build_ids[nvr])
        if action == "tag":
            row = {
                "id": next_id(rows, t.TagListing),
                "tag_id": key[0],
                "build_id": key[1],
                "create_event": event_id,
                "revoke_event": None,
                "creator": user,
                "revoker": None,
                "seeded": n < seeded,
            }
            rows[t.TagListing].append(row)
            active[key] = row
            # the tag lists the package, and so does its release's base tag, as every Fedora package is in fNN
            for listing_tag in {key[0], base_tags.get(tag, key[0])}:
                listed.setdefault(
                    (listing_tag, packages[names[nvr]]),
                    {
                        "tag_id": listing_tag,
                        "package_id": packages[names[nvr]],
                        "owner": owners[nvr],
                        "blocked": False,
                    },
                )
        elif key in active:
            active.pop(key).update(revoke_event=event_id, revoker=user)
    rows[t.TagPackage] = [{"id": i, **row} for i, row in enumerate(listed.values(), 1)]


def _release_base_tags(world: World, tag_ids: dict[str, int]) -> dict[str, int]:
    """Derived tag name -> id of its release's base tag fNN."""
    found = {}
    for release in world.releases:
        stem = release.name.lower()
        for name in tag_ids:
            if name == stem or name.startswith(stem + "-"):
                found[name] = tag_ids[stem]
    return found


def _updates(world: World, rows: Rows) -> None:
    releases = {r.name: i for i, r in enumerate(world.releases, 1)}
    build_ids = {b.nvr: i for i, b in enumerate(world.builds, 1)}
    for i, update in enumerate(world.updates):  # update i is row i + 1: ids count from 1 in file order
        submitted = naive(clock.update_submitted(world, i))
        rows[t.Update].append(
            {
                "id": i + 1,
                "alias": update.alias,
                "release_id": releases[update.release],
                "type": update.type,
                "severity": update.severity,
                "status": update.status,
                "request": update.request,
                "submitter": update.submitter,
                "date_submitted": submitted,
                "date_modified": None,
                "title": update.title,
                "notes": update.notes,
                "bugs": list(update.bugs),
                "autokarma": update.autokarma,
                "autotime": update.autotime,
                "stable_karma": update.stable_karma,
                "unstable_karma": update.unstable_karma,
                "critpath": update.critpath,
                "date_testing": naive(update.date_testing)
                if update.date_testing
                else (submitted if update.status in ("testing", "stable") else None),
                "date_stable": naive(update.date_stable)
                if update.date_stable
                else (submitted if update.status == "stable" else None),
            }
        )
        for nvr in update.builds:
            rows[t.UpdateBuild].append(
                {"id": next_id(rows, t.UpdateBuild), "update_id": i + 1, "build_id": build_ids[nvr]}
            )
        for j, comment in enumerate(update.comments):
            rows[t.Comment].append(
                {
                    "id": next_id(rows, t.Comment),
                    "update_id": i + 1,
                    "user": comment.user,
                    "text": comment.text,
                    "karma": comment.karma,
                    "timestamp": naive(clock.comment_time(world, i, j)),
                    "bug_feedback": [f.model_dump() for f in comment.bug_feedback],
                }
            )


def _results(world: World, rows: Rows) -> None:
    settings = world.resultsdb
    testcases = {tc.name: i for i, tc in enumerate(settings.testcases, 1)}
    groups = {g.uuid: i for i, g in enumerate(settings.groups, 1)}
    for i, result in enumerate(world.results):  # result i is row i + 1
        # testcases and groups named only by results get the next ids, in order of first mention
        tc = testcases.setdefault(result.testcase, len(testcases) + 1)
        rows[t.Result].append(
            {
                "id": i + 1,
                "testcase_id": tc,
                "outcome": result.outcome.strip().upper(),
                "note": result.note,
                "ref_url": result.ref_url,
                "submit_time": naive(clock.result_submitted(world, i)),
            }
        )
        for uuid in result.groups:
            gid = groups.setdefault(uuid, len(groups) + 1)
            rows[t.ResultGroupLink].append(
                {"id": next_id(rows, t.ResultGroupLink), "result_id": i + 1, "group_id": gid}
            )
        for key, value in result.data.items():
            for text in data_strings(value):
                rows[t.ResultData].append(
                    {"id": next_id(rows, t.ResultData), "result_id": i + 1, "key": key, "value": text}
                )
    tc_urls = {tc.name: tc.ref_url for tc in settings.testcases}
    known = {g.uuid: g for g in settings.groups}
    rows[t.Testcase] = [{"id": i, "name": n, "ref_url": tc_urls.get(n)} for n, i in testcases.items()]
    rows[t.ResultGroup] = [
        {
            "id": i,
            "uuid": u,
            "description": getattr(known.get(u), "description", None),
            "ref_url": getattr(known.get(u), "ref_url", None),
        }
        for u, i in groups.items()
    ]


def data_strings(value: Any) -> list[str]:
    """ResultsDB keeps every data value as strings made with Python's str(); a list gives one per item."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]
