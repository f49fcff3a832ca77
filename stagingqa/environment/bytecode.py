"""Bytecode shared by environments: a store of compiled files keyed by their source file's identity.

uv links what it installs from its cache (hard links), so the same package in two environments is the
same file: same device, inode, modification time and size, hence the same bytecode (the file name a
code object carries is set again by the import system when it loads it). A warm `up` links the
compiled files from the store instead of compiling the venv again, and compiles only what is new (the
system's own files, checkouts). Our own code because neither uv nor compileall shares bytecode between
environments: uv compiles each venv anew and pycache_prefix keys by path."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from stagingqa.environment.processes import end_group

PRUNE_AFTER = 7 * 24 * 3600  # an entry no environment has linked for a week is dropped


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


def store_key(source: Path, tag: str) -> str:
    """The source file's identity: a linked file keeps it in every venv, a changed one gets a new one."""
    st = source.stat()
    return f"{tag}-{st.st_dev}-{st.st_ino}-{st.st_mtime_ns}-{st.st_size}.pyc"


def link(target: Path, link_path: Path) -> bool:
    """Hard link `target` at `link_path` (replacing what is there); False where it cannot be."""
    try:
        link_path.parent.mkdir(exist_ok=True)
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
    if tag is None:
        missing = list(sources(folders))
    else:
        store.mkdir(parents=True, exist_ok=True)
        keyed = [(source, store_key(source, tag)) for source in sources(folders)]
        missing = [s for s, key in keyed if not link(store / key, compiled_path(s, tag))]
    if missing:
        compile_files(venv, missing, on_start, timeout)
        if tag is not None:
            for source in missing:
                link(compiled_path(source, tag), store / store_key(source, tag))
    return len(missing)


def compile_files(venv: Path, files: list[Path], on_start: Callable[[int], None], timeout: float) -> None:
    """Byte-compile `files` with the venv's interpreter, one process per core (compileall compiles a
    list of files in one process). Best effort: a file that does not compile (Python 2 test data) is the
    system's business."""
    command = [str(venv / "bin" / "python"), "-m", "compileall", "-q", "-i", "-"]
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
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            end_group(proc.pid)
            proc.wait()


def prune(store: Path, now: float | None = None) -> int:
    """Drop entries no environment holds (one link left: the store's) and none linked for a week."""
    now, dropped = now or time.time(), 0
    for entry in store.glob("*.pyc") if store.is_dir() else ():
        st = entry.stat()
        if st.st_nlink == 1 and now - st.st_ctime > PRUNE_AFTER:  # linking or unlinking sets ctime
            entry.unlink(missing_ok=True)
            dropped += 1
    return dropped
