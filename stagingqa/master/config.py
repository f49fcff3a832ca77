"""BuildmasterConfig for buildbot/master.cfg: poll the system's repositories (one codebase a component
when it has several: a change in any builds), build on every change, nightly (with the fresh-versus-
upgraded comparison) and on demand, in a pristine environment each time."""

from __future__ import annotations

import sys
from typing import Any

from buildbot.plugins import changes, schedulers, steps, util, worker

from stagingqa.master.deploys import deploy_builders, deploy_pollers, deploy_schedulers
from stagingqa.master.settings import BUILDER, Settings, Watched, load_settings, system_repositories
from stagingqa.master.steps import VerifyStep

STAGINGQA = [sys.executable, "-m", "stagingqa"]  # the master's own install, which local workers share
ENV_NAME = util.Interpolate("bb-%(prop:buildername)s-%(prop:buildnumber)s")


def revisions(props: Any) -> dict[str, str]:
    """Each codebase's checked-out revision: got_revision is a dict with several codebases."""
    got = props.getProperty("got_revision")
    return dict(got) if isinstance(got, dict) else {"": got}


@util.renderer
def ref_arguments(props: Any) -> list[str]:
    """`--ref SHA` for one repository, `--ref NAME=SHA` for each of several (the codebases are named
    after the spec's components)."""
    return [
        arg for name, sha in revisions(props).items() for arg in ("--ref", f"{name}={sha}" if name else sha)
    ]


def primary_revision(watched: list[Watched]) -> Any:
    """The primary component's revision of a build, whatever the number of codebases."""

    @util.renderer
    def render(props: Any) -> str:
        found = revisions(props)
        return found.get(watched[0].name) or found.get("") or ""

    return render


@util.renderer
def source_refs(props: Any) -> list[str]:
    """`--ref` for each codebase whose revision the build names (a change's, a forced one's); the others
    stage their branch heads. stagingqa clones the repositories itself: a checkout step on the worker
    cost a clone of its own before every build."""
    arguments = []
    for stamp in props.getBuild().getAllSourceStamps():
        if stamp.revision:
            arguments += ["--ref", f"{stamp.codebase}={stamp.revision}" if stamp.codebase else stamp.revision]
    return arguments


def build_steps(settings: Settings, watched: list[Watched]) -> list[Any]:
    """verify (staging first, in the same process), compare-upgrade (when asked), teardown (always); no
    step logs its environment."""
    spec = ["--spec", settings.spec]
    verify = [*STAGINGQA, "verify", *spec, "-j", str(settings.jobs)]
    upgrade_from = util.Interpolate(
        f"%(kw:revision)s{settings.upgrade_from}", revision=primary_revision(watched)
    )
    return [
        VerifyStep(
            name="verify",
            junit="junit.xml",
            ui_url=settings.ui_url,
            www_url=settings.www_url,
            codebases=len(watched) > 1,
            # staging in verify's own process: a separate `up` step cost a process start and a step
            command=[
                *verify,
                *["--up", ENV_NAME, source_refs, "--junit", "junit.xml"],
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
                *[ref_arguments, "--trigger", "buildbot:nightly-compare"],
                *["--compare-upgrade", upgrade_from],
                *settings.usecases,
            ],
            doStepIf=lambda step: bool(step.getProperty("compare_upgrade")),
            hideStepIf=lambda results, step: not step.getProperty("compare_upgrade"),
            logEnviron=False,
        ),
        steps.ShellCommand(
            name="teardown",
            # the host stays for the next build (starting it took 1.5 s of commit to verdict); the
            # master stops it when it stops
            command=[*STAGINGQA, "down", *spec, "--keep-host", ENV_NAME],
            alwaysRun=True,
            logEnviron=False,
            description=["tearing down"],
            descriptionDone=["torn down"],
        ),
    ]


def build_schedulers(settings: Settings, watched: list[Watched]) -> list[Any]:
    """On every change to a watched branch, nightly with the upgrade comparison, and forced (any
    revision of each repository)."""
    builders = [BUILDER]
    several = len(watched) > 1
    codebases = (
        {w.name: {"repository": w.repository, "branch": w.branch} for w in watched} if several else None
    )
    forced = [
        util.CodebaseParameter(
            w.name if several else "",
            label=f"Revision of {w.name}" if several else "Revision to build",
            branch=util.FixedParameter(name="branch", default=w.branch),
            revision=util.StringParameter(name="revision", label="Revision (empty: the branch head)"),
            repository=util.FixedParameter(name="repository", default=w.repository),
            project=util.FixedParameter(name="project", default="system"),
        )
        for w in watched
    ]
    compare = util.BooleanParameter(
        name="compare_upgrade", label="Also compare fresh with upgraded", default=False
    )
    wanted = {(w.name if several else "", w.branch) for w in watched}
    on_commit = util.ChangeFilter(project="system", filter_fn=lambda c: (c.codebase, c.branch) in wanted)
    nightly_source = {"codebases": codebases} if several else {"branch": watched[0].branch}
    return [
        schedulers.SingleBranchScheduler(
            name="on-commit",
            change_filter=on_commit,
            treeStableTimer=settings.tree_stable_timer or None,  # 0: build every change at once
            builderNames=builders,
            **({"codebases": codebases} if several else {}),
        ),
        schedulers.Nightly(
            name="nightly",
            builderNames=builders,
            hour=settings.nightly_hour,
            minute=settings.nightly_minute,
            onlyIfChanged=False,
            properties={"compare_upgrade": True},  # the full suite: fresh versus upgraded too
            **nightly_source,
        ),
        schedulers.ForceScheduler(
            name="force", builderNames=builders, codebases=forced, properties=[compare]
        ),
    ]


def pollers(settings: Settings, watched: list[Watched]) -> list[Any]:
    """A GitPoller per repository; with several, each change's codebase is its component's name."""
    several = len(watched) > 1
    return [
        changes.GitPoller(
            repourl=w.repository,
            branches=[w.branch],
            pollInterval=settings.poll_interval,
            pollAtLaunch=True,
            workdir=f"gitpoller-{w.name}" if several else "gitpoller",
            project="system",
            name=f"system-{w.name}" if several else "system",
        )
        for w in watched
    ]


def build_config(settings: Settings | None = None) -> dict[str, Any]:
    """The BuildmasterConfig dictionary."""
    settings = settings or load_settings()
    watched = system_repositories(settings)
    by_repository = {w.repository: w.name for w in watched}
    workers: list[Any] = [worker.LocalWorker("local")] if settings.local_worker else []
    workers += [worker.Worker(name, password, max_builds=1) for name, password in settings.workers.items()]
    names = [w.workername for w in workers]
    builder = util.BuilderConfig(
        name=BUILDER,
        workernames=[w.workername for w in workers],
        factory=util.BuildFactory(build_steps(settings, watched)),
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
        "change_source": pollers(settings, watched) + deploy_pollers(settings, watched[0]),
        # one codebase per component when there are several: a change's is its repository's component
        "codebaseGenerator": lambda change: (
            by_repository.get(change["repository"], "") if len(watched) > 1 else ""
        ),
        "schedulers": build_schedulers(settings, watched) + deploy_schedulers(settings),
        "builders": [builder, *deploy_builders(settings, names)],
        "www": {
            "port": f"tcp:{settings.www_port}:interface=127.0.0.1",
            "plugins": {},
            "change_hook_dialects": {"poller": True},
        },
    }
