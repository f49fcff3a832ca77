"""The environments page: every live environment (deployments first) with its branch, revisions, verdict,
age and expiry; one environment's page with its services, a form that runs one of the spec's triggers
against its world (results shown as they arrive), and a reset of its world. State-changing requests are
POSTs carrying the session's CSRF token."""

from __future__ import annotations

import hmac
import secrets
import shlex
import subprocess
import threading
import time
import uuid
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for

from stagingqa.environment.handle import Environment
from stagingqa.environment.placeholders import render
from stagingqa.environment.state import all_states
from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec, parse_duration
from stagingqa.verifier.runner import step_context

bp = Blueprint("environments", __name__)
OUTPUT_LIMIT = 20000  # characters of a trigger's output a page shows


def spec() -> LoadedSpec:
    return current_app.config["SPEC"]


def csrf_token() -> str:
    """The session's token, made on first use; every form of these pages carries it."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    if not hmac.compare_digest(sent, session.get("csrf", "") or "\0"):
        abort(400, "the form's CSRF token is missing or stale: reload the page and try again")


def live() -> list[Environment]:
    found = [Environment(spec(), folder, state) for folder, state in all_states(spec().state_dir) if state]
    return sorted(found, key=lambda env: (not env.state.deployment, env.name))


def expires(env: Environment) -> float:
    ttl = env.state.deployment.get("ttl") if env.state.deployment else None
    return env.state.last_used + (ttl or parse_duration(spec().spec.ttl))


def environment_or_404(name: str) -> Environment:
    try:
        env = Environment.open(spec(), name)
    except InputError:
        abort(404, f"no environment {name!r}: it expired or was undeployed (stagingqa deploy --list)")
    return env


@bp.get("/environments/")
def environments_page() -> Any:
    rows = [(env, expires(env)) for env in live()]
    return render_template("environments.html", rows=rows, now=time.time())


@bp.get("/environments/<name>")
def environment_page(name: str) -> Any:
    env = environment_or_404(name)
    triggers = spec().spec.system.triggers
    return render_template(
        "environment.html",
        env=env,
        expires=expires(env),
        triggers=triggers,
        csrf=csrf_token(),
        now=time.time(),
    )


@bp.post("/environments/<name>/trigger")
def run_trigger(name: str) -> Any:
    """Start one of the spec's triggers with a check and an item against the environment's own world."""
    check_csrf()
    env = environment_or_404(name)
    trigger = request.form.get("trigger", "")
    template = spec().spec.system.triggers.get(trigger)
    if template is None:
        return jsonify(
            message=f"unknown trigger {trigger!r}; the spec has: {', '.join(spec().spec.system.triggers)}"
        ), 400
    check, item = request.form.get("check", "").strip(), request.form.get("item", "").strip()
    values, environ = step_context(env, env.urls, env.world, env.home, spec().folder)
    # what a person typed is quoted for the shell: a trigger's command must not become theirs
    typed = {"check": shlex.quote(check), "item": shlex.quote(item), "type": trigger}
    command = render(template, {**values, **typed})
    before = len(env.control().export(env.world).get("results", []))
    job: dict[str, Any] = {"id": uuid.uuid4().hex[:12], "command": command, "state": "running", "exit": None}
    job.update(output="", before=before)  # before the thread: the first poll already knows what is new
    current_app.config.setdefault("JOBS", {})[job["id"]] = job
    threading.Thread(target=_run, args=(job, command, environ, env), daemon=True).start()
    return jsonify(
        job=job["id"], command=command, status_url=url_for(".job_status", name=name, job=job["id"])
    )


def _run(job: dict[str, Any], command: str, environ: dict[str, str], env: Environment) -> None:
    env.home.mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            command, shell=True, cwd=env.home, env=environ, capture_output=True, text=True, timeout=600
        )
        job["exit"], job["output"] = done.returncode, (done.stdout + done.stderr)[-OUTPUT_LIMIT:]
    except subprocess.TimeoutExpired:
        job["output"] = "(timed out after 600 s)"
    job["state"] = "done"


@bp.get("/environments/<name>/jobs/<job>")
def job_status(name: str, job: str) -> Any:
    """A trigger's state, output, and the results posted to the world since it started."""
    env = environment_or_404(name)
    found = current_app.config.get("JOBS", {}).get(job)
    if found is None:
        abort(404, f"no trigger run {job!r} (the UI forgets them when it restarts)")
    results = env.control().export(env.world).get("results", [])[found.get("before", 0) :]
    return jsonify({k: v for k, v in found.items() if k != "before"} | {"results": results})


@bp.post("/environments/<name>/reset")
def reset_world(name: str) -> Any:
    """Back to the world the environment was made with (what the control API's reset does)."""
    check_csrf()
    env = environment_or_404(name)
    env.control().reset_world(env.world)
    return redirect(url_for(".environment_page", name=name, reset=1))
