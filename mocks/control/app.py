"""Flask app factory for the control API."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from stagingqa.mocks.control.api import bp


def create_app(registry: Any, services: dict[str, Any], token: str | None = None) -> Flask:
    """The control app for one host; `token`, when set, is required as a bearer token on every request."""
    app = Flask(__name__)
    app.config.update(REGISTRY=registry, SERVICES=services, TOKEN=token)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.register_blueprint(bp, url_prefix="/_control")

    @app.before_request
    def require_token() -> Any:
        if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
            return jsonify(
                message="the control API needs 'Authorization: Bearer <STAGINGQA_CONTROL_TOKEN>'"
            ), 401
        return None

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        return jsonify(message=exc.description), exc.code

    return app
