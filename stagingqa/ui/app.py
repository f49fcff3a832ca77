"""The results UI's Flask app factory (served by waitress on 127.0.0.1 by `stagingqa ui`)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from flask import Flask, render_template

from stagingqa.errors import ServiceFailed, StagingQAError
from stagingqa.runs.store import RunStore, open_store
from stagingqa.spec import LoadedSpec


def create_app(spec: LoadedSpec, store: RunStore | None = None, buildbot_url: str | None = None) -> Flask:
    from stagingqa.ui.environments import bp as environments_bp
    from stagingqa.ui.history import bp as history_bp
    from stagingqa.ui.mutations import bp as mutations_bp
    from stagingqa.ui.runs import bp as runs_bp
    from stagingqa.ui.worlds import bp as worlds_bp

    app = Flask(__name__)
    app.config.update(SPEC=spec, STORE=store or open_store(spec), BUILDBOT_URL=buildbot_url)
    app.register_blueprint(runs_bp)
    app.register_blueprint(worlds_bp)
    app.register_blueprint(environments_bp)
    app.register_blueprint(history_bp)
    app.register_blueprint(mutations_bp)
    app.secret_key = secrets.token_hex(32)  # signs the session that holds the CSRF token; per process
    app.jinja_env.filters.update(when=_when, seconds=_seconds, pretty=_pretty, revision=_revision)
    app.jinja_env.globals.update(buildbot_url=buildbot_url)

    @app.errorhandler(StagingQAError)
    def known_error(exc: StagingQAError) -> Any:
        # a mock host that does not answer is the UI's trouble, not a bad link
        if isinstance(exc, ServiceFailed):
            return render_template("error.html", title="Service unavailable", message=exc.message), 503
        return render_template("error.html", title="Not found", message=exc.message), 404

    return app


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _revision(pin: str, length: int = 12) -> str:
    """A commit, shortened; a merge result's HEAD+BASE pin as 'HEAD merged into BASE'."""
    head, merged, base = pin.partition("+")
    return f"{head[:length]} merged into {base[:length]}" if merged else pin[:length]


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, indent=2, sort_keys=True, default=str)
