"""The mutation pages in Chromium: the list of mutation runs with their scores, and one run's page with
its score, the survivors and their diffs, the use cases that kill most, every mutant. A mutant of code
that holds <script> is shown as text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stagingqa.mutation.mutants import generate, operators, source_files
from stagingqa.mutation.outcome import MutantResult, Outcome
from stagingqa.runs.mutations import MutationStore
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import write_spec
from tests.ui.serve import served_ui
from tests.ui.test_browser import browser, page  # noqa: F401 - the Chromium fixtures

CODE = """
def check(versions, latest):
    if versions[0] < latest:
        return "FAILED", "<script>window.hacked = 1</script>"
    return "PASSED", "ok"
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, list[MutantResult]]]:
    folder = tmp_path_factory.mktemp("mutation-ui")
    spec = load_spec(write_spec(folder))
    (folder / "src").mkdir()
    (folder / "src" / "check.py").write_text(CODE)
    mutants = list(generate("autoqa", folder / "src", source_files(folder / "src"), operators()))[:4]
    outcomes = [Outcome.SURVIVED, Outcome.KILLED, Outcome.KILLED, Outcome.TIMEOUT]
    killers = [(), ("upgradepath-passes",), ("upgradepath-passes", "depcheck-arch-specific"), ("koji-slow",)]
    results = [
        MutantResult(m, o, 2.5, k, k or ("a", "b"), "why" if o == Outcome.TIMEOUT else "")
        for m, o, k in zip(mutants, outcomes, killers, strict=True)
    ]
    recorder = MutationStore(open_store(spec))
    recorder.start_mutation(
        "mut1", spec=spec, revision="c" * 40, revisions={"autoqa": "c" * 40}, component="autoqa",
        baseline_run=None, operators=operators(), usecases=["upgradepath-passes", "depcheck-arch-specific"],
        excluded=["koji-flaky"], generated=9, planned=4,
    )  # fmt: skip
    for result in results:
        recorder.add_mutant("mut1", result.to_dict())
    recorder.finish_mutation("mut1", "finished", {"seconds": 10.0})
    with served_ui(spec.path) as base:
        yield base, results


def test_the_list_and_a_run_with_its_score_survivors_and_killers(page, served):  # noqa: F811
    ui, results = served
    page.goto(f"{ui}mutations")
    row = page.locator("tr.mutation-run", has_text="mut1")
    cells = row.locator("td").all_inner_texts()
    assert cells[2].lower() == "finished" and cells[5:8] == ["4 of 4", "75%", "1"]  # 3 of 4 told apart
    row.locator("a").click()
    assert page.url.endswith("/mutations/mut1")
    assert "Score 75%" in page.locator("#score").inner_text()
    assert "4 of 4 mutants judged (9 generated)" in page.locator("#score").inner_text()
    assert "koji-flaky" in page.content()  # the use case left out, named
    [survivor] = page.locator(".survivor").all()
    assert results[0].mutant.id in survivor.inner_text()
    assert results[0].mutant.diff.strip().splitlines()[-1].strip() in survivor.locator("pre").inner_text()
    assert page.locator("#killers tr").all_inner_texts()[1:] == [
        "upgradepath-passes\t2",
        "depcheck-arch-specific\t1",
        "koji-slow\t1",
    ]
    rows = page.locator("#mutants tr.mutant")
    assert [r.get_attribute("class").split()[1] for r in rows.all()] == [
        "survived", "timeout", "killed", "killed",
    ]  # fmt: skip
    assert "&lt;script&gt;window.hacked" in page.locator("#mutants").inner_html()  # as text, in the diffs
    assert not page.evaluate("window.hacked")
    page.goto(f"{ui}mutations/nothing-like-this")
    assert "no recorded mutation run 'nothing-like-this'" in page.content()


def test_the_pages_say_when_nothing_is_recorded(page, tmp_path):  # noqa: F811
    with served_ui(write_spec(tmp_path)) as base:
        page.goto(f"{base}mutations")
        assert "No mutation run recorded yet" in page.content()
