"""Pages of recorded runs: the runs list, one run, one use case (expected versus posted), its journal."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, url_for

from stagingqa.runs.history import flaky_pairs
from stagingqa.runs.records import UseCaseRecord, failures_first
from stagingqa.runs.store import RunStore
from stagingqa.ui.worlds import load_recorded_world
from stagingqa.verifier.matching import is_relevant

bp = Blueprint("runs", __name__)


def store() -> RunStore:
    return current_app.config["STORE"]


@bp.get("/")
def runs_page() -> Any:
    return render_template("runs.html", runs=store().list(200))


@bp.get("/runs/<run_id>")
def run_page(run_id: str) -> Any:
    run = store().get(run_id, heavy=False)
    return render_template(
        "run.html", run=run, cases=failures_first(run.usecases), previous=store().before(run)
    )


@bp.get("/runs/<run_id>/<usecase>")
def usecase_page(run_id: str, usecase: str) -> Any:
    run, case = store().get_usecase(run_id, usecase)
    flaky = flaky_pairs(store(), usecase).get(usecase, [])
    return render_template("usecase.html", run=run, case=case, relevant=_relevant_seqs(case), flaky=flaky)


@bp.get("/runs/<run_id>/<usecase>/journal")
def journal_page(run_id: str, usecase: str) -> Any:
    run, case = store().get_usecase(run_id, usecase)
    return render_template("journal.html", run=run, case=case, relevant=_relevant_seqs(case))


@bp.get("/runs/<run_id>/<usecase>/world/<when>")
def recorded_world(run_id: str, usecase: str, when: str) -> Any:
    """A recorded world (before or after the run) loaded into the mock host, then inspected as any world."""
    run, case = store().get_usecase(run_id, usecase)
    name = load_recorded_world(run.id, case, when)
    return redirect(url_for("worlds.world_page", name=name))


def _relevant_seqs(case: UseCaseRecord) -> set[int]:
    return {entry["seq"] for entry in case.journal if is_relevant(entry)}
