"""The results UI in a real browser: Debian's Chromium, headless, driven by Playwright. With
STAGINGQA_SCREENSHOTS=1 the main pages are saved to docs/images/ (the README shows them)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # this machine's network is closed: no calls home
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if CHROMIUM is None:
        pytest.fail("Chromium not found at /usr/bin/chromium: run scripts/bootstrap test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def shot(page, name: str) -> None:
    if os.environ.get("STAGINGQA_SCREENSHOTS"):
        target = ROOT / "docs" / "images"
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"))


def test_the_runs_page_lists_the_run(page, ui, recorded):
    _, run = recorded
    page.goto(ui)
    row = page.locator("tr.run", has_text=run.id)
    assert row.locator(".status").inner_text().lower() == "failed"
    cells = row.locator("td").all_inner_texts()
    assert cells[2].startswith(run.revision[:12]) and cells[3] == "cli"
    assert cells[6:9] == ["3", "1", "0"]  # passed, failed, errors
    shot(page, "runs")
    row.locator("a").first.click()
    assert page.locator("h1").inner_text().startswith(f"Run {run.id}")
    assert page.locator("tr.usecase.failed-row").count() == 1
    shot(page, "run")


def test_a_failed_usecase_shows_expected_versus_posted(page, ui, recorded):
    _, run = recorded
    page.goto(f"{ui}runs/{run.id}")
    page.locator("tr.failed-row a").click()
    diff = page.locator(".failure-diff").first
    assert "outcome='PASSED'" in diff.locator(".expected").inner_text()
    posted = diff.locator(".posted").inner_text()
    assert "dist.depcheck FAILED" in posted and "outcome FAILED, expected PASSED" in posted
    assert page.locator("#results tr").count() >= 2
    shot(page, "usecase")
    page.locator("a", has_text="request journal").click()
    assert page.locator("#journal tr.relevant").count() >= 1


def test_a_script_in_a_comment_shows_as_text(page, ui, recorded):
    _, run = recorded
    page.goto(f"{ui}runs/{run.id}/packager-comment")
    text = page.locator(".comment .text").first.inner_text()
    assert text.startswith("<script>window.hacked = true;")
    assert page.evaluate("window.hacked") is None and page.dialogs == []
    page.locator("a", has_text="world after the run").click()
    bodhi = page.locator("section.update", has_text="FEDORA-2024-0000000001")
    assert "<script>window.hacked" in bodhi.inner_text()
    assert page.evaluate("window.hacked") is None and page.dialogs == []


def test_the_world_inspector_filters_like_the_api(page, ui, recorded):
    _, run = recorded
    page.goto(f"{ui}runs/{run.id}/watch-once-picks-new-items/world/after")
    everything = page.locator("#results tr.result").count()
    assert everything == 20  # the API's default page; more on the next
    assert page.locator("a", has_text="next").count() == 1
    page.fill("input[name=outcome]", "FAILED")
    page.click("button[type=submit]")
    outcomes = page.locator("#results tr.result .status").all_inner_texts()
    assert outcomes and set(outcomes) == {"FAILED"} and len(outcomes) < everything
    page.fill("input[name=outcome]", "")
    page.fill("input[name='testcases:like']", "dist.rpm*")
    page.fill("input[name=type]", "koji_build")
    page.click("button[type=submit]")
    rows = page.locator("#results tr.result").all_inner_texts()
    assert rows and all("dist.rpmlint" in r and "koji_build" in r for r in rows)
    page.fill("input[name=limit]", "banana")
    page.click("button[type=submit]")
    assert "ResultsDB answered 400" in page.content()  # the API's own error, shown
    page.goto(page.url.split("?")[0])
    shot(page, "world")
    assert page.locator("section.update").count() >= 1 and page.locator("#builds tr").count() > 1


def test_the_browser_is_the_systems_chromium(browser):
    # Playwright drives /usr/bin/chromium, never a browser of its own download
    printed = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=True).stdout
    assert browser.version in printed
