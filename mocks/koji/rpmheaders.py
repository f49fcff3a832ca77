"""Read RPM headers with rpmfile: what getRPMHeaders answers and what download-build checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rpmfile
from rpmfile.headers import tags as RPMFILE_TAGS

from stagingqa.mocks.koji.errors import GenericError

# rpm's tag names that rpmfile spells differently
ALIASES = {
    "epoch": "serial",
    "license": "copyright",
    "providename": "provides",
    "requires": "requirename",
    "obsoletename": "obsoletes",
    "conflicts": "conflictname",
}


# rpm's array tags: rpmfile gives a one-entry array as that entry, koji (rpm's bindings) a list of one
DEPENDENCY_STEMS = (
    "require",
    "provide",
    "obsolete",
    "conflict",
    "enhance",
    "suggest",
    "supplement",
    "recommend",
)
ARRAY_TAGS = {
    *(stem + part for stem in DEPENDENCY_STEMS for part in ("name", "version", "flags", "nevrs")),
    *("provides", "obsoletes", "basenames", "dirnames", "dirindexes", "filenames", "filesizes", "filemodes"),
    *("fileflags", "fileusername", "filegroupname", "filemtimes", "filelinktos", "filemd5s"),
    *("changelogtime", "changelogname", "changelogtext"),
}


def read_identity(path: Path) -> dict[str, Any]:
    """The signature header's MD5 (Koji's payloadhash) and the build time."""
    with rpmfile.open(str(path)) as package:
        headers = package.headers
        digest = headers.get("sigmd5") or headers.get("md5")
        return {
            "payloadhash": digest.hex() if isinstance(digest, bytes) else str(digest),
            "buildtime": int(headers.get("buildtime") or 0),
        }


def header_name(name: str) -> str:
    """rpmfile's key for an rpm header name (case-insensitive); unknown names are Koji's GenericError."""
    lowered = name.lower()
    key = ALIASES.get(lowered, lowered)
    if key not in RPMFILE_TAGS:
        raise GenericError(f"No such rpm header field: {name}")
    return key


def read_headers(path: Path, names: list[str] | None) -> dict[str, Any]:
    """The requested headers (all known ones when `names` is None), keyed as requested."""
    keys = {name: header_name(name) for name in names} if names else None
    with rpmfile.open(str(path)) as package:
        headers = package.headers
        if keys is None:
            keys = {k: k for k in headers if isinstance(k, str)}
        return {name: _as_koji(key, headers.get(key)) for name, key in keys.items()}


def _as_koji(key: str, value: Any) -> Any:
    plain = _plain(value)
    return [plain] if key in ARRAY_TAGS and plain is not None and not isinstance(plain, list) else plain


def _plain(value: Any) -> Any:
    """Bytes become text and lists of bytes lists of text, as the hub returns them."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list | tuple):  # rpmfile gives integer arrays (flags) as tuples
        return [_plain(v) for v in value]
    return value
