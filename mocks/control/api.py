"""Control API routes: thin handlers that call the world registry and render JSON or YAML."""

from __future__ import annotations

import re
from typing import Any

import yaml
from flask import Blueprint, Response, current_app, jsonify, request

from stagingqa.mocks.faults import FaultRuleInvalid
from stagingqa.mocks.services import Service
from stagingqa.mocks.worlds import WorldRegistry, WorldState
from stagingqa.world import WorldInvalid
from stagingqa.world.loader import validate
from stagingqa.world.model import NAME_PATTERN
from stagingqa.world.source import parse_text

bp = Blueprint("control", __name__)


def registry() -> WorldRegistry:
    return current_app.config["REGISTRY"]


def world_or_404(name: str) -> WorldState | Response:
    state = registry().get(name)
    if state is None:
        response = jsonify(message=f"unknown world {name!r}")
        response.status_code = 404
        return response
    return state


def services() -> list[Service]:
    """The services this host mounts, from its table."""
    return list(current_app.config["SERVICES"].values())


def entry(name: str) -> dict[str, Any]:
    """A world as GET /_control/worlds lists it, with its services' absolute URLs."""
    base = request.root_url.rstrip("/") + f"/w/{name}"
    return {
        "name": name,
        "default": name == registry().default,
        "services": {service.name: service.url(base) for service in services()},
    }


@bp.get("/health")
def health() -> Any:
    return jsonify(status="ok", worlds=len(registry().names()))


@bp.get("/worlds")
def list_worlds() -> Any:
    return jsonify([entry(name) for name in registry().names()])


@bp.get("/worlds/<name>")
def get_world(name: str) -> Any:
    found = world_or_404(name)
    return found if isinstance(found, Response) else jsonify(entry(name))


@bp.put("/worlds/<name>")
def put_world(name: str) -> Any:
    if not re.match(NAME_PATTERN, name):
        return jsonify(message=f"invalid world name {name!r}: use letters, digits, '-', '_' and '.'"), 400
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        return jsonify(message=f"the body must be a world document in UTF-8: {exc}", problems=[]), 400
    if not text.strip():
        return jsonify(message="the body must be a world document (YAML or JSON)", problems=[]), 400
    try:
        located = parse_text(text, f"PUT /_control/worlds/{name}")
        if isinstance(located.data, dict):
            located.data.setdefault("name", name)
        world = validate(located)
    except WorldInvalid as exc:
        return jsonify(
            message=f"world {name!r} is not valid: {len(exc.problems)} problem(s)",
            problems=[p.to_dict() for p in exc.problems],
        ), 400
    registry().put(name, world)
    return jsonify(entry(name)), 201


@bp.post("/worlds/<name>/reset")
def reset_world(name: str) -> Any:
    found = world_or_404(name)
    if isinstance(found, Response):
        return found
    found.reset()
    return jsonify(entry(name))


@bp.delete("/worlds/<name>")
def delete_world(name: str) -> Any:
    if not registry().delete(name):
        return jsonify(message=f"unknown world {name!r}"), 404
    if registry().default == name:
        registry().default = None
    return "", 204


@bp.get("/worlds/<name>/export")
def export_world(name: str) -> Any:
    found = world_or_404(name)
    if isinstance(found, Response):
        return found
    document = found.export()
    if request.accept_mimetypes.best_match(["application/json", "application/yaml"]) == "application/yaml":
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        return Response(text, mimetype="application/yaml")
    return jsonify(document)


@bp.get("/worlds/<name>/journal")
def journal(name: str) -> Any:
    found = world_or_404(name)
    if isinstance(found, Response):
        return found
    wanted = {s for s in ",".join(request.args.getlist("service")).split(",") if s}
    known = {s.name for s in services()}
    if wanted - known:
        return jsonify(message=f"unknown service(s) {sorted(wanted - known)}; known: {sorted(known)}"), 400
    try:
        since = int(request.args.get("since", "0"))
    except ValueError:
        return jsonify(message="since must be a sequence number (an integer)"), 400
    return jsonify([e.to_dict() for e in found.journal.entries(wanted, since)])


@bp.post("/worlds/<name>/faults")
def add_fault(name: str) -> Any:
    found = world_or_404(name)
    if isinstance(found, Response):
        return found
    doc = request.get_json(silent=True)
    try:
        rule = found.faults.add(doc, [s.name for s in services()])
    except FaultRuleInvalid as exc:
        return jsonify(message=f"invalid fault rule: {exc}"), 400
    return jsonify(id=rule.id, rule=rule.to_dict()), 201


@bp.get("/worlds/<name>/faults")
def list_faults(name: str) -> Any:
    found = world_or_404(name)
    if isinstance(found, Response):
        return found
    return jsonify([r.to_dict() for r in found.faults.rules()])


@bp.delete("/worlds/<name>/faults")
@bp.delete("/worlds/<name>/faults/<int:rule_id>")
def delete_faults(name: str, rule_id: int | None = None) -> Any:
    found = world_or_404(name)
    if isinstance(found, Response):
        return found
    if not found.faults.remove(rule_id):
        return jsonify(message=f"no fault rule {rule_id} in world {name!r}"), 404
    return "", 204
