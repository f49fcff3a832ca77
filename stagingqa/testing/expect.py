"""A use case's `expect:` block checked in process, with the verifier's own matching and explanations."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pydantic

from stagingqa.verifier.matching import check_expectations, observe, relevant_journal
from stagingqa.verifier.reports import failure_lines
from stagingqa.verifier.usecase import Expect
from stagingqa.world import WorldInvalid
from stagingqa.world.source import Located, parse_text
from stagingqa.world.validation import shape_problems


class ExpectationFailed(AssertionError):
    """What was expected was not posted; the message is the verifier's explanation."""


def parse_expect(expect: Mapping[str, Any] | str) -> Expect:
    """An `expect:` block from a mapping or YAML; a bad one is WorldInvalid naming the field."""
    if isinstance(expect, str):
        located = parse_text(expect, "<expect>")
    else:
        located = Located.given(copy.deepcopy(dict(expect)), "<expect>")
    try:
        return Expect.model_validate(located.data)
    except pydantic.ValidationError as exc:
        raise WorldInvalid(shape_problems(located, exc, Expect)) from None


def check(
    expect: Mapping[str, Any] | str,
    document: dict[str, Any],
    export: dict[str, Any],
    journal: list[dict[str, Any]],
) -> None:
    """Raise ExpectationFailed when an expectation does not hold on what was posted since `document`."""
    wanted = parse_expect(expect)
    failures = check_expectations(wanted, observe(wanted, document, export, journal))
    if failures:
        lines = failure_lines(failures)
        requests = relevant_journal(journal)
        if requests:
            lines += ["", "requests to the mocks:", *(f"  {line}" for line in requests)]
        raise ExpectationFailed("\n".join(["expectations not met:", *lines]))
