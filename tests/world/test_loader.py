"""World files: loading, validation with file/line/field, overlays, derived tags."""

from __future__ import annotations

import pytest

from stagingqa.world import WorldInvalid, load_world, load_world_text
from stagingqa.world.tags import effective_tags
from tests.conftest import RESOURCES


def problems_of(path, overlays=()):
    with pytest.raises(WorldInvalid) as caught:
        load_world(path, list(overlays))
    return caught.value.problems


def test_example_world_loads(basic_world_path):
    world = load_world(basic_world_path)
    assert world.name == "fedora-basic"
    assert [b.nvr for b in world.builds][:2] == ["htop-3.2.2-1.fc40", "htop-3.3.0-1.fc41"]
    assert world.builds[1].rpms[0].requires == ["ncurses-libs", "libc.so.6()(64bit)"]
    assert world.now.tzinfo is not None


def test_shape_problems_are_all_reported_with_lines():
    found = {(p.line, p.path): p.message for p in problems_of(RESOURCES / "worlds" / "broken-shape.yaml")}
    assert found[(8, "builds[0].colour")].startswith("unknown field 'colour'; allowed fields: nvr, epoch")
    assert "'COMPLETE'" in found[(9, "builds[0].state")] and "'DONE'" in found[(9, "builds[0].state")]
    assert "less than or equal to 1" in found[(16, "updates[0].comments[0].karma")]
    assert len(found) == 3


def test_reference_problems_name_what_is_missing():
    problems = problems_of(RESOURCES / "worlds" / "broken-refs.yaml")
    text = "\n".join(str(p) for p in problems)
    assert (
        "broken-refs.yaml:11: builds[0].tags[1]: "
        "build 'htop-3.3.0-1.fc41' is tagged into unknown tag 'f39-updates'" in text
    )
    assert "package 'legacy-tool' is blocked there" in text
    assert "'notannvr' is not name-version-release" in text
    assert "broken-refs.yaml:17: updates[0].release: unknown release 'F43'" in text
    assert "unknown build 'missing-1.0-1.fc41'" in text
    assert len(problems) == 5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: [unclosed", "not valid YAML"),
        ("- a\n- b\n", "must be a mapping"),
        ("name: x\nname: y\n", "duplicate key 'name'"),
        ("releases: []\n", "required field 'name' is missing"),
        ("name: 'bad name!'\n", "expected text matching"),
        ("name: x\nbuilds:\n  - nvr: a-1-1\n    epoch: one\n", "expected a whole number"),
    ],
)
def test_malformed_documents(text, expected):
    with pytest.raises(WorldInvalid) as caught:
        load_world_text(text, "doc.yaml")
    assert expected in str(caught.value)
    assert str(caught.value).startswith("doc.yaml")


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    problems = problems_of(tmp_path / "nope.yaml")
    assert "cannot read world file" in problems[0].message


def test_overlay_replaces_by_identity_and_appends(basic_world_path):
    world = load_world(basic_world_path, [RESOURCES / "worlds" / "overlay.yaml"])
    assert world.name == "fedora-basic-overlay"
    nvrs = [b.nvr for b in world.builds]
    assert nvrs == [
        "htop-3.2.2-1.fc40",
        "htop-3.3.0-1.fc41",
        "ncurses-6.4-12.20240127.fc41",
        "htop-3.4.0-1.fc42",
    ]
    assert world.builds[1].tags == ["f41-updates-candidate"]
    assert world.builds[1].rpms is None  # replaced whole, not merged field by field
    assert world.updates[0].status == "pending"
    assert len(world.releases) == 3


def test_overlay_problems_point_into_the_overlay_file(basic_world_path, tmp_path):
    overlay = tmp_path / "bad-overlay.yaml"
    overlay.write_text("builds:\n  - nvr: x-1-1\n    tags: [nowhere]\n")
    problems = problems_of(basic_world_path, [overlay])
    assert problems[0].source == str(overlay) and problems[0].line == 3


def test_derived_tags_and_overrides():
    world = load_world_text(
        "name: w\nreleases: [{name: F41, version: '41'}]\n"
        "tags:\n  - {name: f41-build, arches: [x86_64]}\n  - {name: f41-side-1, inherits: [f41-build]}\n"
    )
    tags = {t.name: t for t in effective_tags(world)}
    assert {
        "f41",
        "f41-updates",
        "f41-updates-testing",
        "f41-updates-candidate",
        "f41-updates-testing-pending",
        "f41-updates-pending",
        "f41-signing-pending",
        "f41-override",
        "f41-build",
        "f41-side-1",
    } == set(tags)
    assert tags["f41-build"].arches == ["x86_64"]
    assert tags["f41-build"].inherits == ["f41-override", "f41-updates", "f41"]


def test_times_without_offset_are_utc():
    world = load_world_text("name: w\nnow: 2024-11-02T12:00:00\n")
    assert world.now.isoformat() == "2024-11-02T12:00:00+00:00"
    shifted = load_world_text("name: w\nnow: 2024-11-02T14:00:00+02:00\n")
    assert shifted.now.isoformat() == "2024-11-02T12:00:00+00:00"


def test_result_outcomes_must_be_known():
    with pytest.raises(WorldInvalid) as caught:
        load_world_text("name: w\nresults:\n  - {testcase: t, outcome: QUEUED}\n", "w.yaml")
    assert "w.yaml:3: results[0].outcome: unknown outcome 'QUEUED'" in str(caught.value)
    world = load_world_text(
        "name: w\nresultsdb: {extra_outcomes: [QUEUED]}\nresults:\n  - {testcase: t, outcome: queued}\n"
    )
    assert world.results[0].outcome == "queued"


def test_shape_and_reference_problems_come_in_one_report():
    text = (
        "name: both\n"
        "releases: [{name: F41, version: '41', id_prefix: FEDORA}]\n"
        "builds:\n"
        "  - {nvr: a-1-1.fc41, epoch: many}\n"
        "  - {nvr: b-1-1.fc41, tags: [nosuchtag]}\n"
        "updates:\n"
        "  - {alias: U1, release: F99, builds: [a-1-1.fc41]}\n"
        "  - {alias: U2, release: F41, builds: [zzz-1-1], colour: red}\n"
    )
    with pytest.raises(WorldInvalid) as caught:
        load_world_text(text, "both.yaml")
    found = [(p.line, p.path) for p in caught.value.problems]
    # shape (epoch, colour) and references (tag, release) together, in line order; nothing is said about
    # the references to a-1-1.fc41 or in U2, whose own shape is wrong
    assert found == [
        (4, "builds[0].epoch"),
        (5, "builds[1].tags[0]"),
        (7, "updates[0].release"),
        (8, "updates[1].colour"),
    ]


def test_base_packages_may_not_contradict_a_build(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(
        "name: w\nreleases:\n  - name: F41\n    version: '41'\n    base_packages:\n"
        "      - {name: bash, version: '5.2'}\n      - {name: htop, version: '1.0'}\n"
        "builds:\n  - {nvr: htop-3.3.0-1.fc41, tags: [f41]}\n"
    )
    with pytest.raises(WorldInvalid) as caught:
        load_world(path)
    [problem] = caught.value.problems
    assert problem.line == 7 and problem.path == "releases[0].base_packages[1].name"
    assert "base package 'htop' of release F41 contradicts build 'htop-3.3.0-1.fc41'" in problem.message
