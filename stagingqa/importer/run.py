"""One import from start to file: read, build the document, validate it, write it atomically. Nothing is
written unless the whole world was read and validates; the answers read so far stay in the cache, so
running the same import again resumes it."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from stagingqa.errors import InputError, StagingQAError
from stagingqa.importer.document import world_document
from stagingqa.importer.fetch import Fetcher
from stagingqa.importer.gather import Gathered, Say, Wanted, gather
from stagingqa.importer.readers import BodhiReader, KojiReader, ResultsDBReader
from stagingqa.world import WorldInvalid
from stagingqa.world.loader import validate
from stagingqa.world.source import Located

PRODUCTION = {
    "koji": "https://koji.fedoraproject.org/kojihub",
    "bodhi": "https://bodhi.fedoraproject.org/",
    "resultsdb": "https://resultsdb.fedoraproject.org/api/v2.0",
}


@dataclass(frozen=True)
class Sources:
    koji: str = PRODUCTION["koji"]
    bodhi: str = PRODUCTION["bodhi"]
    resultsdb: str = PRODUCTION["resultsdb"]

    @classmethod
    def mock_world(cls, base: str) -> Sources:
        """The three services of one mock host world (`http://127.0.0.1:PORT/w/NAME`)."""
        base = base.rstrip("/")
        return cls(f"{base}/kojihub", f"{base}/bodhi/", f"{base}/resultsdb/api/v2.0")


@dataclass(frozen=True)
class Imported:
    """What an import wrote, and what it cost."""

    path: str
    name: str
    releases: int
    builds: int
    updates: int
    results: int
    requests: int
    cached: int
    seconds: float


def cache_folder(output: Path) -> Path:
    return output.with_name(output.name + ".import-cache")


def import_world(
    wanted: Wanted,
    sources: Sources,
    output: Path,
    fetcher: Fetcher,
    name: str | None = None,
    keep_cache: bool = False,
    say: Say = lambda line: None,
) -> Imported:
    if not (wanted.updates or wanted.builds or wanted.tags or wanted.results):
        raise InputError("name something to import: --update, --build, --tag or --results")
    started = dt.datetime.now(dt.UTC)
    found = gather(
        wanted,
        KojiReader(fetcher, sources.koji),
        BodhiReader(fetcher, sources.bodhi),
        ResultsDBReader(fetcher, sources.resultsdb),
        say,
    )
    name = name or _name_from(output)
    document = world_document(found, name, _description(wanted, sources, started), started)
    try:
        validate(Located.given(document, f"the world imported into {output}"))
    except WorldInvalid as exc:
        raise StagingQAError(f"the imported world does not validate; nothing was written:\n{exc}") from None
    _write(output, document, wanted, sources, started)
    if not keep_cache and fetcher.cache is not None:
        shutil.rmtree(fetcher.cache, ignore_errors=True)
    return _summary(output, name, found, fetcher, started)


def _name_from(output: Path) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", output.stem).strip("-.") or "imported"


def _description(wanted: Wanted, sources: Sources, when: dt.datetime) -> str:
    asked = [
        *(f"--update {a}" for a in wanted.updates),
        *(f"--build {b}" for b in wanted.builds),
        *(f"--tag {t}" + (" --latest" if wanted.latest else "") for t in wanted.tags),
        *(f"--results {i}" for i in wanted.results),
    ]
    return (
        f"Imported {when:%Y-%m-%d %H:%M} UTC from {sources.koji}, {sources.bodhi} and {sources.resultsdb} "
        f"({' '.join(asked)}, depth {wanted.depth})"
    )


def _write(output: Path, document: dict, wanted: Wanted, sources: Sources, when: dt.datetime) -> None:
    """YAML in the world file's own order, written to a side file and renamed over the target."""
    header = (
        f"# {document['description']}\n# Written by `stagingqa world import`; edit freely (docs/import.md).\n"
    )
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)


def _summary(output: Path, name: str, found: Gathered, fetcher: Fetcher, started: dt.datetime) -> Imported:
    return Imported(
        str(output),
        name,
        len(found.releases),
        len(found.builds),
        len(found.updates),
        len(found.results),
        fetcher.requests_made,
        fetcher.cached,
        round((dt.datetime.now(dt.UTC) - started).total_seconds(), 2),
    )
