"""Koji's lookup conventions: NVR strings, name-or-id values, NVRA file names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.koji.errors import GenericError, ParameterError
from stagingqa.mocks.store import tables as t


def parse_nvr(text: str) -> dict[str, str]:
    """Split at the last two dashes (an 'E:' prefix on the name is the epoch); else 'invalid format'."""
    parts = text.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        raise GenericError(f"invalid format: {text}")
    name, version, release = parts
    epoch = ""
    if ":" in name:
        epoch, name = name.split(":", 1)
    return {"name": name, "version": version, "release": release, "epoch": epoch}


def parse_nvra(text: str) -> dict[str, str]:
    """An RPM file name or NVRA: strip '.rpm' and '@location'; the text after the last '.' is the arch."""
    if text.endswith(".rpm"):
        text = text[:-4]
    text = text.split("@", 1)[0]
    if "." not in text:
        raise GenericError(f"invalid format: {text}")
    rest, arch = text.rsplit(".", 1)
    nvr = parse_nvr(rest)
    return {**nvr, "arch": arch}


def find_build(session: Session, info: Any, strict: bool = False) -> t.Build | None:
    """A build by id, NVR string or {name, version, release}; strict raises 'No such build'."""
    build: t.Build | None
    if isinstance(info, bool):
        raise GenericError(f"Invalid type for argument: {type(info)}")
    if isinstance(info, int):
        build = session.get(t.Build, info)
    elif isinstance(info, str):
        nvr = parse_nvr(info)
        build = session.scalar(
            select(t.Build).where(
                t.Build.name == nvr["name"],
                t.Build.version == nvr["version"],
                t.Build.release == nvr["release"],
            )
        )
    elif isinstance(info, dict):
        if not all(k in info for k in ("name", "version", "release")):
            raise GenericError("did not provide name, version, and release")
        build = session.scalar(
            select(t.Build).where(
                t.Build.name == info["name"],
                t.Build.version == info["version"],
                t.Build.release == info["release"],
            )
        )
    else:
        raise GenericError(f"Invalid type for argument: {type(info)}")
    if build is None and strict:
        raise GenericError(f"No such build: {info!r}" if isinstance(info, str) else f"No such build: {info}")
    return build


def by_name_or_id(session: Session, table: Any, info: Any) -> Any:
    """Koji's name_or_id rule: int is an id, str a name, dict uses id or name; anything else is an error."""
    if isinstance(info, bool) or not isinstance(info, int | str | dict):
        raise ParameterError(f"Invalid name or id value: {info!r}")
    if isinstance(info, dict):
        info = info.get("id", info.get("name"))
        if info is None:
            raise ParameterError("Invalid name or id value: {}")
    if isinstance(info, int):
        return session.get(table, info)
    return session.scalar(select(table).where(table.name == info))


def find_tag(session: Session, info: Any, strict: bool = False) -> t.Tag | None:
    tag = by_name_or_id(session, t.Tag, info)
    if tag is None and strict:
        raise GenericError(f"No such tagInfo: {info!r}")
    return tag


def find_user(session: Session, info: Any) -> t.User | None:
    return by_name_or_id(session, t.User, info)


def user_ids(session: Session) -> dict[str, int]:
    """Every user name with its id (owners are stored by name)."""
    return {name: uid for uid, name in session.execute(select(t.User.id, t.User.name)).all()}
