"""SQLAlchemy models of one world's state, shared by the Koji, Bodhi and ResultsDB mocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Tables live in a per-world schema (PostgreSQL) or a per-world database (SQLite)."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: DateTime(timezone=False)}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    email: Mapped[str | None]
    groups: Mapped[list[Any]]


class Release(Base):
    __tablename__ = "releases"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[str]
    state: Mapped[str]
    id_prefix: Mapped[str]
    long_name: Mapped[str | None]
    branch: Mapped[str | None]
    dist_tag: Mapped[str | None]


class Event(Base):
    """Koji's event counter: every tagging change is one event."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[dt.datetime]


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    arches: Mapped[list[Any]]
    locked: Mapped[bool]
    perm: Mapped[str | None]


class TagInheritance(Base):
    __tablename__ = "tag_inheritance"
    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("tags.id"))
    priority: Mapped[int]


class Package(Base):
    __tablename__ = "packages"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)


class TagPackage(Base):
    """A package listed in a tag (Koji's tag_packages), possibly blocked."""

    __tablename__ = "tag_packages"
    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"))
    owner: Mapped[str]
    blocked: Mapped[bool]


class Build(Base):
    __tablename__ = "builds"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), index=True)
    nvr: Mapped[str] = mapped_column(String(512), unique=True)
    name: Mapped[str]
    version: Mapped[str]
    release: Mapped[str]
    epoch: Mapped[int | None]
    owner: Mapped[str]
    state: Mapped[str]
    task_id: Mapped[int | None]
    creation_event: Mapped[int]
    start_time: Mapped[dt.datetime]
    completion_time: Mapped[dt.datetime | None]
    log: Mapped[str | None] = mapped_column(Text)


class TagListing(Base):
    """One tagging of a build into a tag; untagging sets the revoke event (Koji's tag_listing)."""

    __tablename__ = "tag_listing"
    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"))
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id"), index=True)
    create_event: Mapped[int]
    revoke_event: Mapped[int | None]
    creator: Mapped[str]
    revoker: Mapped[str | None]
    seeded: Mapped[bool]
    __table_args__ = (Index("ix_tag_listing_tag_active", "tag_id", "revoke_event"),)


class Rpm(Base):
    __tablename__ = "rpms"
    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id"), index=True)
    name: Mapped[str]
    version: Mapped[str]
    release: Mapped[str]
    epoch: Mapped[int | None]
    arch: Mapped[str]
    summary: Mapped[str | None]
    license: Mapped[str | None]
    requires: Mapped[list[Any]]
    provides: Mapped[list[Any]]
    obsoletes: Mapped[list[Any]]
    conflicts: Mapped[list[Any]]
    files: Mapped[list[Any]]
    size: Mapped[int | None] = mapped_column(BigInteger)
    payloadhash: Mapped[str | None]
    buildtime: Mapped[int | None] = mapped_column(BigInteger)


class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent: Mapped[int | None]
    method: Mapped[str]
    arch: Mapped[str]
    label: Mapped[str | None]
    state: Mapped[int]
    owner: Mapped[str]
    request: Mapped[list[Any]]
    create_time: Mapped[dt.datetime]
    start_time: Mapped[dt.datetime | None]
    completion_time: Mapped[dt.datetime | None]


class Update(Base):
    __tablename__ = "updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(64), unique=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"))
    type: Mapped[str]
    severity: Mapped[str]
    status: Mapped[str]
    request: Mapped[str | None]
    submitter: Mapped[str]
    date_submitted: Mapped[dt.datetime]
    date_modified: Mapped[dt.datetime | None]
    title: Mapped[str | None]
    notes: Mapped[str] = mapped_column(Text)
    bugs: Mapped[list[Any]]
    autokarma: Mapped[bool]
    autotime: Mapped[bool]
    stable_karma: Mapped[int | None]
    unstable_karma: Mapped[int | None]
    critpath: Mapped[bool]
    date_testing: Mapped[dt.datetime | None]
    date_stable: Mapped[dt.datetime | None]


class UpdateBuild(Base):
    __tablename__ = "update_builds"
    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("updates.id"), index=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id"), index=True)


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("updates.id"), index=True)
    user: Mapped[str]
    text: Mapped[str] = mapped_column(Text)
    karma: Mapped[int]
    timestamp: Mapped[dt.datetime]
    bug_feedback: Mapped[list[Any]]


class Testcase(Base):
    __tablename__ = "testcases"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    ref_url: Mapped[str | None] = mapped_column(Text)


class ResultGroup(Base):
    __tablename__ = "result_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(Text, unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    ref_url: Mapped[str | None] = mapped_column(Text)


class Result(Base):
    __tablename__ = "results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    testcase_id: Mapped[int] = mapped_column(ForeignKey("testcases.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    ref_url: Mapped[str | None] = mapped_column(Text)
    submit_time: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class ResultGroupLink(Base):
    __tablename__ = "result_group_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("result_groups.id"), index=True)


class ResultData(Base):
    __tablename__ = "result_data"
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id"), index=True)
    key: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_result_data_key_value", "key", "value"),)


# children before parents: the order rows are deleted in on reset
class Repo(Base):
    """A Koji repository of a tag: its contents are the tag's latest builds at `create_event`."""

    __tablename__ = "repos"
    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), index=True)
    create_event: Mapped[int]
    creation_time: Mapped[dt.datetime]
    state: Mapped[int]  # koji.REPO_STATES: 1 READY, 3 EXPIRED
    task_id: Mapped[int | None]
    reason: Mapped[str]  # what made it: "first request", "tag changed", "newRepo"


DELETE_ORDER = [
    Repo,
    ResultData,
    ResultGroupLink,
    Result,
    ResultGroup,
    Testcase,
    Comment,
    UpdateBuild,
    Update,
    Task,
    Rpm,
    TagListing,
    Build,
    TagPackage,
    Package,
    TagInheritance,
    Tag,
    Event,
    Release,
    User,
]
