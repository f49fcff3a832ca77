"""The results UI when its mock host is gone: a page that needs it answers 503 with a message, not 404."""

from __future__ import annotations

import json
import os
import socket

from stagingqa.runs.store import RunStore
from stagingqa.spec import load_spec
from stagingqa.ui.app import create_app
from tests.conftest import write_spec


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_mock_host_that_does_not_answer_is_503(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    # the recorded host's process lives (this one), but nothing listens at its address any more
    record = spec.state_dir / "mockhost" / "host.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"pid": os.getpid(), "base": f"http://127.0.0.1:{closed_port()}"}))
    app = create_app(spec, RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}"))
    client = app.test_client()
    for page in ("/worlds/", "/worlds/some-world"):
        answer = client.get(page)
        assert answer.status_code == 503, page
        assert "Service unavailable" in answer.text and "mock host" in answer.text
    assert client.get("/runs/nosuchrun").status_code == 404
