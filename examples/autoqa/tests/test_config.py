"""Configuration from the environment and from an INI file."""

import pytest
from autoqa.config import load_config
from autoqa.errors import ConfigError

ENV = {
    "AUTOQA_KOJI_URL": "http://k/kojihub",
    "AUTOQA_KOJI_FILES_URL": "http://k/files",
    "AUTOQA_BODHI_URL": "http://b",
    "AUTOQA_RESULTSDB_URL": "http://r/api/v2.0/",
}


def test_environment():
    config = load_config(environ=ENV)
    assert config.bodhi_url == "http://b/" and config.idp_url == "http://b/openidc"
    assert config.koji_files_url == "http://k/files/" and config.resultsdb_url == "http://r/api/v2.0"
    assert config.bodhi_user == "autoqa" and config.error_outcome == "NEEDS_INSPECTION"


def test_file_then_environment(tmp_path):
    path = tmp_path / "autoqa.ini"
    path.write_text("[autoqa]\nkoji_url = http://file/kojihub\nbodhi_user = qa-bot\nretries = 5\n")
    config = load_config(str(path), environ={**ENV, "AUTOQA_KOJI_URL": "http://env/kojihub"})
    assert config.koji_url == "http://env/kojihub" and config.bodhi_user == "qa-bot" and config.retries == 5


def test_missing_settings_are_named():
    with pytest.raises(ConfigError, match="AUTOQA_BODHI_URL, AUTOQA_RESULTSDB_URL"):
        load_config(environ={"AUTOQA_KOJI_URL": "x", "AUTOQA_KOJI_FILES_URL": "y"})
