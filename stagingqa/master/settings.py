"""The master's settings: buildbot/master.yaml, then STAGINGQA_<KEY> environment overrides (as YAML)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from stagingqa.environment.install import repository_source
from stagingqa.errors import InputError
from stagingqa.spec import load_spec

BUILDBOT_DIR = Path(__file__).resolve().parent.parent.parent / "buildbot"
BUILDER = "verify"


@dataclass
class Settings:
    title: str = "stagingqa"
    spec: str = "../staging.yaml"
    repository: str = ""
    branch: str = ""
    poll_interval: int = 60
    tree_stable_timer: int = 1
    nightly_hour: int = 3
    nightly_minute: int = 0
    upgrade_from: str = "~1"
    www_port: int = 8010
    pb_port: int = 9989
    pb_interface: str = "127.0.0.1"
    local_worker: bool = True
    workers: dict[str, str] = field(default_factory=dict)
    ui_url: str = "http://127.0.0.1:8020/"
    jobs: int = 2
    usecases: list[str] = field(default_factory=list)
    db_url: str = "sqlite:///state.sqlite"
    deploy_branches: list[str] = field(default_factory=list)  # glob patterns, e.g. feature/*
    deploy_gc_interval: int = 300  # seconds between undeploying gone branches and expired environments

    @property
    def www_url(self) -> str:
        return f"http://127.0.0.1:{self.www_port}/"


def settings_path() -> Path:
    return Path(os.environ.get("STAGINGQA_SETTINGS") or BUILDBOT_DIR / "master.yaml")


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Defaults, the YAML file, then STAGINGQA_<KEY> variables; a wrong key or type is an InputError."""
    path = path or settings_path()
    environ = dict(os.environ if environ is None else environ)
    try:
        data = yaml.safe_load(path.read_text()) or {} if path.exists() else {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: the settings must be a mapping")
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InputError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
    defaults = Settings()
    for name in known:
        raw = environ.get(f"STAGINGQA_{name.upper()}")
        if raw is not None:  # text settings are taken as they are, the others parsed as YAML
            data[name] = raw if isinstance(getattr(defaults, name), str) else yaml.safe_load(raw)
    for name, value in data.items():
        expected = type(getattr(defaults, name))
        if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
            source = f"STAGINGQA_{name.upper()}" if f"STAGINGQA_{name.upper()}" in environ else str(path)
            raise InputError(f"{source}: setting {name} must be {expected.__name__}, not {value!r}")
    settings = Settings(**data)
    # paths are relative to the settings file, or to the current folder when an environment variable gave them
    spec_base = Path.cwd() if "STAGINGQA_SPEC" in environ else path.parent
    settings.spec = str((spec_base / settings.spec).resolve())
    usecases_base = Path.cwd() if "STAGINGQA_USECASES" in environ else path.parent
    settings.usecases = [str((usecases_base / p).resolve()) for p in settings.usecases]
    return settings


def settings_environment(settings: Settings) -> dict[str, str]:
    """The same settings as environment overrides, for the master process `stagingqa master` starts."""
    values: dict[str, Any] = {f.name: getattr(settings, f.name) for f in fields(Settings)}
    return {
        f"STAGINGQA_{k.upper()}": v if isinstance(v, str) else json.dumps(v)  # JSON is YAML
        for k, v in values.items()
    }


@dataclass(frozen=True)
class Watched:
    """A component's repository the master polls and checks out: a codebase of every build."""

    name: str
    repository: str
    branch: str


def system_repositories(settings: Settings) -> list[Watched]:
    """Every component's repository and branch, the primary one first (its may come from the settings)."""
    spec = load_spec(Path(settings.spec))
    watched = []
    for n, component in enumerate(spec.components):
        repository = repository_source(spec.repository_of(component), spec.state_dir)
        branch = component.branch
        if n == 0:
            repository, branch = settings.repository or repository, settings.branch or branch
        watched.append(Watched(component.name, repository, branch))
    return watched
