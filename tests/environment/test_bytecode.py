"""The bytecode store: environments holding the same installed file share its compiled form."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from stagingqa.environment import bytecode
from stagingqa.environment.install import create_venv


def venv_with(folder: Path, files: dict[str, Path]) -> Path:
    """A venv whose site-packages holds `files` as hard links, as uv installs from its cache."""
    create_venv(folder)
    site = next(folder.glob("lib/python*/site-packages"))
    for name, source in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(source, site / name)
    return site


def imported(venv: Path, module: str) -> list[str]:
    """The module's file name as its code says, then what -v says about each import."""
    code = f"import {module}; print({module}.where.__code__.co_filename)"
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-v", "-c", code],
        capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [done.stdout.strip(), *[line.lstrip("# ") for line in done.stderr.splitlines()]]


def test_a_second_environment_links_the_first_ones_bytecode(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "shared.py").write_text("def where():\n    pass\n")
    (cache / "broken.py").write_text("print 'python 2'\n")  # the system's business, never our failure
    files = {"shared.py": cache / "shared.py", "broken.py": cache / "broken.py"}
    store, started = tmp_path / "store", []
    first, second = tmp_path / "one", tmp_path / "two"
    first_site, second_site = venv_with(first, files), venv_with(second, files)
    assert bytecode.compile_shared(store, first, [first_site], started.append, 60) >= 2
    assert started  # the compiling processes are reported, so a reaper can end them
    # nothing is compiled again, not even the file that does not compile: it is noted as such
    assert bytecode.compile_shared(store, second, [second_site], started.append, 60) == 0
    assert len(list(store.glob(f"*{bytecode.FAILS}"))) == 1
    tag = bytecode.cache_tag(second)
    assert tag == f"cpython-{sys.version_info[0]}{sys.version_info[1]}"
    one, two = (bytecode.compiled_path(site / "shared.py", tag) for site in (first_site, second_site))
    assert one.stat().st_ino == two.stat().st_ino
    name, *loaded = imported(second, "shared")
    assert name == str(second_site / "shared.py")  # the import system names the file where it is
    assert f"code object from '{two}'" in loaded


def test_a_changed_file_is_compiled_anew(tmp_path):
    store = tmp_path / "store"
    (tmp_path / "v1.py").write_text("def where():\n    return 1\n")
    site = venv_with(tmp_path / "venv", {"mod.py": tmp_path / "v1.py"})
    bytecode.compile_shared(store, tmp_path / "venv", [site], lambda pid: None, 60)
    (site / "mod.py").unlink()
    (site / "mod.py").write_text("def where():\n    return 22\n")  # another file, another identity
    assert bytecode.compile_shared(store, tmp_path / "venv", [site], lambda pid: None, 60) == 1
    done = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "python"), "-c", "import mod; print(mod.where())"],
        capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert done.stdout.strip() == "22"
    # v1 by its identity and its content (one compiled file, two names), the new file by its content
    assert len(list(store.glob("*.pyc"))) == 3 and len({p.stat().st_ino for p in store.glob("*.pyc")}) == 2


def test_a_fresh_copy_of_the_same_content_links_the_bytecode_and_python_takes_it(tmp_path):
    """A checkout cloned anew for each environment: other files, other times, the same content."""
    store, source = tmp_path / "store", "def where():\n    return 'cloned'\n"
    sites = []
    for n, stamp in enumerate((1_000_000_000, 1_500_000_000)):
        create_venv(tmp_path / f"venv{n}")
        checkout = tmp_path / f"checkout{n}"
        checkout.mkdir()
        (checkout / "mine.py").write_text(source)
        os.utime(checkout / "mine.py", (stamp, stamp))
        compiled = bytecode.compile_shared(store, tmp_path / f"venv{n}", [checkout], lambda pid: None, 60)
        assert compiled == (1 - n)  # the second copy's bytecode comes from the store
        sites.append(checkout)
    tag = bytecode.cache_tag(tmp_path / "venv1")
    first, second = (bytecode.compiled_path(site / "mine.py", tag) for site in sites)
    assert first.stat().st_ino == second.stat().st_ino
    done = subprocess.run(
        [str(tmp_path / "venv1" / "bin" / "python"), "-v", "-c", "import mine; print(mine.where())"],
        capture_output=True, text=True, cwd=sites[1], env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert done.stdout.strip() == "cloned"
    assert f"code object from '{second}'" in done.stderr  # valid although the source's time differs


def test_prune_drops_only_entries_nobody_holds_for_a_week(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "held.pyc").write_bytes(b"x")
    os.link(store / "held.pyc", tmp_path / "in-an-environment.pyc")
    (store / "unheld.pyc").write_bytes(b"x")
    assert bytecode.prune(store) == 0  # unheld, but linked or made recently: the next `up` may want it
    os.link(store / "unheld.pyc", store / "unheld-by-content.pyc")  # one compiled file, two names
    assert bytecode.prune(store, now=time.time() + bytecode.PRUNE_AFTER + 1) == 2
    assert [p.name for p in store.iterdir()] == ["held.pyc"]


def test_cache_tag_of_each_kind_of_venv(tmp_path):
    cfg = tmp_path / "pyvenv.cfg"
    cfg.write_text("home = /usr/bin\nimplementation = CPython\nuv = 0.13.9\nversion_info = 3.12.4\n")
    assert bytecode.cache_tag(tmp_path) == "cpython-312"
    cfg.write_text("home = /usr/bin\nversion = 3.11.7\n")  # python -m venv
    assert bytecode.cache_tag(tmp_path) == "cpython-311"
    cfg.write_text("implementation = PyPy\nversion_info = 3.10.14\n")
    assert bytecode.cache_tag(tmp_path) is None  # compiled in place, not shared
    assert bytecode.cache_tag(tmp_path / "missing") is None
