"""Settings from AUTOQA_* environment variables, or an INI file's [autoqa] section."""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path

from autoqa.errors import ConfigError

KEYS = (
    "koji_url",
    "koji_files_url",
    "bodhi_url",
    "idp_url",
    "bodhi_user",
    "resultsdb_url",
    "state_file",
    "error_outcome",
    "retries",
    "retry_delay",
)
REQUIRED = ("koji_url", "koji_files_url", "bodhi_url", "resultsdb_url")


@dataclass(frozen=True)
class Config:
    koji_url: str
    koji_files_url: str
    bodhi_url: str
    idp_url: str
    bodhi_user: str
    resultsdb_url: str
    state_file: Path
    error_outcome: str
    retries: int
    retry_delay: float


def load_config(path: str | None = None, environ: dict[str, str] | None = None) -> Config:
    """Environment variables win over the file; a missing required setting is an error naming it."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, str] = {}
    path = path or environ.get("AUTOQA_CONFIG")
    if path:
        parser = configparser.ConfigParser()
        if not parser.read(path):
            raise ConfigError(f"cannot read config file {path}")
        values.update({k: v for k, v in parser["autoqa"].items()} if parser.has_section("autoqa") else {})
    values.update({k: environ[f"AUTOQA_{k.upper()}"] for k in KEYS if f"AUTOQA_{k.upper()}" in environ})
    missing = [f"AUTOQA_{k.upper()}" for k in REQUIRED if not values.get(k)]
    if missing:
        raise ConfigError(
            f"missing settings: {', '.join(missing)} (environment or [autoqa] in the config file)"
        )
    bodhi = values["bodhi_url"].rstrip("/") + "/"
    try:
        retries, delay = int(values.get("retries", "3")), float(values.get("retry_delay", "0.5"))
    except ValueError as exc:
        raise ConfigError(f"retries and retry_delay must be numbers: {exc}") from None
    return Config(
        koji_url=values["koji_url"],
        koji_files_url=values["koji_files_url"].rstrip("/") + "/",
        bodhi_url=bodhi,
        idp_url=values.get("idp_url") or bodhi + "openidc",
        bodhi_user=values.get("bodhi_user", "autoqa"),
        resultsdb_url=values["resultsdb_url"].rstrip("/"),
        state_file=Path(values.get("state_file") or Path.home() / ".local/state/autoqa/state.json"),
        error_outcome=values.get("error_outcome", "NEEDS_INSPECTION"),
        retries=max(retries, 1),
        retry_delay=delay,
    )
