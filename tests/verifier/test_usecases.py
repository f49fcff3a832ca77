"""Every use case in usecases/ is valid; broken use cases are reported with file and line."""

from __future__ import annotations

import pytest

from stagingqa.spec import load_spec
from stagingqa.verifier.usecase import find_usecases, load_usecase
from stagingqa.world import WorldInvalid
from tests.conftest import ROOT

SPEC = load_spec(ROOT / "staging.yaml")
TRIGGERS = SPEC.spec.system.triggers
USECASES = find_usecases([ROOT / "usecases"])


def test_there_are_at_least_twenty():
    assert len(USECASES) >= 20
    assert not any("worlds" in p.parts for p in USECASES)
    assert "mutants-equivalent.yaml" not in {p.name for p in USECASES}  # stagingqa mutate's, beside them


@pytest.mark.parametrize("path", USECASES, ids=[p.stem for p in USECASES])
def test_usecase_is_valid(path):
    loaded = load_usecase(path, TRIGGERS)
    assert loaded.usecase.name == path.stem
    assert loaded.usecase.description and loaded.usecase.tags
    assert loaded.world_document["name"] == loaded.usecase.name


def write(tmp_path, text):
    (tmp_path / "worlds").mkdir(exist_ok=True)
    (tmp_path / "worlds" / "w.yaml").write_text(
        "name: w\nreleases: [{name: F41, version: '41'}]\nbuilds: [{nvr: a-1-1.fc41}]\n"
    )
    path = tmp_path / "case.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("name: x\nworld: {base: worlds/w.yaml}\nsteps: [{command: true}\n", 4, "not valid YAML"),
        (
            "name: x\nworld: {base: worlds/w.yaml}\ncolour: red\nsteps: [{command: 'true'}]\n",
            3,
            "unknown field 'colour'",
        ),
        (
            "name: x\nworld: {base: worlds/w.yaml}\nsteps:\n  - {trigger: nope, check: c, item: i}\n",
            4,
            "unknown trigger 'nope'",
        ),
        ("name: x\nworld: {base: worlds/missing.yaml}\nsteps: [{command: 'true'}]\n", 2, "does not exist"),
        (
            "name: x\nworld:\n  base: worlds/w.yaml\n  overlay:\n"
            "    updates: [{alias: U, release: F41, builds: [b-1-1]}]\n"
            "steps: [{command: 'true'}]\n",
            5,
            "unknown build 'b-1-1'",
        ),
        (
            "name: x\nworld: {base: worlds/w.yaml}\nsteps: [{trigger: bodhi_update}]\n",
            3,
            "needs check and item",
        ),
        (
            "name: x\nworld: {base: worlds/w.yaml}\nfaults:\n"
            "  - {service: resultsdb, respond: {status: 503}}\n"
            "  - {service: resultdb, respond: {status: 503}}\n"
            "steps: [{command: 'true'}]\n",
            5,
            "faults[1].service: service must be one of koji, kojifiles, bodhi, resultsdb",
        ),
        (
            "name: x\nworld: {base: worlds/w.yaml}\nfaults:\n"
            "  - service: koji\n    times: 0\n    respond: {status: 503}\n"
            "steps: [{command: 'true'}]\n",
            5,
            "faults[0].times: times must be a positive integer",
        ),
        (
            "name: x\nworld: {base: worlds/w.yaml}\nfaults: [{service: bodhi, respond: {}}]\n"
            "steps: [{command: 'true'}]\n",
            3,
            "respond needs a status, a body, drop: true or a delay_ms",
        ),
        (
            "name: x\nworld: {base: worlds/w.yaml}\nsteps: [{command: 'true'}]\n"
            "expect: {budgets: {requests: {kojii: 3}}}\n",
            4,
            "unknown service(s) ['kojii']",
        ),
    ],
)
def test_broken_usecases_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(WorldInvalid) as caught:
        load_usecase(path, TRIGGERS)
    problem = caught.value.problems[0]
    assert problem.line == line and message in str(caught.value)
