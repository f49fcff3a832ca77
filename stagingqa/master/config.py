"""BuildmasterConfig for buildbot/master.cfg: poll the system's repository, build on every change,
nightly (with the fresh-versus-upgraded comparison) and on demand, in a pristine environment each time."""

from __future__ import annotations

import sys
from typing import Any

from buildbot.plugins import changes, schedulers, steps, util, worker

from stagingqa.master.settings import BUILDER, Settings, load_settings, system_repository
from stagingqa.master.steps import VerifyStep

STAGINGQA = [sys.executable, "-m", "stagingqa"]  # the master's own install, which local workers share
ENV_NAME = util.Interpolate("bb-%(prop:buildername)s-%(prop:buildnumber)s")
REVISION = util.Interpolate("%(prop:got_revision)s")


def build_steps(settings: Settings, branch: str, repository: str) -> list[Any]:
    """checkout, stage, verify, compare-upgrade (when asked), teardown (always); no step logs its
    environment."""
    spec = ["--spec", settings.spec]
    verify = [*STAGINGQA, "verify", *spec, "-j", str(settings.jobs)]
    return [
        steps.Git(
            name="checkout",
            repourl=repository,
            branch=branch,
            mode="full",
            method="clobber",
            workdir="source",
            haltOnFailure=True,
            logEnviron=False,
        ),
        steps.ShellCommand(
            name="stage",
            command=[*STAGINGQA, "up", "--pristine", *spec, "--name", ENV_NAME, "--ref", REVISION],
            haltOnFailure=True,
            logEnviron=False,
            description=["staging"],
            descriptionDone=["staged"],
        ),
        VerifyStep(
            name="verify",
            junit="junit.xml",
            ui_url=settings.ui_url,
            www_url=settings.www_url,
            command=[
                *verify,
                *["--env", ENV_NAME, "--junit", "junit.xml"],
                *["--trigger", util.Interpolate("buildbot:%(prop:scheduler:-force)s")],
                *settings.usecases,
            ],
            logEnviron=False,
            description=["verifying"],
        ),
        steps.ShellCommand(
            name="compare-upgrade",
            command=[
                *verify,
                *["--ref", REVISION, "--trigger", "buildbot:nightly-compare"],
                *["--compare-upgrade", util.Interpolate(f"%(prop:got_revision)s{settings.upgrade_from}")],
                *settings.usecases,
            ],
            doStepIf=lambda step: bool(step.getProperty("compare_upgrade")),
            hideStepIf=lambda results, step: not step.getProperty("compare_upgrade"),
            logEnviron=False,
        ),
        steps.ShellCommand(
            name="teardown",
            command=[*STAGINGQA, "down", *spec, ENV_NAME],
            alwaysRun=True,
            logEnviron=False,
            description=["tearing down"],
            descriptionDone=["torn down"],
        ),
    ]


def build_schedulers(settings: Settings, branch: str, repository: str) -> list[Any]:
    """On every change to the branch, nightly with the upgrade comparison, and forced (any revision)."""
    builders = [BUILDER]
    revision = util.CodebaseParameter(
        "",
        label="Revision to build",
        branch=util.FixedParameter(name="branch", default=branch),
        revision=util.StringParameter(name="revision", label="Revision (empty: the branch head)"),
        repository=util.FixedParameter(name="repository", default=repository),
        project=util.FixedParameter(name="project", default="system"),
    )
    compare = util.BooleanParameter(
        name="compare_upgrade", label="Also compare fresh with upgraded", default=False
    )
    return [
        schedulers.SingleBranchScheduler(
            name="on-commit",
            change_filter=util.ChangeFilter(project="system", branch=branch),
            treeStableTimer=settings.tree_stable_timer or None,  # 0: build every change at once
            builderNames=builders,
        ),
        schedulers.Nightly(
            name="nightly",
            builderNames=builders,
            branch=branch,
            hour=settings.nightly_hour,
            minute=settings.nightly_minute,
            onlyIfChanged=False,
            properties={"compare_upgrade": True},  # the full suite: fresh versus upgraded too
        ),
        schedulers.ForceScheduler(
            name="force", builderNames=builders, codebases=[revision], properties=[compare]
        ),
    ]


def build_config(settings: Settings | None = None) -> dict[str, Any]:
    """The BuildmasterConfig dictionary."""
    settings = settings or load_settings()
    repository, branch = system_repository(settings)
    workers: list[Any] = [worker.LocalWorker("local")] if settings.local_worker else []
    workers += [worker.Worker(name, password, max_builds=1) for name, password in settings.workers.items()]
    poller = changes.GitPoller(
        repourl=repository,
        branches=[branch],
        pollInterval=settings.poll_interval,
        pollAtLaunch=True,
        workdir="gitpoller",
        project="system",
        name="system",
    )
    builder = util.BuilderConfig(
        name=BUILDER,
        workernames=[w.workername for w in workers],
        factory=util.BuildFactory(build_steps(settings, branch, repository)),
        collapseRequests=False,
    )
    return {
        "title": settings.title,
        "titleURL": settings.ui_url,
        "buildbotURL": settings.www_url,
        "buildbotNetUsageData": None,  # the default sends usage data to buildbot.net
        "db": {"db_url": settings.db_url},
        "protocols": {"pb": {"port": f"tcp:{settings.pb_port}:interface={settings.pb_interface}"}},
        "workers": workers,
        "change_source": [poller],
        "schedulers": build_schedulers(settings, branch, repository),
        "builders": [builder],
        "www": {
            "port": f"tcp:{settings.www_port}:interface=127.0.0.1",
            "plugins": {},
            "change_hook_dialects": {"poller": True},
        },
    }
