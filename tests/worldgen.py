"""Generated worlds of any size, for storage tests and benchmarks."""

from __future__ import annotations

from stagingqa.world import World
from stagingqa.world.loader import validate
from stagingqa.world.source import Located


def generated_world_document(builds: int = 200, name: str = "generated") -> dict:
    """Three releases, `builds` builds spread over packages and tags, an update per ten builds."""
    releases = [{"name": f"F{v}", "version": str(v), "state": "current"} for v in (40, 41, 42)]
    items, updates = [], []
    for i in range(builds):
        release = 40 + i % 3
        nvr = f"pkg{i % 50}-1.{i}-1.fc{release}"
        tags = [f"f{release}-updates-candidate", f"f{release}-updates-testing"] if i % 2 else [f"f{release}"]
        items.append(
            {
                "nvr": nvr,
                "tags": tags,
                "rpms": [
                    {"arch": "x86_64", "requires": [f"lib{i % 7}"], "provides": [f"pkg{i % 50}"]},
                    {"arch": "src"},
                ],
            }
        )
        if i % 10 == 1:
            updates.append(
                {
                    "alias": f"FEDORA-2024-{i:010x}",
                    "release": f"F{release}",
                    "builds": [nvr],
                    "comments": [{"user": "packager1", "text": "ok", "karma": 1}],
                }
            )
    results = [
        {"testcase": "dist.rpmlint", "outcome": "PASSED", "data": {"item": b["nvr"], "type": "koji_build"}}
        for b in items[:20]
    ]
    return {
        "name": name,
        "now": "2024-11-02T12:00:00Z",
        "releases": releases,
        "builds": items,
        "updates": updates,
        "results": results,
    }


def generated_world(builds: int = 200, name: str = "generated") -> World:
    return validate(Located(generated_world_document(builds, name), {(): ("generated", 1)}))
