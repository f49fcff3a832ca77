"""Benchmark deployments for manual QA: a push to a watched branch until its environment is ready with
its verdict (a real master, 2 s poll, every shipped use case verified), first deploy and upgrade."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.harness import write_results
from stagingqa.deploy.deployments import deployed
from stagingqa.examplerepo import generate_autoqa_repository
from stagingqa.master import control
from stagingqa.master.settings import Settings
from stagingqa.runs.store import open_store
from stagingqa.spec import load_spec
from tests.conftest import down_all, write_spec
from tests.deploy.conftest import push_branch
from tests.postgres import free_port


def revisions(spec: Path, name: str) -> list[str]:
    """The deployment's verified revisions, read from its state file in this process: a `deploy --list`
    process every 0.2 s would take CPU from the deploy it measures (2 cores)."""
    for env in deployed(load_spec(spec)):
        if env.name == name and env.state.deployment["status"] != "unverified":
            return list(env.state.deployment["revisions"])
    return []


def timed_push(spec: Path, repo: Path, text: str, new: bool) -> dict[str, float]:
    """Seconds from the push until the deployment has the pushed revision and its verdict; of which
    until its verification started (poll, build, environment) and the verification itself."""
    head = push_branch(repo, "feature/bench", text, new)
    pushed = time.time()
    while head not in revisions(spec, "deploy-feature-bench"):
        if time.time() - pushed > 300:
            raise RuntimeError("no deployment within 300 s")
        time.sleep(0.2)
    ready = time.time()
    run = open_store(load_spec(spec)).get("latest", heavy=False)
    return {
        "total": round(ready - pushed, 2),
        "until_verify_starts": round(run.started - pushed, 2),
        "verify": round(run.seconds or 0.0, 2),
    }


def run() -> dict:
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="stagingqa-deploy-bench-") as folder:
        repo = Path(folder) / "autoqa"
        generate_autoqa_repository(repo)
        spec = write_spec(Path(folder), str(repo))
        spec.write_text(spec.read_text() + "deploy: {max_live: 5, ttl: 72h, jobs: 4}\n")
        settings = Settings(
            spec=str(spec),
            poll_interval=2,
            tree_stable_timer=0,
            www_port=free_port(),
            pb_port=free_port(),
            deploy_branches=["feature/*"],
            deploy_gc_interval=600,
        )
        control.start(settings)
        try:
            time.sleep(3)  # the pollers' first poll records the heads
            first = timed_push(spec, repo, "bench 1\n", new=True)
            upgrade = timed_push(spec, repo, "bench 2\n", new=False)
            figures["push_to_ready_first_s"] = first["total"]
            figures["push_to_ready_upgrade_s"] = upgrade["total"]
            figures["first_parts_s"], figures["upgrade_parts_s"] = first, upgrade
            pid = control.status(settings).pid
            status = Path(f"/proc/{pid}/status").read_text()
            figures["deployed_environment_note"] = (
                "the environment runs no process; its world lives in the mock host"
            )
            figures["master_rss_mib"] = round(int(status.split("VmRSS:")[1].split()[0]) / 1024, 1)
        finally:
            control.stop(settings)
            down_all(spec)
    write_results("deploy", figures)
    return figures
