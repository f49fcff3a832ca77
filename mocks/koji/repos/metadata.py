"""Yum metadata (repomd.xml, primary, filelists, other) for a repo arch, made by createrepo_c's Python
library from the world's real RPM files and, for base packages, from their declared name, version and
provides. Made lazily on the first request, and cached by content: a repo with the same packages is
written once on a machine.

createrepo_c comes from the package registry (createrepo-c, pinned in constraints.txt) rather than the
distribution's python3-createrepo-c: that one is built for /usr/bin/python3 only, and the mock host runs
on stagingqa's own interpreter."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from stagingqa.mocks.koji.artifacts import ensure_files
from stagingqa.mocks.koji.repos.contents import Contents, describe
from stagingqa.mocks.koji.rpmbuild import cache_root
from stagingqa.world.model import BasePackage

MEMO_KEY = "koji.repodata"  # world cache: (repo id, arch) -> folder with repodata/
DEPENDENCY = re.compile(r"^(\S+)(?:\s+(<=|>=|=|<|>)\s+(\S+))?$")
FLAGS = {"=": "EQ", ">=": "GE", "<=": "LE", "<": "LT", ">": "GT"}
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def package_href(rpm: Any, build: Any) -> str:
    """Where a repo arch folder finds an RPM: Koji links `toplink` in each repo to its top directory."""
    filename = f"{rpm.name}-{rpm.version}-{rpm.release}.{rpm.arch}.rpm"
    return f"../toplink/packages/{build.name}/{build.version}/{build.release}/{rpm.arch}/{filename}"


def repodata(state: Any, session: Session, repo_id: int, arch: str, found: Contents) -> Path:
    """The folder whose repodata/ describes `found`; made once per content on this machine."""
    memo: dict[tuple[int, str], Path] = state.cache.setdefault(MEMO_KEY, {})
    if (repo_id, arch) in memo:
        return memo[(repo_id, arch)]
    built = ensure_files(state, session, [rpm for rpm, _build in found.rpms])
    files = sorted(str(built[rpm.id].path) for rpm, _build in found.rpms)
    key = hashlib.sha256(json.dumps([arch, files, describe(found)]).encode()).hexdigest()[:32]
    folder = cache_root() / "_repodata" / key
    if not (folder / "repodata" / "repomd.xml").exists():
        with _lock_for(key):
            if not (folder / "repodata" / "repomd.xml").exists():
                packages = [
                    _from_file(built[rpm.id].path, package_href(rpm, build)) for rpm, build in found.rpms
                ]
                packages += [_from_declaration(base) for base in found.base]
                _write(folder, packages, key)
    memo[(repo_id, arch)] = folder
    return folder


def _write(folder: Path, packages: list[Any], revision: str) -> None:
    """repodata/ in a temporary folder first, moved into place whole: a reader never sees half of it."""
    import createrepo_c as cr  # a second's import: only the mock host's repo requests pay it

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".repodata-"))
    data = work / "repodata"
    data.mkdir()
    paths = {kind: data / f"{kind}.xml.gz" for kind in ("primary", "filelists", "other")}
    writers = [
        cr.PrimaryXmlFile(str(paths["primary"])),
        cr.FilelistsXmlFile(str(paths["filelists"])),
        cr.OtherXmlFile(str(paths["other"])),
    ]
    ordered = sorted(packages, key=lambda p: (p.name, p.arch, p.epoch or "0", p.version, p.release))
    for writer in writers:
        writer.set_num_of_pkgs(len(ordered))
        for package in ordered:
            writer.add_pkg(package)
        writer.close()
    repomd = cr.Repomd()
    repomd.set_revision(revision)
    for kind, path in paths.items():
        record = cr.RepomdRecord(kind, str(path))
        record.fill(cr.SHA256)
        record.rename_file()  # <checksum>-primary.xml.gz, as Koji's createrepo writes them
        repomd.set_record(record)
    (data / "repomd.xml").write_text(repomd.xml_dump())
    try:
        os.rename(work, folder)
    except OSError:  # another process made the same content first
        shutil.rmtree(work, ignore_errors=True)


def _from_file(path: Path, href: str) -> Any:
    import createrepo_c as cr

    return cr.package_from_rpm(str(path), cr.SHA256, href, None, 10)


def _from_declaration(base: BasePackage) -> Any:
    """A metadata-only package: what a release's base system provides, with no file behind it."""
    import createrepo_c as cr

    package = cr.Package()
    epoch = str(base.epoch or 0)
    package.name, package.epoch, package.version, package.release = (
        base.name,
        epoch,
        base.version,
        base.release,
    )
    package.arch = base.arch or "noarch"
    nevra = f"{base.name}-{epoch}:{base.version}-{base.release}.{package.arch}"
    package.pkgId = hashlib.sha256(f"base package {nevra}".encode()).hexdigest()
    package.checksum_type = "sha256"
    package.summary = base.summary or f"{base.name} (base system)"
    package.description = package.summary
    package.url = package.rpm_license = package.rpm_sourcerpm = ""
    package.location_href = f"../toplink/base/{base.name}-{base.version}-{base.release}.{package.arch}.rpm"
    for attr in ("time_file", "time_build", "size_package", "size_installed", "size_archive"):
        setattr(package, attr, 0)
    package.provides = [(base.name, "EQ", epoch, base.version, base.release, False)]
    package.provides += [_dependency(text) for text in base.provides]
    package.requires = [_dependency(text) for text in base.requires]
    package.files = [("", os.path.dirname(path) + "/", os.path.basename(path)) for path in base.files]
    return package


def _dependency(text: str) -> tuple[str, str | None, str | None, str | None, str | None, bool]:
    """'name', or 'name OP [epoch:]version[-release]', as createrepo_c's (name, flags, e, v, r, pre)."""
    match = DEPENDENCY.match(text.strip())
    if not match or not match.group(2):
        return (text.strip(), None, None, None, None, False)
    name, operator, evr = match.groups()
    epoch, _, rest = evr.rpartition(":") if ":" in evr else ("0", "", evr)
    version, _, release = rest.partition("-")
    return (name, FLAGS[operator], epoch or "0", version, release or None, False)


def _lock_for(key: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(key, threading.Lock())
