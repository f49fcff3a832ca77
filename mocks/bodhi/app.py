"""Flask app factory for the mock Bodhi, mounted by the host at /w/<world>/bodhi."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import MethodNotAllowed, NotFound

from stagingqa.mocks.bodhi import catalog, comments, identity, updates
from stagingqa.mocks.bodhi.errors import BodhiError

NOT_FOUND_PAGE = (
    "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
    "The resource could not be found.</body></html>"
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Bodhi's JSON answers (keys in the real order), its error body, 404 pages and 405 JSON."""
    app = Flask(__name__)
    app.config.update(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Bodhi emits a fixed, not alphabetical, order
    for blueprint in (updates.bp, comments.bp, catalog.bp, identity.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(BodhiError)
    def bodhi_error(exc: BodhiError) -> Any:
        return jsonify(exc.body()), exc.status

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Any:
        return NOT_FOUND_PAGE, 404, {"Content-Type": "text/html; charset=UTF-8"}

    @app.errorhandler(MethodNotAllowed)
    def not_allowed(exc: MethodNotAllowed) -> Any:
        from flask import request

        message = (
            f"The method {request.method} is not allowed for this resource. \n\n"
            f"The method {request.method} is not allowed for this resource. "
        )
        return jsonify(message=message, code="405 Method Not Allowed", title="Method Not Allowed"), 405

    return app
