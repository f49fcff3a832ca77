"""Flask app factory for the mock ResultsDB, mounted by the host at /w/<world>/resultsdb."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotFound, UnsupportedMediaType

from stagingqa.mocks.resultsdb.api import bp
from stagingqa.mocks.resultsdb.errors import ResultsDBError
from stagingqa.mocks.resultsdb.proxy import ReverseProxied


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The API under /api/v2.0; errors answer with the real server's bodies (405 and 415 stay HTML)."""
    app = Flask(__name__)
    app.config.update(config or {})
    app.json.sort_keys = True  # type: ignore[attr-defined]  # the real server's keys are alphabetical
    app.register_blueprint(bp, url_prefix="/api/v2.0")
    app.wsgi_app = ReverseProxied(app.wsgi_app)  # type: ignore[method-assign]

    @app.errorhandler(ResultsDBError)
    def service_error(exc: ResultsDBError) -> Any:
        return jsonify(exc.body), exc.status

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Any:
        return jsonify(message="Not found"), 404

    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest) -> Any:
        if isinstance(exc, MethodNotAllowed | UnsupportedMediaType):
            return exc
        return jsonify(message="Bad request"), 400

    @app.errorhandler(Exception)
    def crashed(exc: Exception) -> Any:
        if isinstance(exc, MethodNotAllowed | UnsupportedMediaType):
            return exc
        app.logger.exception("unexpected error")
        return jsonify(message="Internal Server Error"), 500

    return app
