"""`stagingqa deploy` and `undeploy`: a long-lived environment of a branch (or revision), upgraded in
place on later deploys, verified, its verdict and page attached."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from stagingqa.environment import install, lifecycle, merges
from stagingqa.environment.handle import Environment
from stagingqa.environment.state import all_states
from stagingqa.errors import InputError
from stagingqa.spec import LoadedSpec, parse_duration
from stagingqa.verifier.session import Recorder, verify

Say = Callable[[str], None]


@dataclass(frozen=True)
class Deployment:
    """A deployed environment: what it runs, how it verified, and its page."""

    name: str
    branch: str
    revision: str  # the branch's (or the revision's) commit
    previous: list[str]  # earlier revisions it was upgraded from, oldest first
    onto: str | None  # the spec's branch's commit it was merged into, if it was
    merge: str | None  # the merge commit the environment runs, if one was made
    run: str | None
    status: str
    url: str
    upgraded: bool
    expires: float


@dataclass
class Record:
    """What a deployed environment remembers of its deployment (env.json's `deployment`)."""

    branch: str
    ttl: float
    deployed: float = field(default_factory=time.time)
    revisions: list[str] = field(default_factory=list)
    run: str | None = None
    status: str = "unverified"
    is_branch: bool = False  # a branch of the repository (undeployed when it goes), not a bare revision
    base: str | None = None  # the spec's branch's head when first deployed: merges are seen against it
    onto: str | None = None  # the spec's branch's commit the last revision was merged into (None: unmerged)


def deployment_name(ref: str) -> str:
    """`feature/x` -> `deploy-feature-x`: a valid environment name for a branch."""
    return "deploy-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-.") or "ref")


def deployed(spec: LoadedSpec) -> list[Environment]:
    """Every deployed environment of the spec's state folder, oldest use first."""
    found = [
        Environment(spec, folder, state)
        for folder, state in all_states(spec.state_dir)
        if state is not None and state.deployment
    ]
    return sorted(found, key=lambda env: env.state.last_used)


def deploy(
    spec: LoadedSpec,
    ref: str,
    name: str | None = None,
    ttl: str | None = None,
    store: Recorder | None = None,
    ui_url: str = "http://127.0.0.1:8020/",
    say: Say = lambda line: None,
    merge: bool = True,
) -> Deployment:
    """Deploy `ref` into environment `name` (default: one per branch), upgrading it if it exists, then
    verify it; the oldest idle deployments go first when `deploy.max_live` are live. A branch is deployed
    merged into the spec's branch (as CI tests a pull request) unless `merge` is False."""
    name = name or deployment_name(ref)
    seconds = parse_duration(ttl or spec.spec.deploy.ttl)
    existing = _existing(spec, name, ref)
    target = _merge_ref(spec, ref) if merge else ref
    env, record = _staged(spec, ref, target, name, seconds, existing, say)
    checked = env.state.components.get(spec.primary.name, {})
    head, record.onto = checked.get("head", env.revision), checked.get("base")
    if not record.revisions or head != record.revisions[-1]:
        record.revisions.append(head)
    report = verify(
        env, [spec.resolve(spec.spec.usecases)], jobs=spec.spec.deploy.jobs, store=store, trigger="deploy"
    )
    record.run, record.status = (report.run_id if store else None), str(report.status)
    env.state.deployment = asdict(record)
    env.touch()
    return Deployment(
        env.name,
        ref,
        head,
        record.revisions[:-1],
        record.onto,
        env.revision if env.revision != head else None,
        record.run,
        record.status,
        page_url(ui_url, env.name),
        existing is not None,
        env.state.last_used + record.ttl,
    )


def _staged(
    spec: LoadedSpec, ref: str, target: str, name: str, seconds: float, existing: Environment | None, say: Say
) -> tuple[Environment, Record]:
    """A new environment of `target` (room made first), or the existing one upgraded to it; its record."""
    if existing is None:
        make_room(spec, say)
        env = lifecycle.up(spec, target, name)
        is_branch = install.origin_branch(env.src, ref) is not None
        base = install.origin_branch(env.src, spec.primary.branch)
        return env, Record(ref, seconds, is_branch=is_branch, base=base)
    record = Record(**{**existing.state.deployment, "ttl": seconds})
    return lifecycle.upgrade(spec, name, target, recreate=True), record


def _merge_ref(spec: LoadedSpec, ref: str) -> str:
    """BRANCH+PRIMARY for a branch of the repository other than the spec's own; else `ref` as it is (a
    revision deployed by hand is deployed as it is)."""
    primary = spec.primary.branch
    source = install.repository_source(spec.repository, spec.state_dir)
    if ref == primary or not install.remote_branch(source, ref):
        return ref
    return f"{ref}{merges.SEPARATOR}{primary}"


def _existing(spec: LoadedSpec, name: str, ref: str) -> Environment | None:
    """The deployment `name` of `ref`, if there is one; a name another branch or `up` uses is refused."""
    existing = next((env for env in deployed(spec) if env.name == name), None)
    if existing is None and (spec.state_dir / "envs" / name).exists():
        raise InputError(f"environment {name!r} exists and is not a deployment (stagingqa down {name})")
    if existing is not None and existing.state.deployment["branch"] != ref:
        raise InputError(
            f"deployment {name!r} is used by {existing.state.deployment['branch']!r}; "
            f"give another --name, or stagingqa undeploy {name}"
        )
    return existing


def page_url(ui_url: str, name: str) -> str:
    return f"{ui_url.rstrip('/')}/environments/{name}"


def make_room(spec: LoadedSpec, say: Say) -> list[str]:
    """Undeploy the least recently used deployments until one more fits under deploy.max_live."""
    removed = []
    live = deployed(spec)
    while len(live) >= spec.spec.deploy.max_live:
        oldest = live.pop(0)
        say(
            f"undeploying {oldest.name} ({oldest.state.deployment['branch']}): the oldest idle of "
            f"{spec.spec.deploy.max_live} live deployments"
        )
        lifecycle.down(spec, [oldest.name], stop_host=False)
        removed.append(oldest.name)
    return removed


def undeploy(spec: LoadedSpec, name: str) -> str:
    """Remove deployment `name`."""
    if not any(env.name == name for env in deployed(spec)):
        raise InputError(f"no deployment named {name!r} (stagingqa deploy --list shows them)")
    lifecycle.down(spec, [name])
    return name
