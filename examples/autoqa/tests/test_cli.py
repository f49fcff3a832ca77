"""The command line: usage errors and configuration errors are messages with exit codes, not tracebacks."""

import pytest
from autoqa.cli import main


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["run", "--check", "nope", "--item", "x", "--type", "koji_build"])
    assert caught.value.code == 2


def test_missing_configuration_exits_2(capsys, monkeypatch):
    for name in ("AUTOQA_KOJI_URL", "AUTOQA_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert main(["run", "--check", "upgradepath", "--item", "x", "--type", "koji_build"]) == 2
    assert "missing settings: AUTOQA_KOJI_URL" in capsys.readouterr().err
