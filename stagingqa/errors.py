"""The project's exceptions; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_USAGE = 2


class StagingQAError(Exception):
    """Base of every error stagingqa reports to a user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(StagingQAError):
    """A file, argument or request the user gave is not valid."""


class ServiceFailed(StagingQAError):
    """A service could not start or stopped answering."""

    exit_code = EXIT_FAILED
