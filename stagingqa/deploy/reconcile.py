"""Deployments whose branch is gone: deleted from the repository, or merged into the spec's branch.
The master runs this periodically (with `gc`, for time to live); so can anyone (`undeploy --gone`)."""

from __future__ import annotations

from pathlib import Path

from stagingqa.deploy.deployments import Say, deployed
from stagingqa.environment import install, lifecycle
from stagingqa.spec import LoadedSpec


def gone(spec: LoadedSpec) -> list[tuple[str, str]]:
    """(name, why) of every branch deployment whose branch was deleted or merged."""
    found = []
    base = spec.primary.branch
    for env in deployed(spec):
        record = env.state.deployment
        if not record.get("is_branch"):
            continue  # a revision deployed by hand lives out its time to live
        install.fetch(env.src)
        head = install.origin_branch(env.src, record["branch"])
        if head is None or not _exists(env.src, record["branch"]):
            found.append((env.name, f"branch {record['branch']} was deleted"))
        elif record["branch"] != base and _merged(env.src, head, base, record.get("base")):
            found.append((env.name, f"branch {record['branch']} was merged into {base}"))
    return found


def undeploy_gone(spec: LoadedSpec, say: Say = lambda line: None) -> list[str]:
    """Undeploy what `gone` finds, saying why for each."""
    removed = []
    for name, why in gone(spec):
        say(f"undeploying {name}: {why}")
        lifecycle.down(spec, [name])
        removed.append(name)
    return removed


def _exists(src: Path, branch: str) -> bool:
    """The branch is still on the origin (fetch does not prune: ask ls-remote)."""
    done = install.run_git("-C", str(src), "ls-remote", "--exit-code", "--heads", "origin", branch)
    return done.returncode == 0


def _merged(src: Path, head: str, base: str, base_at_deploy: str | None) -> bool:
    """The base branch moved since the first deploy and now contains the branch head (a fast-forward
    merge included). A branch made at the base's head, with the base unmoved, has nothing merged yet."""
    target = install.origin_branch(src, base)
    if target is None or target == base_at_deploy:
        return False
    done = install.run_git("-C", str(src), "merge-base", "--is-ancestor", head, target)
    return done.returncode == 0
