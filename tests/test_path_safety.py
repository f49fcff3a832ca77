"""Nothing a world, spec or use case supplies writes outside its folders: names with '/' or '..', lines
injected into an RPM spec, and a symlink in an environment's home are refused, each with its field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stagingqa.environment.placeholders import write_files
from stagingqa.errors import InputError
from stagingqa.spec import load_spec
from stagingqa.world import WorldInvalid, load_world_text
from tests.conftest import write_spec

EVIL_WORLD = """
name: evil
releases: [{name: F41, version: "41"}, {name: "../F42", version: "42"}]
tags: [{name: "f41/../../x"}]
builds:
  - {nvr: ../../evil-1-1, tags: [f41]}
  - nvr: nice-1-1.fc41
    tags: [f41]
    rpms:
      - {arch: x86_64, summary: "ok\\n%install\\nrm -rf ~", requires: ["a\\nb"], files: ["/../../etc/passwd"]}
      - {arch: "x86_64/../..", name: "a/b", files: ["/opt/%(id)"]}
"""


def test_a_world_cannot_name_its_way_out_or_into_a_spec():
    with pytest.raises(WorldInvalid) as invalid:
        load_world_text(EVIL_WORLD, "evil.yaml")
    found = {(p.path, p.message.split(":")[0]) for p in invalid.value.problems}
    for field in (
        "releases[1].name",
        "tags[0].name",
        "builds[0].nvr",
        "builds[1].rpms[0].summary",
        "builds[1].rpms[0].requires",
        "builds[1].rpms[0].files",
        "builds[1].rpms[1].arch",
        "builds[1].rpms[1].name",
        "builds[1].rpms[1].files",
    ):
        assert any(path == field for path, _ in found), field
    assert all(p.line for p in invalid.value.problems)  # each with its line


def test_a_settings_file_is_not_written_through_a_symlink(tmp_path):
    spec_path = write_spec(tmp_path)
    spec_path.write_text(
        spec_path.read_text().replace(
            "  triggers:", '  files:\n    "{home}/conf/app.ini": "koji = {koji}"\n  triggers:'
        )
    )
    spec = load_spec(spec_path)
    home, outside = tmp_path / "home", tmp_path / "outside"
    home.mkdir()
    outside.mkdir()
    os.symlink(outside, home / "conf")
    with pytest.raises(InputError, match=r"refusing to write \{home\}/conf/app.ini: .* leads outside"):
        write_files(spec, {"koji": "http://k"}, home)
    assert list(outside.iterdir()) == []
    (home / "conf").unlink()
    assert write_files(spec, {"koji": "http://k"}, home) == [home / "conf" / "app.ini"]
    assert Path(home / "conf" / "app.ini").read_text() == "koji = http://k"


def test_spec_files_and_environment_names_stay_inside(tmp_path):
    spec_path = write_spec(tmp_path)
    text = spec_path.read_text()
    spec_path.write_text(text.replace("  triggers:", '  files:\n    "{home}/../escape": "x"\n  triggers:'))
    with pytest.raises(WorldInvalid, match=r"system.files: .*no '\.\.'"):
        load_spec(spec_path)
    spec_path.write_text(text)
    from stagingqa.environment.lifecycle import reserve

    for name in ("../x", "a/b", ".hidden", ".."):
        with pytest.raises(InputError, match="invalid environment name"):
            reserve(load_spec(spec_path), name, "master")
    assert not (tmp_path / "x").exists()
