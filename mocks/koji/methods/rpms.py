"""RPM calls: listRPMs, getRPM, getRPMHeaders, signatures, and the tagged-RPM listings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from stagingqa.mocks.koji import shapes
from stagingqa.mocks.koji.artifacts import ensure_files
from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.lookups import find_build, find_tag, parse_nvra
from stagingqa.mocks.koji.methods.common import query_opts, tagged_row
from stagingqa.mocks.koji.rpmheaders import header_name, read_headers
from stagingqa.mocks.koji.tagged import tagged_builds
from stagingqa.mocks.store import tables as t


def _with_files(call: Any, rpms: list[t.Rpm]) -> list[t.Rpm]:
    ensure_files(call.state, call.session, rpms)
    return rpms


def list_rpms(
    call: Any,
    buildID: Any = None,
    buildrootID: Any = None,
    imageID: Any = None,
    componentBuildrootID: Any = None,
    hostID: Any = None,
    arches: Any = None,
    queryOpts: Any = None,
    draft: Any = None,
) -> Any:
    stmt = select(t.Rpm).order_by(t.Rpm.id)
    if buildID is not None:
        stmt = stmt.where(t.Rpm.build_id == buildID)
    if arches is not None:
        if isinstance(arches, str):
            arches = [arches]
        if not isinstance(arches, list | tuple):
            raise GenericError(f"Invalid type for arches parameter: {type(arches)}")
        stmt = stmt.where(t.Rpm.arch.in_(arches))
    if (
        buildrootID is not None
        or imageID is not None
        or componentBuildrootID is not None
        or hostID is not None
    ):
        return query_opts([], queryOpts)
    rpms = _with_files(call, list(call.session.scalars(stmt)))
    return query_opts([shapes.rpm_info(r) for r in rpms], queryOpts)


def list_build_rpms(call: Any, build: Any) -> list[dict[str, Any]]:
    found = find_build(call.session, build, strict=True)
    assert found is not None
    return list_rpms(call, buildID=found.id)


def find_rpm(call: Any, rpminfo: Any) -> list[t.Rpm]:
    if isinstance(rpminfo, bool):
        raise GenericError(f"Invalid type for rpminfo: {type(rpminfo)}")
    if isinstance(rpminfo, int) or (isinstance(rpminfo, str) and rpminfo.isdigit()):
        found = call.session.get(t.Rpm, int(rpminfo))
        return [found] if found else []
    if isinstance(rpminfo, str):
        rpminfo = parse_nvra(rpminfo)
    if not isinstance(rpminfo, dict):
        raise GenericError(f"Invalid type for rpminfo: {type(rpminfo)}")
    stmt = select(t.Rpm).where(
        t.Rpm.name == rpminfo.get("name"),
        t.Rpm.version == rpminfo.get("version"),
        t.Rpm.release == rpminfo.get("release"),
        t.Rpm.arch == rpminfo.get("arch"),
    )
    return list(call.session.scalars(stmt))


def get_rpm(call: Any, rpminfo: Any, strict: bool = False, multi: bool = False) -> Any:
    found = _with_files(call, find_rpm(call, rpminfo))
    if not found:
        if strict:
            parsed = parse_nvra(rpminfo) if isinstance(rpminfo, str) and not rpminfo.isdigit() else rpminfo
            raise GenericError(f"No such rpm: {parsed}")
        return [] if multi else None
    rows = [shapes.rpm_info(r, with_nvr=False) for r in found]
    return rows if multi else rows[0]


def get_rpm_headers(
    call: Any,
    rpmID: Any = None,
    taskID: Any = None,
    filepath: Any = None,
    headers: Any = None,
    strict: bool = False,
) -> dict[str, Any]:
    names = list(headers) if headers else None
    for name in names or []:
        header_name(name)  # an unknown header is an error whatever `strict` says
    if taskID is not None and filepath is None:
        raise GenericError("filepath must be specified with taskID")
    found = find_rpm(call, rpmID if rpmID is not None else (filepath or "").rsplit("/", 1)[-1])
    if not found:
        if strict:
            raise GenericError(f"No such rpm: {rpmID}")
        return {}
    built = ensure_files(call.state, call.session, found[:1])[found[0].id]
    return read_headers(built.path, names)


def get_rpm_deps(
    call: Any, rpmID: Any, depType: Any = None, queryOpts: Any = None, strict: bool = False
) -> Any:
    found = find_rpm(call, rpmID)
    if not found:
        if strict:
            raise GenericError(f"No such rpm: {rpmID}")
        return []
    built = ensure_files(call.state, call.session, found[:1])[found[0].id]
    raw = read_headers(
        built.path,
        [
            "requirename",
            "requireversion",
            "requireflags",
            "providename",
            "provideversion",
            "provideflags",
            "obsoletename",
            "obsoleteversion",
            "obsoleteflags",
            "conflictname",
            "conflictversion",
            "conflictflags",
        ],
    )
    rows = []
    for stem, kind in (("require", 0), ("provide", 1), ("obsolete", 2), ("conflict", 3)):
        names = raw.get(f"{stem}name") or []
        versions = raw.get(f"{stem}version") or [""] * len(names)
        flags = raw.get(f"{stem}flags") or [0] * len(names)
        rows += [
            {"name": n, "version": v, "flags": f, "type": kind}
            for n, v, f in zip(_listed(names), _listed(versions), _listed(flags), strict=False)
        ]
    rows = [r for r in rows if depType is None or r["type"] == depType]
    return query_opts(rows, queryOpts)


def _listed(value: Any) -> list[Any]:
    """rpmfile gives a one-entry array as its entry, and integer arrays (flags) as tuples."""
    return list(value) if isinstance(value, list | tuple) else [value]


def query_rpm_sigs(call: Any, rpm_id: Any = None, sigkey: Any = None, queryOpts: Any = None) -> Any:
    """The world's RPMs are unsigned: no signatures to report."""
    return query_opts([], queryOpts)


def list_tagged_rpms(
    call: Any,
    tag: Any,
    event: Any = None,
    inherit: bool = False,
    latest: Any = False,
    package: Any = None,
    arch: Any = None,
    rpmsigs: bool = False,
    owner: Any = None,
    type: Any = None,
    strict: bool = True,
    extra: bool = True,
    draft: Any = None,
) -> list[list[dict[str, Any]]]:
    found = find_tag(call.session, tag, strict)
    if found is None:
        return [[], []]
    return _rpms_and_builds(
        call, tagged_builds(call.session, found.id, inherit, latest, package, event=event), arch, extra
    )


def get_latest_rpms(
    call: Any,
    tag: Any,
    package: Any = None,
    arch: Any = None,
    event: Any = None,
    rpmsigs: bool = False,
    type: Any = None,
    draft: Any = None,
) -> list[list[dict[str, Any]]]:
    found = find_tag(call.session, tag)
    if found is None:
        raise GenericError(f"No such entry in table tag: {tag}")
    return _rpms_and_builds(
        call, tagged_builds(call.session, found.id, True, True, package, event=event), arch, True
    )


def _rpms_and_builds(call: Any, rows: list[Any], arch: Any, extra: bool) -> list[list[dict[str, Any]]]:
    builds = [
        tagged_row(call, build, call.session.get(t.Tag, tag_id), event) for build, tag_id, event in rows
    ]
    stmt = select(t.Rpm).where(t.Rpm.build_id.in_([b["build_id"] for b in builds])).order_by(t.Rpm.id)
    if arch:
        stmt = stmt.where(t.Rpm.arch.in_(arch if isinstance(arch, list) else [arch]))
    rpms = _with_files(call, list(call.session.scalars(stmt)))
    keys = (
        "name",
        "version",
        "release",
        "arch",
        "id",
        "epoch",
        "draft",
        "payloadhash",
        "size",
        "buildtime",
        "buildroot_id",
        "build_id",
        "metadata_only",
    )
    rpm_rows = [
        {k: v for k, v in shapes.rpm_info(r).items() if k in keys or (extra and k == "extra")} for r in rpms
    ]
    return [rpm_rows, builds]
