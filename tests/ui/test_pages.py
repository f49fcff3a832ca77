"""The results UI's pages over HTTP: every page answers, everything posted is escaped, bad links are 404."""

from __future__ import annotations

import requests


def test_pages_answer_and_escape(ui, recorded):
    _, run = recorded
    assert run.id in requests.get(ui, timeout=30).text
    page = requests.get(f"{ui}runs/{run.id}", timeout=30).text
    assert "depcheck-satisfied-by-same-update" in page and "packager-comment" in page
    comment = requests.get(f"{ui}runs/{run.id}/packager-comment", timeout=30).text
    assert "&lt;script&gt;window.hacked = true;" in comment and "<script>window" not in comment
    journal = requests.get(f"{ui}runs/{run.id}/packager-comment/journal", timeout=30).text
    assert "/comments/" in journal and "<script>window" not in journal


def test_unknown_runs_and_worlds_are_404(ui):
    assert requests.get(f"{ui}runs/nosuchrun", timeout=30).status_code == 404
    assert requests.get(f"{ui}worlds/nosuchworld", timeout=30).status_code == 404
    assert requests.get(f"{ui}runs/latest/nosuchcase", timeout=30).status_code == 404
