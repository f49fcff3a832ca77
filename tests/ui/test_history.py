"""The history pages in Chromium: the use case by run grid (first failures and flaky use cases marked,
filters), trend charts drawn as inline SVG, one use case over time, two runs compared side by side, and a
run in progress filling in without a reload. A use case named with <script> and a note carrying one are
shown as text."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from stagingqa.runs.store import RunStore, open_store
from stagingqa.spec import load_spec
from stagingqa.verifier.verdict import Failure, Status, Verdict
from tests.conftest import write_spec
from tests.ui.serve import served_ui
from tests.ui.test_browser import browser, page  # noqa: F401 - the Chromium fixtures

EVIL = "<script>window.hacked=1</script>"
EVIL_NAME = "<script>window.hacked=2<\\script>"  # no '/': a use case name is a URL segment
WORLD = {"name": "w", "builds": [{"nvr": "a-1-1"}]}
SPECS: list = []  # the module's spec, for record()


def verdict(
    name: str, status: str, seconds: float = 1.0, note: str = "ok", tags: str = "[upgradepath]"
) -> Verdict:
    failed = status == "failed"
    return Verdict(
        name,
        f"/u/{name}.yaml",
        Status(status),
        seconds,
        (Failure("results: outcome='PASSED'", "outcome FAILED, expected PASSED"),) if failed else (),
        world=f"v-{name}",
        usecase_text=f"name: x\ntags: {tags}\n",
        world_document=WORLD,
        results=(
            {
                "testcase": "dist.upgradepath",
                "outcome": "FAILED" if failed else "PASSED",
                "note": note,
                "data": {"item": ["X"]},
            },
        ),
    )


def record(
    store: RunStore, run_id: str, revision: str, verdicts: list[Verdict], started: float, finish: bool = True
) -> None:
    store.start(
        run_id, spec=SPECS[0], environment="e", revision=revision, ref="master", trigger="cli", selection={}
    )
    with store.engine.begin() as db:
        from stagingqa.runs.schema import runs

        db.execute(runs.update().where(runs.c.id == run_id).values(started=started))
    for v in verdicts:
        store.add(run_id, v)
    if finish:
        failed = any(v.status == "failed" for v in verdicts)
        store.finish(run_id, "failed" if failed else "passed", sum(v.seconds for v in verdicts))


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, RunStore]]:
    folder = tmp_path_factory.mktemp("history")
    spec = load_spec(write_spec(folder))
    store = open_store(spec)
    SPECS[:] = [spec]
    now = time.time() - 1000
    # rev A: all pass; rev B: alpha fails (its first failure), then passes at B again (flaky); beta slows
    record(
        store,
        "run-a",
        "a" * 40,
        [
            verdict("alpha", "passed"),
            verdict("beta", "passed", 1.0),
            verdict(EVIL_NAME, "passed", tags="[evil]"),
        ],
        now,
    )
    record(
        store,
        "run-b",
        "b" * 40,
        [verdict("alpha", "failed", note=EVIL), verdict("beta", "passed", 2.0)],
        now + 10,
    )
    record(store, "run-c", "b" * 40, [verdict("alpha", "passed"), verdict("beta", "passed", 4.0)], now + 20)
    with served_ui(spec.path) as base:
        yield base, store


def test_the_grid_marks_first_failures_and_flaky_use_cases(page, served):  # noqa: F811
    ui, _ = served
    page.goto(f"{ui}history")
    assert page.locator("#grid th.run-head").count() >= 3
    alpha = page.locator("tr.grid-row[data-name='alpha']")
    cells = alpha.locator("td.cell")
    assert [cells.nth(n).get_attribute("class").split()[1] for n in range(3)] == [
        "passed",
        "failed",
        "passed",
    ]
    assert "first-failure" in cells.nth(1).get_attribute("class") and cells.nth(1).inner_text().strip() == "!"
    assert alpha.locator(".status.flaky").count() == 1  # failed and passed at revision b, same world
    assert page.locator("tr.grid-row[data-name='beta'] .status.flaky").count() == 0
    assert page.locator(".charts svg").count() == 2  # drawn on the server, inline
    assert page.locator("tr.grid-row", has_text="<script>").count() == 1 and not page.evaluate(
        "window.hacked"
    )
    cells.nth(1).locator("a").click()
    assert page.url.endswith("/runs/run-b/alpha")
    assert page.locator("h1 .status.flaky").count() == 1  # on its page too, both runs linked
    assert page.locator("#flaky a").all_inner_texts() == ["passed in run run-c", "not in run run-b"]
    page.goto(f"{ui}history?tag=evil")
    assert page.locator("tr.grid-row").count() == 1
    page.goto(f"{ui}history?name=bet")
    assert [r.get_attribute("data-name") for r in page.locator("tr.grid-row").all()] == ["beta"]


def test_one_use_case_over_time_with_its_flaky_runs(page, served):  # noqa: F811
    ui, _ = served
    page.goto(f"{ui}history/alpha")
    assert page.locator("#usecase-runs tr").count() == 4  # a header and three runs
    links = page.locator("#flaky a").all_inner_texts()
    assert "passed in run run-c" in links and "not in run run-b" in links
    page.goto(f"{ui}history/beta")
    points = page.locator(".charts svg circle title").evaluate_all("els => els.map(e => e.textContent)")
    assert [p.split()[-2] for p in points] == ["1", "2", "4"]  # seconds, getting slower, oldest first


def test_two_runs_compared_side_by_side(page, served):  # noqa: F811
    ui, _ = served
    page.goto(f"{ui}runs/run-a")
    page.goto(f"{ui}runs/run-a/diff/run-b")
    section = page.locator("section.changed[data-name='alpha']")
    assert (
        "passed" in section.locator("h3").inner_text().lower()
        and "failed" in section.locator("h3").inner_text().lower()
    )
    assert EVIL in section.locator(".side-b").inner_text() and not page.evaluate("window.hacked")
    page.goto(f"{ui}runs/run-c")
    page.get_by_text("compared with the run before").click()
    assert page.url.endswith("/runs/run-b/diff/run-c")


def test_a_run_in_progress_fills_in_without_a_reload(page, served):  # noqa: F811
    ui, store = served
    record(store, "run-live", "c" * 40, [verdict("alpha", "passed")], time.time(), finish=False)
    page.goto(f"{ui}runs/run-live")
    assert page.title() == "Run run-live · stagingqa"
    page.evaluate("window.sameDocument = true")
    assert page.locator("#rows tr").count() == 1
    store.add("run-live", verdict("beta", "failed"))
    page.wait_for_function("document.querySelectorAll('#rows tr').length === 2", timeout=10000)
    store.finish("run-live", "failed", 2.0)
    page.wait_for_function(
        "document.getElementById('live').textContent.startsWith('finished')", timeout=10000
    )
    assert page.evaluate("window.sameDocument") is True
