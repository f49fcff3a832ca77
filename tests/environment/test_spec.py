"""The staging spec: the shipped one loads; mistakes are reported all at once with lines."""

from __future__ import annotations

import pytest

from stagingqa.spec import load_spec
from stagingqa.world import WorldInvalid
from tests.conftest import ROOT


def test_the_shipped_spec_loads():
    spec = load_spec(ROOT / "staging.yaml")
    assert spec.spec.name == "autoqa" and spec.repository == "example:autoqa"
    assert spec.world_file.exists() and spec.state_dir == ROOT / ".stagingqa"
    assert "{check}" in spec.spec.system.triggers["bodhi_update"]


def test_every_problem_with_its_line(tmp_path):
    path = tmp_path / "staging.yaml"
    path.write_text(
        "name: x\nsystem:\n  repository: r\n  colour: blue\n  environment:\n    A: '{kojo}'\n"
        "world: nowhere.yaml\nttl: forever\n"
    )
    with pytest.raises(WorldInvalid) as caught:
        load_spec(path)
    text = str(caught.value)
    assert f"{path}:4: system.colour: unknown field 'colour'" in text
    assert f"{path}:8: ttl:" in text and "expected a duration" in text


def test_placeholders_and_world_are_checked(tmp_path):
    path = tmp_path / "staging.yaml"
    path.write_text(
        "name: x\nsystem:\n  repository: r\n  environment:\n    A: '{kojo}'\nworld: nowhere.yaml\n"
    )
    with pytest.raises(WorldInvalid) as caught:
        load_spec(path)
    text = str(caught.value)
    assert f"{path}:5: system.environment.A: unknown placeholder {{kojo}}" in text
    assert "nowhere.yaml does not exist" in text
