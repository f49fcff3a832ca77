"""Dependency resolution as AutoQA's depcheck did it through yum: the repository Koji generates for the
update's tag (its yum metadata, fetched from the Koji file tree) plus the update's own packages, solved
with libsolv, one install job per package of the update."""

from __future__ import annotations

import gzip
import re
import tempfile
from pathlib import Path
from typing import Any

import solv

RPMLIB = 1 << 24
# rpm's sense flags -> libsolv's relation flags
SENSES = ((2, solv.REL_LT), (4, solv.REL_GT), (8, solv.REL_EQ))
LOCATION = re.compile(r'<data type="(\w+)">.*?<location href="([^"]+)"', re.DOTALL)


class Resolver:
    """A libsolv pool for one arch: the repository, and the update's packages added one by one."""

    def __init__(self, arch: str) -> None:
        self.pool = solv.Pool()
        self.pool.setarch(arch)
        self.update = self.pool.add_repo("update")
        self.packages: dict[tuple[str, str], solv.XSolvable] = {}
        self.replaced: set[int] = set()  # the repository's packages the update's builds replace

    def add_repository(self, fetch: Any, base_url: str, replaced: set[str]) -> None:
        """The repo's primary and filelists (`fetch(url) -> bytes`); packages built from a source the
        update replaces (`replaced`: build names) are not considered."""
        repo = self.pool.add_repo("repository")
        found = dict(LOCATION.findall(fetch(base_url + "repodata/repomd.xml").decode()))
        with tempfile.TemporaryDirectory(prefix="autoqa-repo-") as folder:
            for kind, flags in (("primary", 0), ("filelists", solv.Repo.REPO_EXTEND_SOLVABLES)):
                if kind not in found:
                    continue
                path = Path(folder) / f"{kind}.xml"
                path.write_bytes(gzip.decompress(fetch(base_url + found[kind])))
                handle = solv.xfopen(str(path))
                repo.add_rpmmd(handle, None, flags)
                handle.close()
        self.replaced = {s.id for s in repo.solvables_iter() if _source_name(s) in replaced}

    def package(self, headers: dict[str, Any]) -> solv.XSolvable:
        """The solvable of one of the update's RPMs, with its requires (provides come with add_provides);
        made on first use."""
        key = (headers["name"], headers["_arch"])
        if key not in self.packages:
            self.packages[key] = self._add_package(headers)
        return self.packages[key]

    def _add_package(self, headers: dict[str, Any]) -> solv.XSolvable:
        solvable = self.update.add_solvable()
        solvable.name = headers["name"]
        solvable.evr = _evr(headers)
        solvable.arch = headers["_arch"]
        for name, flags, version in _deps(headers, "require"):
            if not name.startswith("rpmlib(") and not flags & RPMLIB:
                solvable.add_deparray(solv.SOLVABLE_REQUIRES, self._dep(name, flags, version))
        return solvable

    def add_provides(self, solvable: solv.XSolvable, headers: dict[str, Any]) -> None:
        """What the package provides: its capabilities and its files."""
        solvable.add_deparray(
            solv.SOLVABLE_PROVIDES,
            self.pool.rel2id(self.pool.str2id(solvable.name), self.pool.str2id(solvable.evr), solv.REL_EQ),
        )
        for name, flags, version in _deps(headers, "provide"):
            solvable.add_deparray(solv.SOLVABLE_PROVIDES, self._dep(name, flags, version))
        dirs = _listed(headers.get("dirnames"))
        for base, index in zip(
            _listed(headers.get("basenames")), _listed(headers.get("dirindexes")), strict=False
        ):
            path = f"{dirs[index]}{base}" if index < len(dirs) else base
            solvable.add_deparray(solv.SOLVABLE_PROVIDES, self.pool.str2id(path))

    def unsatisfied(self, solvable: solv.XSolvable) -> list[str]:
        """The requires of `solvable` that nothing in the pool provides."""
        self.update.internalize()
        self.pool.set_considered_list([s.id for s in self.pool.solvables_iter() if s.id not in self.replaced])
        self.pool.addfileprovides()
        self.pool.createwhatprovides()
        solver = self.pool.Solver()  # kept while its problems are read: they point into it
        job = self.pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE, solvable.id)
        missing = []
        for problem in solver.solve([job]):
            for rule in problem.findallproblemrules():
                for info in rule.allinfos():
                    if (
                        info.type == solv.Solver.SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP
                        and info.solvable == solvable
                    ):
                        missing.append(str(info.dep))
        return sorted(set(missing))

    def _dep(self, name: str, flags: int, version: str) -> int:
        dep = self.pool.str2id(name)
        relation = sum(rel for sense, rel in SENSES if flags & sense)
        return self.pool.rel2id(dep, self.pool.str2id(version), relation) if version and relation else dep


def _evr(headers: dict[str, Any]) -> str:
    epoch = headers.get("epoch")
    evr = f"{headers.get('version', '')}-{headers.get('release', '')}"
    return f"{epoch}:{evr}" if epoch else evr


def _source_name(solvable: solv.XSolvable) -> str:
    source = solvable.lookup_sourcepkg() or ""
    return source.rsplit("-", 2)[0] if source.count("-") >= 2 else solvable.name


def _deps(headers: dict[str, Any], kind: str) -> list[tuple[str, int, str]]:
    names = _listed(headers.get(f"{kind}name"))
    versions = _listed(headers.get(f"{kind}version")) or [""] * len(names)
    flags = _listed(headers.get(f"{kind}flags")) or [0] * len(names)
    return [(n, f or 0, v or "") for n, v, f in zip(names, versions, flags, strict=False)]


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
