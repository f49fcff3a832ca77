"""The world file's shape (../shared/spec/world.md) as pydantic models that reject unknown fields."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

NAME_PATTERN = r"^[A-Za-z0-9._-]+$"
# What becomes a file name or an RPM header on the mock host (an RPM's file name, its spec, a repository's
# folder): the characters real ones use, never '/' or a control character, so a world cannot reach
# outside the mock host's folders nor inject a line into an RPM spec.
NVR_PATTERN = r"^[A-Za-z0-9._+~^-]+$"
TAG_PATTERN = r"^[A-Za-z0-9._+-]+$"
ARCH_PATTERN = r"^[A-Za-z0-9_]+$"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(value: Any) -> Any:
    """Text that goes into an RPM header: one line, no control characters."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str) and CONTROL.search(text):
            raise ValueError(f"{text!r}: a control character (a newline?) where one line of text belongs")
    return value


def packaged_paths(value: list[str]) -> list[str]:
    """Files of an RPM: absolute paths inside its root, one line each, no '..', '%' (a macro to rpm) or
    quotes."""
    for path in value:
        bad = CONTROL.search(path) or '"' in path or "%" in path
        if not path.startswith("/") or ".." in path.split("/") or bad:
            raise ValueError(
                f"{path!r}: a file is an absolute path, without '..', '%', quotes or control characters"
            )
    return value


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time without an offset is UTC; every time is kept timezone-aware in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class Strict(BaseModel):
    """Base: unknown fields are an error, so a typo never silently changes a world."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class User(Strict):
    name: str = Field(min_length=1)
    groups: list[str] = []
    email: str | None = None
    password: str | None = None  # for Koji password logins; default: the user name


class BasePackage(Strict):
    """A package of a release's base system, given by name, version and what it provides: it is in every
    Koji repository of the release's tags (metadata only: there is no RPM file), so that dependency
    resolution has something to stand on without building hundreds of RPMs."""

    name: str = Field(pattern=NVR_PATTERN)
    version: str = Field(pattern=NVR_PATTERN)
    release: str = Field(default="1", pattern=NVR_PATTERN)
    epoch: int | None = None
    arch: str | None = Field(default=None, pattern=ARCH_PATTERN)  # None: one for each arch of a repository
    summary: str | None = None
    provides: list[str] = []
    requires: list[str] = []
    files: list[str] = []

    _one_line = field_validator("summary", "provides", "requires")(one_line)
    _paths = field_validator("files")(packaged_paths)


class Release(Strict):
    name: str = Field(pattern=TAG_PATTERN)
    version: str = Field(min_length=1)
    state: Literal["current", "pending", "frozen", "archived"] = "current"
    id_prefix: str = "FEDORA"
    long_name: str | None = None
    branch: str | None = None
    dist_tag: str | None = None
    base_packages: list[BasePackage] = []


class Tag(Strict):
    name: str = Field(pattern=TAG_PATTERN)
    arches: list[str] = []
    inherits: list[str] = []
    locked: bool = False
    perm: str | None = None


class PackageEntry(Strict):
    tag: str
    name: str
    blocked: bool = False
    owner: str | None = None


class Rpm(Strict):
    arch: str = Field(pattern=ARCH_PATTERN)
    name: str | None = Field(default=None, pattern=NVR_PATTERN)
    summary: str | None = None
    license: str | None = None
    requires: list[str] = []
    provides: list[str] = []
    obsoletes: list[str] = []
    conflicts: list[str] = []
    files: list[str] = []

    _one_line = field_validator("summary", "license", "requires", "provides", "obsoletes", "conflicts")(
        one_line
    )
    _paths = field_validator("files")(packaged_paths)


BuildState = Literal["BUILDING", "COMPLETE", "DELETED", "FAILED", "CANCELED"]


class Build(Strict):
    nvr: str = Field(pattern=NVR_PATTERN)
    epoch: int | None = None
    owner: str = "packager1"
    state: BuildState = "COMPLETE"
    started: dt.datetime | None = None
    completed: dt.datetime | None = None
    tags: list[str] = []
    rpms: list[Rpm] | None = None
    log: str | None = None

    _utc = field_validator("started", "completed")(as_utc)

    @property
    def name(self) -> str:
        return self.nvr.rsplit("-", 2)[0]

    @property
    def version(self) -> str:
        return self.nvr.rsplit("-", 2)[1]

    @property
    def release(self) -> str:
        return self.nvr.rsplit("-", 2)[2]


class BugFeedback(Strict):
    bug_id: int
    karma: Annotated[int, Field(ge=-1, le=1)] = 0


class Comment(Strict):
    user: str = Field(min_length=1)
    text: str = ""
    karma: Annotated[int, Field(ge=-1, le=1)] = 0
    when: dt.datetime | None = None
    bug_feedback: list[BugFeedback] = []

    _utc = field_validator("when")(as_utc)


class Update(Strict):
    alias: str = Field(min_length=1)
    release: str
    builds: list[str] = Field(min_length=1)
    type: Literal["bugfix", "security", "enhancement", "newpackage"] = "bugfix"
    severity: Literal["unspecified", "low", "medium", "high", "urgent"] = "unspecified"
    status: Literal[
        "pending", "testing", "stable", "unpushed", "obsolete", "side_tag_active", "side_tag_expired"
    ] = "testing"
    request: Literal["testing", "stable", "unpush", "revoke", "obsolete"] | None = None
    submitter: str = "packager1"
    submitted: dt.datetime | None = None
    title: str | None = None
    notes: str = ""
    bugs: list[int] = []
    autokarma: bool = True
    autotime: bool = False
    stable_karma: int | None = 3
    unstable_karma: int | None = -3
    critpath: bool = False
    date_testing: dt.datetime | None = None  # default: `submitted` for testing and stable updates
    date_stable: dt.datetime | None = None  # default: `submitted` for stable updates
    comments: list[Comment] = []
    karma: int | None = None  # Bodhi's karma sum as an export states it; seeding derives it from comments

    _utc = field_validator("submitted", "date_testing", "date_stable")(as_utc)


class Result(Strict):
    testcase: str = Field(min_length=1)
    outcome: str = Field(min_length=1)
    submitted: dt.datetime | None = None
    note: str | None = None
    ref_url: str | None = None
    groups: list[str] = []
    data: dict[str, Any] = {}

    _utc = field_validator("submitted")(as_utc)


class HistoryEntry(Strict):
    """A tagging change after the builds' own tags, as an export writes it."""

    action: Literal["tag", "untag"]
    build: str
    tag: str
    user: str = "packager1"
    when: dt.datetime | None = None

    _utc = field_validator("when")(as_utc)


class TestcaseEntry(Strict):
    name: str = Field(min_length=1)
    ref_url: str | None = None


class GroupEntry(Strict):
    uuid: str = Field(min_length=1)
    description: str | None = None
    ref_url: str | None = None


class BodhiSettings(Strict):
    """Who the mock identity provider logs in when no user is named, and Bodhi's system users."""

    default_user: str = "autoqa"
    system_users: list[str] = ["bodhi"]


class ResultsDBSettings(Strict):
    """ResultsDB's configuration and the testcases and groups that exist before any result."""

    extra_outcomes: list[str] = []
    testcases: list[TestcaseEntry] = []
    groups: list[GroupEntry] = []


class World(Strict):
    """One predetermined state of Koji, Bodhi and ResultsDB."""

    name: str = Field(pattern=NAME_PATTERN)
    description: str | None = None
    now: dt.datetime | None = None
    users: list[User] = []
    releases: list[Release] = []
    tags: list[Tag] = []
    packages: list[PackageEntry] = []
    builds: list[Build] = []
    updates: list[Update] = []
    history: list[HistoryEntry] = []
    results: list[Result] = []
    resultsdb: ResultsDBSettings = ResultsDBSettings()
    bodhi: BodhiSettings = BodhiSettings()

    _utc = field_validator("now")(as_utc)
