"""autoqa's command line: the only place errors become messages and exit codes."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from autoqa import ITEM_TYPES, __version__
from autoqa.checks import NAMES
from autoqa.config import load_config
from autoqa.errors import AutoQAError

if TYPE_CHECKING:
    from autoqa.runner import Outcome


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="autoqa",
        description="AutoQA-style checks for Koji builds and Bodhi "
        "updates. Exit status: 0 checks ran, 1 a check could not run, 2 usage error.",
    )
    main.add_argument("--version", action="version", version=f"autoqa {__version__}")
    main.add_argument("--config", help="INI file with an [autoqa] section (or AUTOQA_CONFIG)")
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run one check on one item")
    run.add_argument("--check", required=True, choices=sorted(NAMES))
    run.add_argument("--item", required=True, help="an update alias or a build NVR")
    run.add_argument("--type", required=True, choices=ITEM_TYPES, dest="kind")
    watch = commands.add_parser("watch", help="check what Bodhi and Koji have that was not checked yet")
    watch.add_argument("--once", action="store_true", required=True, help="one pass, then exit")
    return main


def show(outcome: Outcome) -> None:
    for finding, result in zip(outcome.findings, outcome.results, strict=False):
        print(
            f"dist.{outcome.check} {outcome.item} {finding.arch} {finding.outcome}: {finding.note} "
            f"({result.get('href', '')})"
        )
        for line in finding.details:
            print(f"    {line}")
    if outcome.error:
        print(f"autoqa: {outcome.check} on {outcome.item}: {outcome.error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        # imported here: they load the Koji, Bodhi and ResultsDB libraries, which --help does not need
        from autoqa.runner import run_check
        from autoqa.services import Services
        from autoqa.watch import watch_once

        services = Services(load_config(args.config))
        if args.command == "run":
            outcome = run_check(services, args.check, args.kind, args.item)
            show(outcome)
            return 1 if outcome.error else 0
        checked = watch_once(services, show)
        print(f"autoqa: {checked} new items checked")
        return 0
    except AutoQAError as exc:
        print(f"autoqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("autoqa: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: still a one-line message, never a traceback
        print(f"autoqa: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
