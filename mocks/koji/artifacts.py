"""Tie the world's RPM rows to real files: build (or find in the cache) and record size and SIGMD5."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stagingqa.mocks.koji.rpmbuild import Built, Recipe, ensure_built
from stagingqa.mocks.koji.times import koji_ts
from stagingqa.mocks.store import tables as t

FILES_KEY = "koji.files"  # world cache: rpm id -> Built


def recipe_for(rpm: t.Rpm, build: t.Build) -> Recipe:
    """The file a world's RPM row makes: a summary or license it does not give gets a default; one it
    gives as "" is left out of the file (what rpmlint's no-summary-tag and no-license find)."""
    stamp = build.completion_time or build.start_time
    return Recipe(
        name=rpm.name,
        epoch=rpm.epoch,
        version=rpm.version,
        release=rpm.release,
        arch=rpm.arch,
        summary=rpm.summary or f"The {rpm.name} package",
        license=rpm.license or "MIT",
        requires=tuple(rpm.requires),
        provides=tuple(rpm.provides),
        obsoletes=tuple(rpm.obsoletes),
        conflicts=tuple(rpm.conflicts),
        files=tuple(rpm.files),
        buildtime=int(koji_ts(stamp) or 0),
        leave_out=tuple(tag for tag in ("summary", "license") if getattr(rpm, tag) == ""),
        source=build.name if rpm.name != build.name and rpm.arch != "src" else None,
    )


def ensure_files(state: Any, session: Session, rpms: list[t.Rpm]) -> dict[int, Built]:
    """Built files for these RPM rows (in parallel when several are missing), rows updated in place."""
    known: dict[int, Built] = state.cache.setdefault(FILES_KEY, {})
    missing = [r for r in rpms if r.id not in known]
    if missing:
        builds = {
            b.id: b
            for b in session.scalars(select(t.Build).where(t.Build.id.in_({r.build_id for r in missing})))
        }
        recipes = [recipe_for(r, builds[r.build_id]) for r in missing]
        with ThreadPoolExecutor(max_workers=4) as pool:
            for rpm, built in zip(missing, pool.map(ensure_built, recipes), strict=True):
                known[rpm.id] = built
    for rpm in rpms:  # the ORM writes these back when the call's transaction commits
        built = known[rpm.id]
        if rpm.size != built.size or rpm.payloadhash != built.payloadhash:
            rpm.size, rpm.payloadhash, rpm.buildtime = built.size, built.payloadhash, built.buildtime
    return {rpm.id: known[rpm.id] for rpm in rpms}


def ensure_world_files(state: Any) -> int:
    """Build every RPM of a world (what `stagingqa world rpms` and the benchmark call); returns the count."""
    with state.database.session() as session:
        rpms = list(session.scalars(select(t.Rpm)))
        ensure_files(state, session, rpms)
        return len(rpms)
