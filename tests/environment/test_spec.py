"""The staging spec: the shipped one loads; mistakes are reported all at once with lines."""

from __future__ import annotations

import subprocess
import sys

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


def spec_error(tmp_path, text: str) -> str:
    from tests.conftest import BASIC_WORLD

    path = tmp_path / "staging.yaml"
    path.write_text(text.replace("WORLD", str(BASIC_WORLD)))
    done = subprocess.run(
        [sys.executable, "-m", "stagingqa", "list", "--spec", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    return done.stderr


def test_spec_errors_are_headed_as_spec_errors_in_plain_words(tmp_path):
    text = spec_error(tmp_path, "name: x\nsystem: [a, b]\nworld: WORLD\n")
    assert text.startswith("error: invalid staging spec (1 problem(s)):")
    assert "system: expected a mapping of fields" in text
    assert "instance of" not in text and "Input should" not in text and "System" not in text
    both = spec_error(tmp_path, "name: x\nsystem: {repository: r, components: [{name: a, repository: b}]}\n")
    assert "give either system.repository or system.components" in both
    assert "Value error" not in both


def test_a_command_beginning_with_a_placeholder_must_be_quoted(tmp_path):
    text = spec_error(
        tmp_path,
        "name: x\nsystem:\n  repository: r\n  install:\n    - {python} -m pip install .\nworld: WORLD\n",
    )
    assert "not valid YAML" in text and "must be quoted: '{python} -m ...'" in text
    check = spec_error(
        tmp_path, "name: x\nsystem:\n  repository: r\n  check: {python} -c 'import rpm'\nworld: WORLD\n"
    )
    assert "must be quoted" in check


def test_components_placeholders_and_files_are_checked(tmp_path):
    text = spec_error(
        tmp_path,
        "name: x\nsystem:\n  components:\n    - {name: runner, repository: r}\n"
        "    - {name: runner, repository: c}\nworld: WORLD\n",
    )
    assert "component names must differ: runner given twice" in text
    files = spec_error(
        tmp_path, "name: x\nsystem:\n  repository: r\n  files: {/etc/x.conf: a}\nworld: WORLD\n"
    )
    assert "system.files: '/etc/x.conf': a file goes under the use case's home: {home}/PATH" in files
    text = spec_error(
        tmp_path,
        "name: x\nsystem:\n  components: [{name: runner, repository: r, install: ['echo {src:checks}']}]\n"
        "  files:\n    '{home}/conf/a.yaml': {template: missing.yaml}\nworld: WORLD\n",
    )
    assert "system.components[0].install[0]: no component 'checks' for {src:checks}" in text
    assert "system.files.{home}/conf/a.yaml: template missing.yaml does not exist" in text


def test_placeholders_fill_spec_dir_and_component_checkouts(tmp_path):
    from stagingqa.environment.placeholders import placeholders, render
    from tests.conftest import BASIC_WORLD

    path = tmp_path / "staging.yaml"
    path.write_text(
        "name: x\nsystem:\n  components: [{name: runner, repository: r}, {name: checks, repository: c}]\n"
        f"world: {BASIC_WORLD}\n"
    )
    spec = load_spec(path)
    values = placeholders(spec, tmp_path / "env", {"koji": "http://k"}, "http://m", "w")
    assert render("{spec_dir}|{src}|{src:runner}|{src:checks}|{koji}|{nope}", values) == (
        f"{tmp_path}|{tmp_path}/env/src|{tmp_path}/env/src|{tmp_path}/env/components/checks|http://k|{{nope}}"
    )
    assert spec.repository == str(tmp_path / "r") and spec.install_commands == []
