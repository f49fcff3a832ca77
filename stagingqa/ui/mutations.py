"""Mutation runs (stagingqa mutate): the list with each run's score, and one run's page: its score and
counts, the survivors with their diffs (what the use cases miss), which use cases kill the most, and
every mutant with its outcome."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from stagingqa.runs.mutations import MutationStore

bp = Blueprint("mutations", __name__)
ORDER = ("survived", "timeout", "broken", "killed", "equivalent")  # what needs a look first


def mutation_store() -> MutationStore:
    return MutationStore(current_app.config["STORE"])


@bp.get("/mutations")
def mutations_page() -> Any:
    return render_template("mutations.html", runs=mutation_store().list_mutations(100))


@bp.get("/mutations/<run_id>")
def mutation_page(run_id: str) -> Any:
    run = mutation_store().get_mutation(run_id)
    mutants = sorted(run.mutants, key=lambda m: (ORDER.index(m.outcome), m.path, m.line))
    counts = {outcome: run.count(outcome) for outcome in ORDER}
    return render_template("mutation.html", run=run, mutants=mutants, counts=counts)
