"""Bytecode shared by environments: a store of compiled files keyed by their source file's identity.

uv links what it installs from its cache (hard links), so the same package in two environments is the
same file: same device, inode, modification time and size, hence the same bytecode (the file name a
code object carries is set again by the import system when it loads it). A file that is new (a checkout
cloned anew for each environment, the system's package uv built again from it) is looked up by its
content. Compiled files are checked-hash pycs (PEP 552), valid for any copy of the same source whatever
its modification time. A warm `up` links the compiled files from the store instead of compiling the
venv again, and compiles only what no environment had before (a file that does not compile is noted, and
not tried again). Our own code because neither uv nor compileall shares bytecode between environments:
uv compiles each venv anew and pycache_prefix keys by path."""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from stagingqa.environment.processes import end_group

PRUNE_AFTER = 7 * 24 * 3600  # an entry no environment has linked for a week is dropped
FAILS = ".fails"  # next to a content key: that source does not compile with this interpreter


def cache_tag(venv: Path) -> str | None:
    """The venv interpreter's bytecode tag (cpython-311), from pyvenv.cfg; None where it does not say."""
    try:
        lines = (venv / "pyvenv.cfg").read_text().splitlines()
    except OSError:
        return None
    config = dict(line.split("=", 1) for line in lines if "=" in line)
    config = {k.strip(): v.strip() for k, v in config.items()}
    version = (config.get("version_info") or config.get("version") or "").split(".")
    if config.get("implementation", "CPython") != "CPython" or len(version) < 2:
        return None
    return f"cpython-{version[0]}{version[1]}"


def sources(folders: list[Path]) -> Iterator[Path]:
    """Every .py file under `folders`, __pycache__ and hidden folders left out."""
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".")]
            yield from (Path(root, f) for f in files if f.endswith(".py"))


def compiled_path(source: Path, tag: str) -> Path:
    return source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"


def identity_key(source: Path, tag: str) -> str | None:
    """A file linked from uv's cache is the same file in every venv: its identity names it (a changed
    file gets a new one). None for a file of its own."""
    st = source.stat()
    if st.st_nlink < 2:
        return None
    return f"{tag}-{st.st_dev}-{st.st_ino}-{st.st_mtime_ns}-{st.st_size}.pyc"


def content_key(source: Path, tag: str) -> str:
    """Any copy of the same content: a fresh clone, or a package uv built again from one."""
    return f"{tag}-sha256-{hashlib.sha256(source.read_bytes()).hexdigest()}.pyc"


class Linker:
    """Hard links into __pycache__ folders, each folder made once (a venv has over a hundred)."""

    def __init__(self) -> None:
        self.made: set[Path] = set()

    def make_folders(self, folders: set[Path]) -> None:
        """Make the folders a few at a time: a new folder in a fresh venv took 0.8 ms here (ext4), and the
        kernel makes several at once."""
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda folder: folder.mkdir(exist_ok=True), folders - self.made))
        self.made |= folders

    def link(self, target: Path, link_path: Path) -> bool:
        """Hard link `target` at `link_path` (replacing what is there); False where it cannot be."""
        try:
            if link_path.parent not in self.made:
                link_path.parent.mkdir(exist_ok=True)
                self.made.add(link_path.parent)
            tmp = link_path.with_name(f".{link_path.name}.{os.getpid()}")
            os.link(target, tmp)
            os.replace(tmp, link_path)
            return True
        except OSError:
            return False


def compile_shared(
    store: Path, venv: Path, folders: list[Path], on_start: Callable[[int], None], timeout: float
) -> int:
    """Give every source under `folders` its bytecode: linked from the store where it holds the same
    file's, compiled otherwise (then added to the store). Returns how many files were compiled."""
    tag = cache_tag(venv)
    if tag is None:  # an interpreter whose bytecode we cannot name: compiled in place, nothing shared
        every = list(sources(folders))
        compile_files(venv, every, on_start, timeout)
        return len(every)
    store.mkdir(parents=True, exist_ok=True)
    linker, every = Linker(), list(sources(folders))
    try:
        linker.make_folders({compiled_path(source, tag).parent for source in every})
    except OSError:
        pass  # a folder that cannot be made: its files are compiled, or not, one by one below
    missing: list[tuple[Path, list[str]]] = []
    for source in every:
        target = compiled_path(source, tag)
        identity = identity_key(source, tag)
        if identity and linker.link(store / identity, target):
            continue
        content = content_key(source, tag)  # read only when the identity is new
        if linker.link(store / content, target):
            if identity:
                linker.link(target, store / identity)  # found by identity next time
            continue
        if not (store / f"{content}{FAILS}").exists():
            missing.append((source, [key for key in (identity, content) if key]))
    if missing:
        compile_files(venv, [source for source, _ in missing], on_start, timeout)
    for source, keys in missing:
        for key in keys:
            if not linker.link(compiled_path(source, tag), store / key):
                (store / f"{keys[-1]}{FAILS}").touch()  # no bytecode came: Python 2 test data, say
                break
    return len(missing)


def compile_files(venv: Path, files: list[Path], on_start: Callable[[int], None], timeout: float) -> None:
    """Byte-compile `files` with the venv's interpreter, one process per core (compileall compiles a
    list of files in one process), to checked-hash pycs (PEP 552): valid for any copy of the same source,
    whatever its modification time. Best effort: a file that does not compile (Python 2 test data) is
    the system's business."""
    command = [str(venv / "bin" / "python"), "-m", "compileall", "-q", "--invalidation-mode", "checked-hash"]
    command += ["-i", "-"]
    shares = max(1, min(os.cpu_count() or 1, len(files) // 50))
    procs = []
    for share in range(shares):
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, text=True,
        )  # fmt: skip
        on_start(proc.pid)
        assert proc.stdin is not None
        proc.stdin.write("".join(f"{f}\n" for f in files[share::shares]))
        proc.stdin.close()
        procs.append(proc)
    # a timer ends them at the deadline; waiting with a timeout would poll, late by up to 50 ms a process
    timer = threading.Timer(timeout, _end_all, [procs])
    timer.start()
    try:
        for proc in procs:
            proc.wait()
    finally:
        timer.cancel()


def _end_all(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        end_group(proc.pid)


def prune(store: Path, now: float | None = None) -> int:
    """Drop entries no environment holds (no link but the store's own names for it) and none linked for a
    week."""
    now, dropped = now or time.time(), 0
    entries = [(entry, entry.stat()) for entry in store.glob("*.pyc")] if store.is_dir() else []
    names = Counter(st.st_ino for _, st in entries)  # one compiled file may be stored under two keys
    for entry, st in entries:
        if st.st_nlink <= names[st.st_ino] and now - st.st_ctime > PRUNE_AFTER:  # (un)linking sets ctime
            entry.unlink(missing_ok=True)
            dropped += 1
    for note in store.glob(f"*{FAILS}") if store.is_dir() else ():
        if now - note.stat().st_mtime > PRUNE_AFTER:  # the interpreter may have changed since
            note.unlink(missing_ok=True)
            dropped += 1
    return dropped
