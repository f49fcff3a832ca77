"""`stagingqa world import` against production's URLs, with no network: answers recorded in the real
services' shapes replayed (recorded.py), and the in-process mocks (stagingqa.testing), where the import
is throttled as it would be against Fedora."""

from __future__ import annotations

import time

from stagingqa.importer.fetch import Fetcher
from stagingqa.importer.gather import Wanted
from stagingqa.importer.run import Sources, import_world
from stagingqa.testing import fedora_mocks
from stagingqa.world import load_world
from tests.conftest import RESOURCES
from tests.importer import recorded


def test_recorded_production_answers_become_a_world(tmp_path):
    out = tmp_path / "prod.yaml"
    with recorded.replay():
        done = import_world(
            Wanted(updates=(recorded.ALIAS,), results=(recorded.ALIAS,)), Sources(), out, Fetcher(rate=0)
        )
    assert (done.builds, done.updates, done.results, done.releases) == (3, 1, 2, 2)
    world = load_world(out)
    [update] = world.updates
    assert (update.status, update.request, update.submitter, update.karma) == (
        "pending",
        "testing",
        "packager1",
        -1,
    )
    assert update.submitted.isoformat() == "2024-11-02T10:00:00+00:00" and update.bugs == [2300001]
    assert [(c.user, c.karma) for c in update.comments] == [("autoqa", 0), ("tester", -1), ("bodhi", 0)]
    assert update.comments[1].bug_feedback[0].model_dump() == {"bug_id": 2300001, "karma": -1}
    builds = {b.nvr: b for b in world.builds}
    assert set(builds) == {"htop-3.3.0-1.fc41", "htop-3.2.2-1.fc41", "htop-3.3.1-1.fc42"}
    htop = builds["htop-3.3.0-1.fc41"]
    assert htop.tags == ["f41-updates-candidate", "f41-updates-testing"] and htop.completed.year == 2024
    binary = next(r for r in htop.rpms if r.arch == "x86_64")
    assert binary.requires == ["libc.so.6()(64bit)", "ncurses-libs >= 6.4", "/usr/bin/sh"]  # rpmlib() gone
    assert binary.provides == [] and binary.obsoletes == [
        "htop-legacy < 3"
    ]  # its own provides go without saying
    assert binary.summary == "Interactive process viewer" and binary.license == "GPL-2.0-or-later"
    assert binary.files == []  # /usr/bin/sh is required, but no imported RPM has it
    assert {t.name for t in world.tags} == set()  # every tag is as the releases derive it
    assert [r.name for r in world.releases] == ["F41", "F42"] and world.releases[1].state == "pending"
    assert [(r.testcase, r.outcome) for r in world.results] == [
        ("dist.depcheck", "PASSED"),
        ("dist.upgradepath", "FAILED"),
    ]
    assert world.results[1].groups == ["27f94e36-62ec-11e6-83fd-525400d7d6a4"]
    assert {u.name: u.groups for u in world.users}["autoqa"] == ["qa"]


def test_production_is_read_at_five_requests_a_second(tmp_path):
    with fedora_mocks(RESOURCES / "worlds" / "import.yaml"):
        fetcher = Fetcher()  # the defaults: production's URLs, 5 requests a second
        started = time.perf_counter()
        done = import_world(
            Wanted(updates=("FEDORA-2024-1111111111",)), Sources(), tmp_path / "w.yaml", fetcher
        )
        seconds = time.perf_counter() - started
    assert done.builds == 9 and done.requests >= 8
    assert seconds >= (done.requests - 1) / 5 * 0.95
