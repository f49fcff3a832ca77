"""BuildmasterConfig for buildbot/master.cfg: poll the system's repository, build on every change,
nightly (with the fresh-versus-upgraded comparison) and on demand, in a pristine environment each time."""

from __future__ import annotations

import sys
from typing import Any

from buildbot.plugins import changes, schedulers, steps, util, worker

from stagingqa.environment.install import repository_source
from stagingqa.master.settings import BUILDER, Settings, load_settings
from stagingqa.master.steps import VerifyStep
from stagingqa.spec import load_spec

STAGINGQA = [sys.executable, "-m", "stagingqa"]  # the master's own install, which local workers share


def system_repository(settings: Settings) -> tuple[str, str]:
    """The repository to poll and build, and its branch: the settings', else the spec's."""
    spec = load_spec_for(settings)
    repository = settings.repository or repository_source(spec.repository, spec.state_dir)
    return repository, settings.branch or spec.spec.system.branch


def load_spec_for(settings: Settings) -> Any:
    from pathlib import Path

    return load_spec(Path(settings.spec))


def build_factory(settings: Settings, branch: str, repository: str) -> Any:
    spec = ["--spec", settings.spec]
    env_name = util.Interpolate("bb-%(prop:buildername)s-%(prop:buildnumber)s")
    revision = util.Interpolate("%(prop:got_revision)s")
    return util.BuildFactory(
        [
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
                command=[*STAGINGQA, "up", "--pristine", *spec, "--name", env_name, "--ref", revision],
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
                    *STAGINGQA,
                    "verify",
                    *spec,
                    "--env",
                    env_name,
                    "--junit",
                    "junit.xml",
                    "-j",
                    str(settings.jobs),
                    "--trigger",
                    util.Interpolate("buildbot:%(prop:scheduler:-force)s"),
                    *settings.usecases,
                ],
                logEnviron=False,
                description=["verifying"],
            ),
            steps.ShellCommand(
                name="compare-upgrade",
                command=[
                    *STAGINGQA,
                    "verify",
                    *spec,
                    "--ref",
                    revision,
                    "--compare-upgrade",
                    util.Interpolate(f"%(prop:got_revision)s{settings.upgrade_from}"),
                    "-j",
                    str(settings.jobs),
                    "--trigger",
                    "buildbot:nightly-compare",
                    *settings.usecases,
                ],
                doStepIf=lambda step: bool(step.getProperty("compare_upgrade")),
                hideStepIf=lambda results, step: not step.getProperty("compare_upgrade"),
                logEnviron=False,
            ),
            steps.ShellCommand(
                name="teardown",
                command=[*STAGINGQA, "down", *spec, env_name],
                alwaysRun=True,
                logEnviron=False,
                description=["tearing down"],
                descriptionDone=["torn down"],
            ),
        ]
    )


def build_config(settings: Settings | None = None) -> dict[str, Any]:
    """The BuildmasterConfig dictionary."""
    settings = settings or load_settings()
    repository, branch = system_repository(settings)
    workers: list[Any] = [worker.LocalWorker("local")] if settings.local_worker else []
    workers += [worker.Worker(name, password, max_builds=1) for name, password in settings.workers.items()]
    names = [w.workername for w in workers]
    builders = [BUILDER]
    return {
        "title": settings.title,
        "titleURL": settings.ui_url,
        "buildbotURL": settings.www_url,
        "buildbotNetUsageData": None,  # the default sends usage data to buildbot.net
        "db": {"db_url": settings.db_url},
        "protocols": {"pb": {"port": f"tcp:{settings.pb_port}:interface={settings.pb_interface}"}},
        "workers": workers,
        "change_source": [
            changes.GitPoller(
                repourl=repository,
                branches=[branch],
                pollInterval=settings.poll_interval,
                pollAtLaunch=True,
                workdir="gitpoller",
                project="system",
                name="system",
            )
        ],
        "schedulers": [
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
                name="force",
                builderNames=builders,
                codebases=[
                    util.CodebaseParameter(
                        "",
                        label="Revision to build",
                        branch=util.FixedParameter(name="branch", default=branch),
                        revision=util.StringParameter(
                            name="revision", label="Revision (empty: the branch head)"
                        ),
                        repository=util.FixedParameter(name="repository", default=repository),
                        project=util.FixedParameter(name="project", default="system"),
                    )
                ],
                properties=[
                    util.BooleanParameter(
                        name="compare_upgrade", label="Also compare fresh with upgraded", default=False
                    )
                ],
            ),
        ],
        "builders": [
            util.BuilderConfig(
                name=BUILDER,
                workernames=names,
                factory=build_factory(settings, branch, repository),
                collapseRequests=False,
            )
        ],
        "www": {
            "port": f"tcp:{settings.www_port}:interface=127.0.0.1",
            "plugins": {},
            "change_hook_dialects": {"poller": True},
        },
    }
