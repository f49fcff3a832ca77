"""`stagingqa world import`: a world file written from live Koji, Bodhi and ResultsDB (the work is in
importer/)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from stagingqa.cli_options import JSON_OPTION, emit


@click.command("import")
@click.option("--update", "updates", multiple=True, metavar="ALIAS", help="A Bodhi update (repeatable).")
@click.option("--build", "builds", multiple=True, metavar="NVR", help="A Koji build (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="The builds of a Koji tag (repeatable).")
@click.option("--latest", is_flag=True, help="With --tag: only the newest build of each package.")
@click.option("--results", "items", multiple=True, metavar="ITEM", help="ResultsDB's results of an item.")
@click.option(
    "--depth",
    type=click.IntRange(0, 1),
    default=1,
    show_default=True,
    help="0: only what is named; 1: also later releases and the upgrade-path neighbours of updates.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The world file to write.",
)
@click.option("--name", help="The world's name (default: from the output file's name).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--koji", default="https://koji.fedoraproject.org/kojihub", show_default=True, help="The Koji hub."
)
@click.option("--bodhi", default="https://bodhi.fedoraproject.org/", show_default=True, help="Bodhi.")
@click.option(
    "--resultsdb",
    default="https://resultsdb.fedoraproject.org/api/v2.0",
    show_default=True,
    help="ResultsDB's API.",
)
@click.option(
    "--mock-world", metavar="URL", help="Read a mock host's world instead: http://HOST:PORT/w/NAME."
)
@click.option(
    "--rate",
    type=float,
    default=5.0,
    show_default=True,
    help="Requests a second at most (loopback hosts are not throttled; 0: no limit).",
)
@click.option(
    "--retries",
    type=click.IntRange(1, 10),
    default=4,
    show_default=True,
    help="Tries of a request that fails.",
)
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.option(
    "--keep-cache", is_flag=True, help="Keep the answers read (OUTPUT.import-cache/) after success."
)
@JSON_OPTION
def import_command(
    updates: tuple[str, ...],
    builds: tuple[str, ...],
    tags: tuple[str, ...],
    latest: bool,
    items: tuple[str, ...],
    depth: int,
    output: Path,
    name: str | None,
    force: bool,
    koji: str,
    bodhi: str,
    resultsdb: str,
    mock_world: str | None,
    rate: float,
    retries: int,
    timeout: float,
    keep_cache: bool,
    as_json: bool,
) -> None:
    """Write a world file from the live services (Fedora's production ones by default), through their
    public read APIs: the updates, builds, tags and results named, and what they need. Polite: batched,
    throttled, retried, cached (an interrupted import resumes). Nothing is written unless all was read."""
    from stagingqa.errors import InputError
    from stagingqa.importer.fetch import Fetcher
    from stagingqa.importer.gather import Wanted
    from stagingqa.importer.run import Sources, cache_folder, import_world

    if output.exists() and not force:
        raise InputError(f"{output} exists; give --force to replace it")
    sources = Sources.mock_world(mock_world) if mock_world else Sources(koji, bodhi, resultsdb)
    wanted = Wanted(updates, builds, tags, latest, items, depth)
    with _Progress(quiet=as_json) as progress:
        fetcher = Fetcher(cache_folder(output), rate, retries, timeout=timeout, on_request=progress.request)
        found = import_world(wanted, sources, output, fetcher, name, keep_cache, say=progress.step)
    if as_json:
        emit(found)
        return
    click.echo(
        f"wrote {found.path}: world {found.name!r}, {found.releases} releases, {found.builds} builds, "
        f"{found.updates} updates, {found.results} results ({found.requests} requests, {found.cached} "
        f"from the cache, {found.seconds:.1f} s)"
    )


class _Progress:
    """A progress bar on a terminal (rich), plain step lines on stderr otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.count = quiet, 0
        self.bar: Any = None  # rich's Progress, on a terminal only
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if not self.quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.bar = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True)
            )
            self.bar.start()
            self.task = self.bar.add_task("importing", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def step(self, line: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=f"{line} ({self.count} requests)")
        elif not self.quiet:
            click.echo(f"import: {line}", err=True)

    def request(self, service: str) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1)
