"""ResultsDB's error answers: a status and the body the real server sends."""

from __future__ import annotations

from typing import Any


class ResultsDBError(Exception):
    """Rendered as JSON with `status` by the app's one error handler."""

    status = 400

    def __init__(self, body: Any, status: int | None = None) -> None:
        super().__init__(body)
        self.body = body
        if status is not None:
            self.status = status


def not_found(message: str) -> ResultsDBError:
    return ResultsDBError({"message": message}, 404)


def bad_request(message: str = "Bad request") -> ResultsDBError:
    return ResultsDBError({"message": message}, 400)


def validation_error(errors: list[dict[str, Any]]) -> ResultsDBError:
    """The real server's pydantic 400: `{"validation_error": [...]}` and no `message`."""
    return ResultsDBError({"validation_error": errors}, 400)
