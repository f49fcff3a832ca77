"""The environment lifecycle: up (pristine or upgrade), pristine, open, status, list, down, gc. Functions
return handles or data; progress goes through a callback; only the CLI prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from stagingqa.control import ControlClient
from stagingqa.environment import bytecode, install, mockhost
from stagingqa.environment.checkouts import Refs, checkout_dir, clone_all, component_refs, move_all
from stagingqa.environment.drift import built_from, refusal
from stagingqa.environment.handle import Environment, EnvironmentInfo
from stagingqa.environment.interpreter import bindings_note, interpreter
from stagingqa.environment.placeholders import placeholders, render, shell_quote, write_files
from stagingqa.environment.processes import alive, end_group, group_alive
from stagingqa.environment.state import EnvironmentState, all_states, write_state
from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec, parse_duration

Progress = Callable[[str, str, float], None]  # (step, "start" | "done", seconds)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def quiet(step: str, phase: str, seconds: float) -> None:
    """The default progress callback: says nothing."""


class Steps:
    """Times each step, tells the progress callback, and records the timings in the state."""

    def __init__(self, folder: Path, state: EnvironmentState, progress: Progress) -> None:
        self.folder, self.state, self.progress = folder, state, progress

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self.progress(name, "start", 0.0)
        yield
        seconds = round(time.perf_counter() - started, 3)
        self.state.steps[name] = seconds
        write_state(self.folder, self.state)
        self.progress(name, "done", seconds)


def world_urls(entry: dict) -> dict[str, str]:
    """Each service's URL in a world, as the mock host lists them (its service table names them)."""
    return dict(entry["services"])


def reserve(spec: LoadedSpec, name: str | None, ref: str) -> tuple[Path, EnvironmentState]:
    """Claim a new environment folder atomically (mkdir): two `up` never share a name."""
    root = spec.state_dir / "envs"
    root.mkdir(parents=True, exist_ok=True)
    if name is not None and not NAME.match(name):
        raise InputError(f"invalid environment name {name!r}: use letters, digits, '.', '_' and '-'")
    for n in range(1, 1000):
        candidate = name or f"{spec.spec.name}-{n}"
        try:
            (root / candidate).mkdir()
        except FileExistsError:
            if name is not None:
                raise InputError(
                    f"environment {name!r} already exists (stagingqa down {name} removes it)"
                ) from None
            continue
        state = EnvironmentState(candidate, str(spec.path), spec.digest, spec.repository, ref)
        state.built_from = built_from(spec)
        write_state(root / candidate, state)
        return root / candidate, state
    raise InputError("no free environment name left")


def up(
    spec: LoadedSpec,
    ref: Refs = None,
    name: str | None = None,
    progress: Progress = quiet,
    patch: Callable[[Path], None] | None = None,
) -> Environment:
    """A pristine environment: every component at its ref (`ref`: the primary's, or NAME=REV for any) in a
    new venv, wired to a new world; removed on failure. `patch` changes the checkouts (given the
    environment's folder) before anything is installed: how `stagingqa mutate` makes a mutant's."""
    refs = component_refs(spec, ref)
    folder, state = reserve(spec, name, refs[spec.primary.name])
    steps = Steps(folder, state, progress)
    try:
        with steps.step("clone"):
            _record_checkouts(state, spec, clone_all(spec, folder, refs))
            if patch is not None:
                patch(folder)
        with steps.step("venv"):
            note = bindings_note(spec)
            state.notes = [note] if note else []
            system = spec.spec.system
            install.create_venv(folder / "venv", interpreter(spec), system.site_packages)
        with steps.step("world"):
            _create_world(spec, folder, state)
        with steps.step("install"):
            _install(spec, folder, state)
        with steps.step("ready"):
            _check_ready(spec, folder, state)
    except BaseException:
        _remove(spec, folder, state)
        stop_host_if_unused(spec)
        raise
    state.status = "ready"
    write_state(folder, state)
    return Environment(spec, folder, state)


def _record_checkouts(state: EnvironmentState, spec: LoadedSpec, checked: dict[str, dict[str, str]]) -> None:
    """Every component's repository, ref and revision; the primary's are the environment's own."""
    state.components = checked
    primary = checked[spec.primary.name]
    state.repository, state.ref, state.revision = primary["repository"], primary["ref"], primary["revision"]


@contextmanager
def pristine(
    spec: LoadedSpec, ref: Refs = None, name: str | None = None, progress: Progress = quiet
) -> Iterator[Environment]:
    """A pristine environment for the length of a `with`: whatever happens inside, it is removed after."""
    env = up(spec, ref, name, progress)
    try:
        yield env
    finally:
        down(spec, [env.name])


def open_environment(
    spec: LoadedSpec, name: str, recreate: bool = False, command: str = "stagingqa verify --env NAME"
) -> Environment:
    """A ready environment to work in; one that drifted from its spec is refused, or made again when
    `recreate` says so (at the revision it had), keeping its name."""
    env = Environment.open(spec, name)
    if not env.ready:
        raise InputError(f"environment {name!r} is not ready ({env.state.status}); stagingqa down {name}")
    changed = env.drift()
    if not changed:
        return env
    if not recreate:
        raise InputError(refusal(name, changed, command.replace("NAME", name)))
    revisions = env.revisions
    down(spec, [name], stop_host=False)
    return up(spec, revisions, name)


def _create_world(spec: LoadedSpec, folder: Path, state: EnvironmentState) -> None:
    base = mockhost.ensure_host(spec)
    state.mock_base, state.world = base, f"env-{folder.name}"
    write_state(folder, state)
    entry = ControlClient(base, spec.control_token).put_world(state.world, spec.world_file.read_bytes())
    state.urls = world_urls(entry)
    values = placeholders(spec, folder, state.urls, base, state.world)
    state.environment = {k: render(v, values) for k, v in spec.spec.system.environment.items()}
    (folder / "home").mkdir(exist_ok=True)
    write_files(spec, values, folder / "home")  # a person working in the environment reads its world
    exports = "".join(f"export {k}={shell_quote(v)}\n" for k, v in state.environment.items())
    (folder / "env.sh").write_text(
        f"# source this to work in environment {folder.name}\n"
        f"export VIRTUAL_ENV={shell_quote(str(folder / 'venv'))}\n"
        f'export PATH="$VIRTUAL_ENV/bin:$PATH"\n{exports}'
    )


def _install(spec: LoadedSpec, folder: Path, state: EnvironmentState) -> None:
    """Each component's install commands in its own checkout, in order, then the system's in the primary
    checkout: one venv for all of them."""
    values = placeholders(spec, folder, state.urls, state.mock_base, state.world)
    environ = install.install_environ(folder / "venv", folder / "home") | _constraints(spec)
    timeout = parse_duration(spec.spec.system.install_timeout)

    def remember(pgid: int) -> None:
        state.process_groups.append(pgid)
        write_state(folder, state)

    for component in spec.components:
        commands = [render(c, values) for c in component.install]
        install.run_commands(commands, checkout_dir(folder, spec, component), environ, remember, timeout)
    commands = [render(c, values) for c in spec.install_commands]
    install.run_commands(commands, folder / "src", environ, remember, timeout)
    # compiled once, at install: where PYTHONDONTWRITEBYTECODE is set every process of the system would
    # compile koji and bodhi-client again (half a check's start-up). Waited for: compiled in the
    # background, a verify started at once lost more than `up` saved (deploy 22.3 s against 19.3 s)
    site = sorted((folder / "venv" / "lib").glob("python*/site-packages"))
    checkouts = [checkout_dir(folder, spec, component) for component in spec.components]
    bytecode.compile_shared(spec.state_dir / "bytecode", folder / "venv", site + checkouts, remember, timeout)


def _constraints(spec: LoadedSpec) -> dict[str, str]:
    """system.constraints as uv and pip read it, for every install command."""
    given = spec.spec.system.constraints
    if given is None:
        return {}
    path = spec.resolve(given)
    if not path.is_file():
        raise InputError(f"system.constraints: {path} is not a file")
    return {"UV_CONSTRAINT": str(path), "PIP_CONSTRAINT": str(path)}


def _check_ready(spec: LoadedSpec, folder: Path, state: EnvironmentState) -> None:
    if not ControlClient(state.mock_base, spec.control_token, timeout=10).healthy():
        raise InputError(f"the mock host at {state.mock_base} does not answer")
    command = spec.spec.system.check
    if command:
        command = render(command, placeholders(spec, folder, state.urls, state.mock_base, state.world))
        environ = {**install.install_environ(folder / "venv", folder / "home"), **state.environment}
        done = subprocess.run(
            command,
            shell=True,
            cwd=folder / "home",
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            notes = "".join(f"\nnote: {note}" for note in state.notes)
            raise install.InstallFailed(
                f"the system is installed but `{command}` fails (exit {done.returncode}):\n"
                f"{(done.stdout + done.stderr)[-2000:]}{notes}"
            )


def upgrade(
    spec: LoadedSpec, name: str, ref: Refs = None, progress: Progress = quiet, recreate: bool = False
) -> Environment:
    """Bring an existing environment's components to their refs in place (the ones not named to their
    branch heads), keeping its world as it is."""
    env = open_environment(spec, name, recreate, "stagingqa up --upgrade NAME")
    folder, state = env.folder, env.state
    refs = component_refs(spec, ref)
    steps = Steps(folder, state, progress)
    state.steps = {}
    with steps.step("fetch"):
        moved = move_all(spec, folder, refs)
    with steps.step("install"):
        _install(spec, folder, state)
    with steps.step("ready"):
        _check_ready(spec, folder, state)
    _record_checkouts(state, spec, moved)
    state.last_used = time.time()
    write_state(folder, state)
    return env


def revive(env: Environment) -> Environment:
    """A ready environment whose mock host has gone (a reboot, a kill) gets a running host and its world
    again, re-seeded from the spec's world file: what the old world held is lost with the old host."""
    client = env.control(timeout=5)
    if client.healthy() and client.has_world(env.world):
        return env
    _create_world(env.spec, env.folder, env.state)
    env.save()
    return env


def list_environments(spec: LoadedSpec) -> list[EnvironmentInfo]:
    return [Environment(spec, folder, state).info() for folder, state in all_states(spec.state_dir) if state]


def status(spec: LoadedSpec, name: str) -> EnvironmentInfo:
    return Environment.open(spec, name).info()


def down(spec: LoadedSpec, names: list[str] | None = None, stop_host: bool = True) -> list[str]:
    """Remove the named environments (all when `names` is None); the mock host goes with the last one."""
    removed = []
    for folder, state in all_states(spec.state_dir):
        if names is None or folder.name in names:
            _remove(spec, folder, state)
            removed.append(folder.name)
    missing = sorted(set(names or []) - set(removed))
    if missing:
        raise InputError(f"no environment named {', '.join(map(repr, missing))}")
    if stop_host:
        stop_host_if_unused(spec)
    return removed


def _remove(spec: LoadedSpec, folder: Path, state: EnvironmentState | None) -> None:
    """End the environment's processes, delete its world, remove its folder."""
    for pgid in state.process_groups if state else []:
        if group_alive(pgid):
            end_group(pgid)
    if state and state.world and state.mock_base:
        client = ControlClient(state.mock_base, spec.control_token, timeout=5)
        if client.healthy():
            client.delete_world(state.world)
    shutil.rmtree(folder, ignore_errors=True)


def stop_host_if_unused(spec: LoadedSpec) -> None:
    """Stop the state folder's mock host unless an environment still uses it."""
    if not all_states(spec.state_dir):
        mockhost.stop_host(spec.state_dir)


def gc(spec: LoadedSpec, older_than: str | None = None) -> list[str]:
    """Remove environments past their time to live, half-built ones whose `up` died, and unused hosts."""
    ttl = parse_duration(older_than or spec.spec.ttl)
    now = time.time()
    removed = []
    for folder, state in all_states(spec.state_dir):
        abandoned = state is None or (state.status != "ready" and not alive(state.owner_pid))
        own = state.deployment.get("ttl") if state is not None and state.deployment else None
        expired = state is not None and state.status == "ready" and now - state.last_used > (own or ttl)
        if abandoned or expired:
            _remove(spec, folder, state)
            removed.append(folder.name)
    bytecode.prune(spec.state_dir / "bytecode")
    stop_host_if_unused(spec)
    return removed
