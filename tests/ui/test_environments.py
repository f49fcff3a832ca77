"""The environments page in Chromium: a live environment listed, a trigger run from its page whose output
and results appear without a reload (typed text quoted and shown as text), a world reset behind a
confirmation, CSRF on every POST, and a clear page for an environment that is gone."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import down_all, write_spec
from tests.ui.test_browser import browser, page  # noqa: F401 - the Chromium fixtures

ITEM = "FEDORA-2024-abcdef0123"  # the update of examples/worlds/fedora-basic.yaml


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("environments")
    spec = write_spec(folder)
    made = subprocess.run(
        [sys.executable, "-m", "stagingqa", "up", "--name", "manual", "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert made.returncode == 0, made.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "stagingqa", "ui", "--spec", str(spec), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline().strip()
    assert line.startswith("ui: "), line
    yield spec, line.removeprefix("ui: ")
    proc.terminate()
    proc.wait(15)
    down_all(spec)


def test_the_environments_page_lists_it(page, staged):  # noqa: F811
    _, ui = staged
    page.goto(f"{ui}environments/")
    row = page.locator("#environments tr.environment", has_text="manual")
    assert row.count() == 1 and "env-manual" in row.inner_text()
    row.get_by_role("link", name="manual", exact=True).click()
    assert page.url.endswith("/environments/manual")
    assert "/w/env-manual/bodhi/" in page.locator("#facts").inner_text()


def test_a_trigger_runs_from_the_page_and_its_results_appear_without_a_reload(page, staged):  # noqa: F811
    _, ui = staged
    page.goto(f"{ui}environments/manual")
    page.evaluate("window.sameDocument = true")
    page.select_option("select[name=trigger]", "bodhi_update")
    page.fill("input[name=check]", "upgradepath")
    page.fill("input[name=item]", ITEM)
    page.click("#trigger button")
    page.wait_for_selector("#job-results tr.result", timeout=60000)
    page.wait_for_function(
        "document.getElementById('job-state').textContent.startsWith('done')", timeout=60000
    )
    assert "dist.upgradepath" in page.locator("#job-results").inner_text()
    assert page.evaluate("window.sameDocument") is True  # no reload happened
    # typed text is quoted for the shell and shown as text, never run or parsed
    page.fill("input[name=item]", "<script>window.hacked = 1</script>; touch /tmp/stagingqa-injected")
    page.click("#trigger button")
    state = "document.getElementById('job-state').textContent"
    page.wait_for_function(f"{state}.startsWith('done') && {state}.includes('window.hacked')", timeout=60000)
    assert "<script>window.hacked = 1</script>" in page.locator("#job-state").inner_text()
    assert page.evaluate("window.hacked") is None
    assert not Path("/tmp/stagingqa-injected").exists()


def test_reset_asks_first_and_every_post_needs_the_token(page, browser, staged):  # noqa: F811
    _, ui = staged
    page.goto(f"{ui}environments/manual")
    page.click("#reset button")  # the page fixture dismisses the confirmation: nothing happens
    assert page.dialogs and "Reset world env-manual" in page.dialogs[-1]
    assert page.locator("#reset-done").count() == 0
    base = page.locator("#facts").inner_text().split("resultsdb")[1].split()[0].split("/w/")[0]
    results = f"{base}/w/env-manual/resultsdb/api/v2.0/results"
    before = requests.get(results, timeout=30).json()["data"]
    assert any(r["data"]["item"] == [ITEM] for r in before)  # the trigger test posted some
    context = browser.new_context()
    accepting = context.new_page()
    accepting.on("dialog", lambda dialog: dialog.accept())
    accepting.goto(f"{ui}environments/manual")
    accepting.click("#reset button")
    accepting.wait_for_selector("#reset-done")
    context.close()
    after = requests.get(results, timeout=30).json()["data"]
    assert len(after) < len(before) and not any(r["data"]["item"] == [ITEM] for r in after)
    refused = requests.post(f"{ui}environments/manual/reset", timeout=30)
    assert refused.status_code == 400 and "CSRF" in refused.text
    assert (
        requests.post(f"{ui}environments/manual/trigger", data={"trigger": "x"}, timeout=30).status_code
        == 400
    )


def test_a_gone_environment_says_so(staged):
    _, ui = staged
    gone = requests.get(f"{ui}environments/expired-one", timeout=30)
    assert gone.status_code == 404 and "expired or was undeployed" in gone.text
