"""Real RPM files for the world's `rpms:` entries, built once with rpmbuild into a cache keyed by content."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from stagingqa.mocks.koji.errors import GenericError
from stagingqa.mocks.koji.rpmheaders import read_identity
from stagingqa.mocks.koji.rpmstrip import strip_tags

MISSING = (
    "cannot make RPM files: rpmbuild is not installed "
    "(Debian/Ubuntu: apt-get install rpm; Fedora: dnf install rpm-build)"
)
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class Recipe:
    """Everything that goes into one RPM file; equal recipes give the same file."""

    name: str
    epoch: int | None
    version: str
    release: str
    arch: str
    summary: str
    license: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    obsoletes: tuple[str, ...]
    conflicts: tuple[str, ...]
    files: tuple[str, ...]
    buildtime: int
    leave_out: tuple[str, ...] = ()  # header tags the file must not have (rpmbuild insists on them)
    source: str | None = None  # the build's name, when this binary RPM is one of its subpackages

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}-{self.release}.{self.arch}.rpm"

    @property
    def key(self) -> str:
        fields = asdict(self)
        for added in ("leave_out", "source"):  # the files built before these were fields keep their key
            if not fields[added]:
                del fields[added]
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Built:
    path: Path
    size: int
    payloadhash: str
    buildtime: int


def cache_root() -> Path:
    """$STAGINGQA_RPM_CACHE, else ~/.cache/stagingqa/rpms."""
    configured = os.environ.get("STAGINGQA_RPM_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "stagingqa" / "rpms"


def ensure_built(recipe: Recipe) -> Built:
    """The cached file for `recipe`, building it first if this machine has never built it."""
    folder = cache_root() / recipe.key
    meta = folder / "meta.json"
    if not meta.exists():
        with _lock_for(recipe.key):
            if not meta.exists():
                _build_into(recipe, folder)
    data = json.loads(meta.read_text())
    return Built(folder / recipe.filename, data["size"], data["payloadhash"], data["buildtime"])


def _lock_for(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


# reproducible, quick and minimal: no build-id links, no post-install scripts or debug packages, fast
# compression, the build time from SOURCE_DATE_EPOCH, every RPM written to one folder
DEFINES = (
    "_build_id_links none",
    "__os_install_post %{nil}",
    "debug_package %{nil}",
    "_binary_payload w9.gzdio",
    "_source_payload w9.gzdio",
    "use_source_date_epoch_as_buildtime 1",
    "_buildhost stagingqa.mock",
    "_srcrpmdir %{_topdir}/out",
    "_rpmdir %{_topdir}/out",
)


def _build_into(recipe: Recipe, folder: Path) -> None:
    if shutil.which("rpmbuild") is None:
        raise GenericError(MISSING)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stagingqa-rpmbuild-") as work:
        top = Path(work)
        spec = top / f"{recipe.name}.spec"
        spec.write_text(spec_text(recipe))
        command = ["rpmbuild", "-bs" if recipe.arch == "src" else "-bb", "--define", f"_topdir {top}"]
        command += [arg for define in DEFINES for arg in ("--define", define)]
        if recipe.arch not in ("src", "noarch"):
            command += ["--target", recipe.arch]
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(recipe.buildtime), "LC_ALL": "C"}
        done = subprocess.run([*command, str(spec)], capture_output=True, text=True, env=env)
        built = list((top / "out").rglob("*.rpm"))
        if done.returncode != 0 or len(built) != 1:
            raise GenericError(f"rpmbuild failed for {recipe.filename}: {done.stderr.strip()[-800:]}")
        _publish(recipe, built[0], folder)


def _publish(recipe: Recipe, built: Path, folder: Path) -> None:
    """The built file (its left-out tags stripped) and its meta.json, moved into `folder` at once."""
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    shutil.move(str(built), staging / recipe.filename)
    if recipe.leave_out:
        strip_tags(staging / recipe.filename, list(recipe.leave_out))
    identity = read_identity(staging / recipe.filename)
    meta = {
        "size": (staging / recipe.filename).stat().st_size,
        "payloadhash": identity["payloadhash"],
        "buildtime": identity["buildtime"],
        "filename": recipe.filename,
    }
    (staging / "meta.json").write_text(json.dumps(meta))
    try:
        staging.rename(folder)  # atomic: another process that won the race keeps its copy
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def _literal(text: str) -> str:
    """World text as rpm reads it literally: '%' starts a macro (`%(...)` runs a shell), a newline a new
    line of the spec. The world's model refuses control characters; this holds even without it."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", text).replace("%", "%%")


def spec_text(recipe: Recipe) -> str:
    """A spec whose only job is a header carrying the recipe's metadata and empty files. Every value
    from the world is escaped: a world file is data, building it never runs anything it says. A
    subpackage (an RPM named otherwise than its build) is built as `%package -n` of its build, so its
    SOURCERPM header names the build's source RPM, as in Koji."""
    sub = recipe.source is not None and recipe.source != recipe.name and recipe.arch != "src"
    return "\n".join(_preamble(recipe, sub) + _body(recipe, sub)) + "\n"


def _preamble(recipe: Recipe, sub: bool) -> list[str]:
    """The header tags: the build's, then the subpackage's own where it is one."""
    name = _literal(recipe.name)
    lines = [
        f"Name: {_literal(recipe.source) if sub and recipe.source else name}",
        f"Version: {_literal(recipe.version)}",
        f"Release: {_literal(recipe.release)}",
        f"Summary: {_literal(recipe.summary or recipe.name)}",
        f"License: {_literal(recipe.license or 'MIT')}",
        "AutoReqProv: no",
    ]
    if recipe.epoch is not None:
        lines.append(f"Epoch: {recipe.epoch}")
    if recipe.arch == "noarch":
        lines.append("BuildArch: noarch")
    if sub:  # the build's own package has no %files, so rpmbuild makes only the subpackage
        lines += ["", "%description", "The build of the subpackage.", "", f"%package -n {name}"]
        lines += [f"Summary: {_literal(recipe.summary or recipe.name)}", "AutoReqProv: no"]
    require_tag = "BuildRequires" if recipe.arch == "src" else "Requires"
    lines += [f"{require_tag}: {_literal(dep)}" for dep in recipe.requires]
    lines += [f"Provides: {_literal(dep)}" for dep in recipe.provides]
    lines += [f"Obsoletes: {_literal(dep)}" for dep in recipe.obsoletes]
    lines += [f"Conflicts: {_literal(dep)}" for dep in recipe.conflicts]
    return lines


def _body(recipe: Recipe, sub: bool) -> list[str]:
    """%description, %install (empty files) and %files."""
    name = _literal(recipe.name)
    lines = [
        "",
        f"%description -n {name}" if sub else "%description",
        _literal(recipe.summary or recipe.name),
    ]
    lines += ["", "%install"]
    for path in recipe.files:
        if "%" in path:  # %files expands macros twice: no escape holds there
            raise GenericError(f"cannot package the file {path!r}: rpm reads '%' in a file list as a macro")
        # single-quoted for the shell (no $(...) or `...`), '%' escaped for rpm, '..' never followed
        inside = "%{buildroot}" + _literal(path)
        lines.append(f'mkdir -p "$(dirname {shlex.quote(inside)})" && : > {shlex.quote(inside)}')
    return (
        lines
        + ["", f"%files -n {name}" if sub else "%files"]
        + [f'"{_literal(path)}"' for path in recipe.files]
    )
