"""Mutants of a checkout with cosmic-ray's operators: which files, which operators, stable ids, diffs that
apply; the likeliest use cases first; equivalent mutants read from their file; the score."""

from __future__ import annotations

import pytest

from stagingqa.errors import InputError
from stagingqa.mutation.equivalent import load_equivalent
from stagingqa.mutation.mutants import REALISTIC, generate, operators, source_files
from stagingqa.mutation.outcome import MutantResult, MutationReport, Outcome
from stagingqa.mutation.selection import importers, order, touched

CHECK = """
def check(builds, latest):
    failed = 0
    for build in builds:
        if build["version"] < latest:
            failed += 1
    return "FAILED" if failed else "PASSED"
"""


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / "pkg" / "checks").mkdir(parents=True)
    (tmp_path / "pkg" / "checks" / "upgrade.py").write_text(CHECK)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_upgrade.py").write_text("def test(): assert 1 == 1\n")
    (tmp_path / "setup.py").write_text("VERSION = 1\n")
    return tmp_path


def test_files_to_mutate_leave_tests_out_unless_asked(checkout):
    assert [str(p) for p in source_files(checkout)] == ["pkg/__init__.py", "pkg/checks/upgrade.py"]
    assert [str(p) for p in source_files(checkout, ["tests/*.py"])] == ["tests/test_upgrade.py"]
    with pytest.raises(InputError, match=r"no Python file to mutate in .* \(nothing/\*\.py\)"):
        source_files(checkout, ["nothing/*.py"])


def test_operators_default_to_the_realistic_set_and_take_globs():
    assert operators() == list(REALISTIC)
    assert operators(["ReplaceComparisonOperator_Lt_*"]) == [
        f"core/ReplaceComparisonOperator_Lt_{to}" for to in ("Eq", "Gt", "GtE", "Is", "IsNot", "LtE", "NotEq")
    ]
    assert len(operators(["all"])) > 100
    with pytest.raises(InputError, match="no mutation operator matches 'Nonsense'"):
        operators(["Nonsense"])


def test_each_mutant_is_one_change_with_a_stable_id_and_a_diff_that_applies(checkout, tmp_path_factory):
    files = source_files(checkout)
    mutants = list(generate("pkg", checkout, files, operators()))
    kinds = {m.operator.removeprefix("core/") for m in mutants}
    assert {"ReplaceComparisonOperator_Lt_LtE", "NumberReplacer", "ZeroIterationForLoop", "AddNot"} <= kinds
    assert len({m.id for m in mutants}) == len(mutants)  # every id its own
    lt = next(m for m in mutants if m.operator.endswith("Lt_LtE"))
    assert (lt.path, lt.line, lt.definition) == ("pkg/checks/upgrade.py", 5, "check")
    assert '-        if build["version"] < latest:\n+        if build["version"] <= latest:' in lt.diff
    # the same code elsewhere (another clone, lines added above the function) gives the same ids
    other = tmp_path_factory.mktemp("other")
    (other / "pkg" / "checks").mkdir(parents=True)
    (other / "pkg" / "checks" / "upgrade.py").write_text("# a comment\n\n" + CHECK)
    moved = list(generate("pkg", other, [files[1]], operators()))
    assert [m.id for m in moved] == [m.id for m in mutants if m.path == "pkg/checks/upgrade.py"]
    before = [m.line for m in mutants if m.path == "pkg/checks/upgrade.py"]
    assert [m.line for m in moved] == [line + 2 for line in before]
    lt.apply(other)
    assert "<= latest" in (other / "pkg/checks/upgrade.py").read_text()


def test_the_use_cases_that_touched_what_the_mutant_names_run_first(checkout):
    [lt] = [
        m
        for m in generate("pkg", checkout, source_files(checkout), operators())
        if m.operator.endswith("Lt_LtE")
    ]
    cases = [
        touched("quick-unrelated", 0.5, [{"service": "bodhi", "path": "/comments/"}], ["rpmlint"]),
        touched("slow-upgrade", 3.0, [{"service": "koji", "path": "/", "call": ["listTagged"]}], ["upgrade"]),
        touched("quick-upgrade", 1.0, [{"service": "koji", "path": "/", "call": ["getBuild"]}], ["upgrade"]),
        touched("names-builds", 0.2, [{"service": "koji", "path": "/builds/"}], ["depcheck"]),
    ]
    # its module's check first (the quickest first), then a journal sharing a word with the code (builds)
    assert order(lt, cases) == ["quick-upgrade", "slow-upgrade", "names-builds", "quick-unrelated"]


def test_equivalent_mutants_come_with_why(tmp_path):
    path = tmp_path / "mutants-equivalent.yaml"
    assert load_equivalent(path) == {}
    path.write_text("- {id: 1a2b3c4d5e, why: same EVR means same NVR}\n")
    assert load_equivalent(path) == {"1a2b3c4d5e": "same EVR means same NVR"}
    path.write_text("- {id: 1a2b3c4d5e}\n")
    with pytest.raises(InputError, match=r"mutants-equivalent.yaml: entry 1: expected an id and why"):
        load_equivalent(path)
    path.write_text("- [unclosed\n")
    with pytest.raises(InputError, match=r"mutants-equivalent.yaml:2: not valid YAML"):
        load_equivalent(path)


def test_the_score_counts_what_a_use_case_could_tell_apart(checkout):
    mutants = list(generate("pkg", checkout, source_files(checkout), operators()))[:5]
    report = MutationReport("r", "abc", "pkg", ("a", "b"))
    outcomes = [Outcome.KILLED, Outcome.SURVIVED, Outcome.TIMEOUT, Outcome.EQUIVALENT, Outcome.BROKEN]
    report.results = [
        MutantResult(m, o, 1.0, ("a",) if o == Outcome.KILLED else ())
        for m, o in zip(mutants, outcomes, strict=True)
    ]
    assert report.score == 2 / 3 and report.exit_code == 1 and report.killers() == [("a", 1)]
    data = report.to_dict()
    assert data["counts"] == {"killed": 1, "survived": 1, "equivalent": 1, "broken": 1, "timeout": 1}
    assert data["mutants"][1]["outcome"] == "survived" and "code" not in data["mutants"][1]
    assert "5 mutants: 1 killed, 1 survived, 1 equivalent, 1 broken, 1 timeout; score 67%" in report.summary


def test_every_equivalent_mutant_shipped_is_a_mutant_of_autoqas_checks():
    """usecases/mutants-equivalent.yaml stays true: each id names a mutant the checks have today."""
    from tests.conftest import ROOT

    checkout = ROOT / "examples" / "autoqa"
    ids = {
        m.id
        for m in generate("autoqa", checkout, source_files(checkout, ["autoqa/checks/*.py"]), operators())
    }
    listed = load_equivalent(ROOT / "usecases" / "mutants-equivalent.yaml")
    assert len(listed) == 30 and set(listed) <= ids


def test_a_helper_modules_mutants_go_to_the_checks_that_import_it_first(checkout):
    (checkout / "pkg" / "checks" / "helper.py").write_text("def newer(a, b):\n    return a > b\n")
    (checkout / "pkg" / "checks" / "upgrade.py").write_text("from pkg.checks.helper import newer\n" + CHECK)
    files = source_files(checkout, ["pkg/checks/helper.py"])
    modules = importers(checkout, files)
    assert modules == {"pkg/checks/helper.py": {"helper", "upgrade"}}
    [gt] = [m for m in generate("pkg", checkout, files, operators()) if m.operator.endswith("Gt_GtE")]
    cases = [
        touched("quick-other", 0.5, [], ["rpmlint"]),
        touched("upgrade-check", 2.0, [], ["upgrade"]),
    ]
    assert order(gt, cases) == ["quick-other", "upgrade-check"]  # its own name only: the quickest
    assert order(gt, cases, modules[gt.path]) == ["upgrade-check", "quick-other"]  # its importer's check


def test_bad_options_are_named_before_anything_is_staged(tmp_path):
    import subprocess
    import sys

    from tests.conftest import write_spec

    spec = write_spec(tmp_path)
    (tmp_path / "equivalent.yaml").write_text("just: a mapping\n")
    for options, message in [
        (["--operators", "Nonsense"], "error: --operators: no mutation operator matches 'Nonsense'"),
        (["--component", "nope"], "error: no component 'nope' in the staging spec; it has: autoqa"),
        (["--equivalent", str(tmp_path / "equivalent.yaml")], "equivalent.yaml: expected a list of mutants"),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "stagingqa", "mutate", "--spec", str(spec), *options],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "state" / "envs").exists() or not list((tmp_path / "state" / "envs").iterdir())
