"""The master's deployments for manual QA: a `deploy` builder that deploys a watched branch on its first
push and upgrades and re-verifies it on later pushes (or any branch, forced), and a `deploy-gc` builder,
run periodically, that undeploys branches deleted or merged into the spec's branch and expired
environments."""

from __future__ import annotations

import fnmatch
import re
import sys
from typing import Any

from buildbot.plugins import changes, schedulers, steps, util
from buildbot.process import logobserver
from twisted.internet import defer

from stagingqa.master.settings import Settings, Watched

STAGINGQA = [sys.executable, "-m", "stagingqa"]
DEPLOY, DEPLOY_GC = "deploy", "deploy-gc"
PAGE = re.compile(r"^  page: (\S+)$", re.MULTILINE)
PROJECT = "system-deploy"  # changes of the watched branches: never the verify builder's


def watched(settings: Settings, branch: str) -> bool:
    """A branch (a full ref from the poller, or a name) that the settings deploy."""
    name = branch.removeprefix("refs/heads/")
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in settings.deploy_branches)


@util.renderer
def branch_name(props: Any) -> str:
    return str(props.getProperty("branch") or "").removeprefix("refs/heads/")


class DeployStep(steps.ShellCommand):
    """`stagingqa deploy BRANCH`, then the environment's page as the step's link, summary and property
    (`environment_url`, which a reporter can post on the branch's pull request)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.output = logobserver.BufferLogObserver()
        self.addLogObserver("stdio", self.output)

    @defer.inlineCallbacks
    def run(self) -> Any:
        result = yield super().run()
        page = PAGE.search(self.output.getStdout())
        if page:
            self.setProperty("environment_url", page.group(1), "DeployStep")
            yield self.addURL("environment", page.group(1))
            self.descriptionDone = [f"deployed {page.group(1)}"]
        return result


def deploy_pollers(settings: Settings, primary: Watched) -> list[Any]:
    """A second poller of the primary repository, for the watched branches (new ones included)."""
    if not settings.deploy_branches:
        return []
    return [
        changes.GitPoller(
            repourl=primary.repository,
            # the primary branch too: a poller that knows no branch yet takes its first one as a start,
            # not as a change, and the first watched branch would never deploy
            branches=lambda ref: ref == f"refs/heads/{primary.branch}" or watched(settings, ref),
            pollInterval=settings.poll_interval,
            pollAtLaunch=True,
            buildPushesWithNoCommits=True,  # a branch pushed without new commits is still deployed
            workdir="gitpoller-deploy",
            project=PROJECT,
            name="deploy-branches",
        )
    ]


def deploy_schedulers(settings: Settings) -> list[Any]:
    """On every push to a watched branch, forced for any branch, and the periodic collection."""
    if not settings.deploy_branches:
        return []
    return [
        schedulers.AnyBranchScheduler(
            name="deploy-on-push",
            change_filter=util.ChangeFilter(project=PROJECT, branch_fn=lambda b: watched(settings, b)),
            treeStableTimer=settings.tree_stable_timer or None,
            builderNames=[DEPLOY],
        ),
        schedulers.ForceScheduler(
            name="deploy-force",
            builderNames=[DEPLOY],
            codebases=[
                util.CodebaseParameter(
                    "",
                    label="Branch to deploy",
                    branch=util.StringParameter(name="branch", label="Branch", required=True),
                    revision=util.FixedParameter(name="revision", default=""),
                    repository=util.FixedParameter(name="repository", default=""),
                    project=util.FixedParameter(name="project", default=PROJECT),
                )
            ],
        ),
        schedulers.Periodic(
            name="deploy-collect", builderNames=[DEPLOY_GC], periodicBuildTimer=settings.deploy_gc_interval
        ),
    ]


def deploy_builders(settings: Settings, workers: list[str]) -> list[Any]:
    if not settings.deploy_branches:
        return []
    spec = ["--spec", settings.spec]
    deploy = util.BuildFactory(
        [
            DeployStep(
                name="deploy",
                command=[*STAGINGQA, "deploy", branch_name, *spec, "--ui-url", settings.ui_url],
                logEnviron=False,
                description=["deploying"],
            )
        ]
    )
    collect = util.BuildFactory(
        [
            steps.ShellCommand(
                name="undeploy-gone", command=[*STAGINGQA, "undeploy", "--gone", *spec], logEnviron=False
            ),
            steps.ShellCommand(name="gc", command=[*STAGINGQA, "gc", *spec], logEnviron=False),
        ]
    )
    return [
        util.BuilderConfig(name=DEPLOY, workernames=workers, factory=deploy, collapseRequests=False),
        util.BuilderConfig(name=DEPLOY_GC, workernames=workers, factory=collect, collapseRequests=True),
    ]
