"""Processes an environment starts: recorded by process group so a later `gc` can always end them."""

from __future__ import annotations

import os
import signal
import time


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def group_alive(pgid: int) -> bool:
    """True while a process of the group (other than a zombie) is still running."""
    return _any_alive_in(pgid)


def end_group(pgid: int, grace: float = 5.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left after `grace` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _any_alive_in(pgid):
                return
            time.sleep(0.05)


def _any_alive_in(pgid: int) -> bool:
    """True while a non-zombie process of the group exists."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().split(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False
