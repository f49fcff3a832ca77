"""Pages of runs over time: the use case by run grid with trends, one use case's history, two runs
compared, and a run's rows while it is in progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from stagingqa.runs import history
from stagingqa.runs.diff import diff_runs
from stagingqa.runs.records import failures_first
from stagingqa.ui.runs import store
from stagingqa.ui.svg import line_chart

bp = Blueprint("history", __name__)
DEFAULT_RUNS, MAX_RUNS = 30, 100  # a hundred columns is as wide as a grid reads; it renders in < 300 ms


@bp.get("/history")
def history_page() -> Any:
    limit = min(max(request.args.get("runs", DEFAULT_RUNS, type=int) or DEFAULT_RUNS, 1), MAX_RUNS)
    name, tag = request.args.get("name", ""), request.args.get("tag", "")
    found = history.grid(store(), limit, name, tag)
    trend = history.run_trend(found.runs)
    labels = [f"{r.id} {r.revision[:12]}" for r in reversed(found.runs)]
    charts = [
        line_chart({"seconds": trend["seconds"]}, labels, "run duration", " s"),
        line_chart({k: trend[k] for k in ("passed", "failed", "errors")}, labels, "verdicts per run"),
    ]
    return render_template("history.html", grid=found, charts=charts, limit=limit, name=name, tag=tag)


@bp.get("/history/<usecase>")
def usecase_history(usecase: str) -> Any:
    rows = history.usecase_runs(store(), usecase)
    ordered = list(reversed(rows))
    chart = line_chart(
        {"seconds": [r["seconds"] for r in ordered]},
        [f"{r['run_id']} {r['status']}" for r in ordered],
        f"{usecase}: duration",
        " s",
    )
    flaky = history.flaky_pairs(store(), usecase).get(usecase, [])
    return render_template("usecase_history.html", name=usecase, rows=rows, chart=chart, flaky=flaky)


@bp.get("/runs/<run_a>/diff/<run_b>")
def diff_page(run_a: str, run_b: str) -> Any:
    found = diff_runs(store().get(run_a, heavy=False), store().get(run_b, heavy=False))  # posts are light
    return render_template("diff.html", diff=found)


@bp.get("/runs/<run_id>/rows")
def run_rows(run_id: str) -> Any:
    """The run page's table body as it is now: a run in progress fills it as use cases complete."""
    run = store().get(run_id, heavy=False)
    return (
        render_template("run_rows.html", run=run, cases=failures_first(run.usecases)),
        200,
        {"X-Run-Status": run.status},
    )
