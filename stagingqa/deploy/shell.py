"""`stagingqa shell NAME`: a subshell with an environment's variables (its env.sh) and a prompt naming it."""

from __future__ import annotations

import os
from pathlib import Path

from stagingqa.environment.handle import Environment
from stagingqa.environment.placeholders import shell_quote


def shell_command(env: Environment, command: str | None = None) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of the subshell: bash with an rc file that sources the user's own, then
    env.sh, then sets the prompt (a plain PS1 would be overwritten by ~/.bashrc)."""
    shell = os.environ.get("SHELL") or "/bin/bash"
    environ = {**os.environ, "STAGINGQA_ENV": env.name, "PS1": f"(stagingqa {env.name}) \\w\\$ "}
    environ.pop("PYTHONHOME", None)
    environ.pop("STAGINGQA_CONTROL_TOKEN", None)  # stagingqa's secret: the system run by hand never sees it
    env_sh = env.folder / "env.sh"
    if Path(shell).name != "bash":
        environ.update(env.state.environment, VIRTUAL_ENV=str(env.venv))
        environ["PATH"] = f"{env.venv / 'bin'}{os.pathsep}{environ.get('PATH', '')}"
        return ([shell, "-c", command] if command else [shell]), environ
    rc = env.folder / "shell.rc"  # in the environment's folder: it goes with the environment
    rc.write_text(
        "[ -f ~/.bashrc ] && . ~/.bashrc\n"
        f". {shell_quote(str(env_sh))}\n"
        f"PS1={shell_quote(environ['PS1'])}\n"
        f"cd {shell_quote(str(env.home))}\n"
    )
    if command:
        script = f". {shell_quote(str(env_sh))} && cd {shell_quote(str(env.home))} && {command}"
        return [shell, "--noprofile", "--norc", "-c", script], environ
    return [shell, "--noprofile", "--rcfile", str(rc), "-i"], environ
