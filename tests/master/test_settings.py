"""Master settings: the YAML file, STAGINGQA_<KEY> overrides, clear errors; the configuration loads."""

from __future__ import annotations

import pytest

from stagingqa.errors import InputError
from stagingqa.master.settings import BUILDBOT_DIR, Settings, load_settings, settings_environment
from tests.conftest import ROOT


def test_the_shipped_settings_and_overrides(tmp_path):
    settings = load_settings(BUILDBOT_DIR / "master.yaml", environ={})
    assert settings.spec == str(ROOT / "staging.yaml") and settings.poll_interval == 60
    overridden = load_settings(
        BUILDBOT_DIR / "master.yaml",
        environ={
            "STAGINGQA_POLL_INTERVAL": "2",
            "STAGINGQA_WORKERS": "{w1: secret}",
            "STAGINGQA_TITLE": "123",
        },
    )
    assert (
        overridden.poll_interval == 2 and overridden.workers == {"w1": "secret"} and overridden.title == "123"
    )
    # what `stagingqa master start` hands the master process reads back as the same settings
    assert load_settings(BUILDBOT_DIR / "master.yaml", environ=settings_environment(overridden)) == overridden


def test_bad_settings_are_named(tmp_path):
    path = tmp_path / "master.yaml"
    path.write_text("poll_interval: soon\n")
    with pytest.raises(InputError, match=r"master.yaml: setting poll_interval must be int, not 'soon'"):
        load_settings(path, environ={})
    path.write_text("pollinterval: 2\n")
    with pytest.raises(InputError, match="unknown setting.s. pollinterval"):
        load_settings(path, environ={})
    with pytest.raises(InputError, match="STAGINGQA_JOBS: setting jobs must be int"):
        load_settings(BUILDBOT_DIR / "master.yaml", environ={"STAGINGQA_JOBS": "many"})


def test_the_configuration_has_every_part(tmp_path):
    import os

    from buildbot.config.master import FileLoader

    settings = Settings(spec=str(ROOT / "staging.yaml"), workers={"remote1": "pw"}, www_port=18010)
    os.environ.update(settings_environment(settings))
    try:
        config = FileLoader(str(tmp_path), str(BUILDBOT_DIR / "master.cfg")).loadConfig()
    finally:
        for key in settings_environment(settings):
            os.environ.pop(key, None)
    assert set(config.schedulers) == {"on-commit", "nightly", "force"}
    assert [w.workername for w in config.workers] == ["local", "remote1"]
    assert config.buildbotNetUsageData is None
    [builder] = config.builders
    names = [step.kwargs["name"] for step in builder.factory.steps]
    assert names == ["verify", "compare-upgrade", "teardown"]
    assert builder.factory.steps[-1].kwargs["alwaysRun"] is True  # torn down even when verify fails
    assert all(step.kwargs.get("logEnviron") is False for step in builder.factory.steps)
    assert not (BUILDBOT_DIR / "__init__.py").exists()  # buildbot/ must never shadow the real buildbot
