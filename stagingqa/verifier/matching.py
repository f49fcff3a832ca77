"""Matching expectations against what a run left behind: pure functions, no I/O. A failed expectation
names the closest candidate and every field in which it differs, as `responses` does for requests."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from stagingqa.verifier.usecase import CommentExpectation, Expect, ResultExpectation
from stagingqa.verifier.verdict import Failure


@dataclass
class Observation:
    """What the run posted and what the world looks like afterwards."""

    results: list[dict[str, Any]]  # posted during the run, oldest first (export shape)
    comments: list[dict[str, Any]]  # posted during the run: update, user, text, karma
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)  # alias -> status, request, karma
    build_tags: dict[str, set[str]] = field(default_factory=dict)
    journal: list[dict[str, Any]] = field(default_factory=list)


def observe(
    expect: Expect, document: dict[str, Any], export: dict[str, Any], journal: list[dict[str, Any]]
) -> Observation:
    """What was posted beyond what world `document` started with, and the state of what `expect` names."""
    results = export.get("results", [])[len(document.get("results", [])) :]
    seeded = {u["alias"]: len(u.get("comments", [])) for u in document.get("updates", [])}
    comments = [
        {"update": update["alias"], "user": c["user"], "text": c["text"], "karma": c["karma"]}
        for update in export.get("updates", [])
        for c in update.get("comments", [])[seeded.get(update["alias"], 0) :]
    ]
    named = {wanted.alias for wanted in expect.world.updates}
    updates = {
        update["alias"]: {key: update.get(key) for key in ("status", "request", "karma")}
        for update in export.get("updates", [])
        if update["alias"] in named
    }
    return Observation(results, comments, updates, build_tags(document, export), journal)


def build_tags(document: dict[str, Any], export: dict[str, Any]) -> dict[str, set[str]]:
    """Each build's tags now: its seeded tags, then the export's history of changes."""
    tags = {b["nvr"]: set(b.get("tags", [])) for b in document.get("builds", [])}
    for change in export.get("history", []):
        target = tags.setdefault(change["build"], set())
        (target.add if change["action"] == "tag" else target.discard)(change["tag"])
    return tags


def _values(result: dict[str, Any], key: str) -> list[str]:
    return [str(v) for v in result.get("data", {}).get(key, [])]


def result_differences(expected: ResultExpectation, result: dict[str, Any]) -> list[str]:
    """Each field in which `result` differs from `expected` (empty: it matches)."""
    found = []
    if expected.testcase is not None and result["testcase"] != expected.testcase:
        found.append(f"testcase {result['testcase']!r}, expected {expected.testcase!r}")
    if expected.outcome is not None and result["outcome"] != expected.outcome.upper():
        found.append(f"outcome {result['outcome']}, expected {expected.outcome.upper()}")
    for key in ("item", "type"):
        wanted = getattr(expected, key)
        if wanted is not None and _values(result, key) != [wanted]:
            found.append(f"{key} {_values(result, key)}, expected [{wanted!r}]")
    if expected.arch is not None:
        wanted = {expected.arch} if isinstance(expected.arch, str) else set(expected.arch)
        if set(_values(result, "arch")) != wanted:
            found.append(f"arch {sorted(_values(result, 'arch'))}, expected {sorted(wanted)}")
    for key in ("note", "ref_url"):
        pattern = getattr(expected, key)
        if pattern is not None and not re.search(pattern, result.get(key) or ""):
            found.append(f"{key} {result.get(key)!r} does not match /{pattern}/")
    for key, wanted in expected.data.items():
        patterns = [str(w) for w in (wanted if isinstance(wanted, list) else [wanted])]
        missing = [p for p in patterns if not any(re.search(p, value) for value in _values(result, key))]
        if missing:
            found.append(f"data.{key} {_values(result, key)} has nothing matching {missing}")
    return found


def comment_differences(expected: CommentExpectation, comment: dict[str, Any]) -> list[str]:
    found = []
    for key in ("update", "user", "karma"):
        wanted = getattr(expected, key)
        if wanted is not None and comment[key] != wanted:
            found.append(f"{key} {comment[key]!r}, expected {wanted!r}")
    if expected.text is not None and not re.search(expected.text, comment["text"]):
        found.append(f"text {comment['text']!r} does not match /{expected.text}/")
    return found


def describe(expectation: ResultExpectation | CommentExpectation) -> str:
    fields = {k: v for k, v in expectation.model_dump().items() if v not in (None, {}, [])}
    return ", ".join(f"{k}={v!r}" for k, v in fields.items())


IDENTITY = ("testcase ", "item ", "update ", "user ")  # the fields that say which item a use case means


def _rank(differences: list[str]) -> tuple[int, int]:
    """Closest first: the items that agree on what the use case named (testcase and item, update and
    user), then the fewest differences; a sibling subcheck of the same item ranks after the item itself."""
    return sum(d.startswith(IDENTITY) for d in differences), len(differences)


def _expect_present(
    kind: str, expectation: Any, items: list[dict[str, Any]], differ: Any, label: Any
) -> list[Failure]:
    scored = [(differ(expectation, item), item) for item in items]
    matching = [item for differences, item in scored if not differences]
    wanted = describe(expectation)
    closest = tuple(
        f"{label(item)}: " + "; ".join(differences)
        for differences, item in sorted(scored, key=lambda pair: _rank(pair[0]))[:3]
        if differences
    )
    if expectation.count is not None and len(matching) != expectation.count:
        return [
            Failure(
                f"{kind}: {wanted}",
                f"expected exactly {expectation.count}, found {len(matching)}",
                tuple(map(label, matching)) or closest,
            )
        ]
    if expectation.count is None and not matching:
        posted = f"{len(items)} {kind} posted" if items else f"no {kind} posted at all"
        return [Failure(f"{kind}: {wanted}", f"no match ({posted})", closest)]
    return []


def result_label(result: dict[str, Any]) -> str:
    where = f"item={_values(result, 'item')} arch={_values(result, 'arch')}"
    return f"{result['testcase']} {result['outcome']} {where} note={result.get('note')!r}"


def comment_label(comment: dict[str, Any]) -> str:
    return f"{comment['user']} on {comment['update']} (karma {comment['karma']}): {comment['text'][:120]!r}"


def check_expectations(expect: Expect, seen: Observation) -> list[Failure]:
    """Every expectation that does not hold."""
    failures: list[Failure] = []
    for wanted in expect.results:
        failures += _expect_present("results", wanted, seen.results, result_differences, result_label)
    for wanted_comment in expect.comments:
        failures += _expect_present(
            "comments", wanted_comment, seen.comments, comment_differences, comment_label
        )
    for absent in expect.absent.results:
        hits = [r for r in seen.results if not result_differences(absent, r)]
        if hits:
            failures.append(
                Failure(
                    f"no results: {describe(absent)}", f"{len(hits)} posted", tuple(map(result_label, hits))
                )
            )
    for absent_comment in expect.absent.comments:
        hits = [c for c in seen.comments if not comment_differences(absent_comment, c)]
        if hits:
            failures.append(
                Failure(
                    f"no comments: {describe(absent_comment)}",
                    f"{len(hits)} posted",
                    tuple(map(comment_label, hits)),
                )
            )
    return failures + check_budgets(expect, seen) + check_world(expect, seen)


def check_budgets(expect: Expect, seen: Observation) -> list[Failure]:
    budgets = expect.budgets
    failures = []
    if budgets.comments_per_update is not None:
        for update, count in Counter(c["update"] for c in seen.comments).items():
            if count > budgets.comments_per_update:
                failures.append(
                    Failure(
                        f"at most {budgets.comments_per_update} comments per update", f"{count} on {update}"
                    )
                )
    if budgets.unique_results:
        keys = Counter(
            (r["testcase"], tuple(_values(r, "item")), tuple(sorted(_values(r, "arch"))))
            for r in seen.results
        )
        for (testcase, item, arch), count in keys.items():
            if count > 1:
                failures.append(
                    Failure(
                        "no duplicate results", f"{count} results for {testcase} {list(item)} {list(arch)}"
                    )
                )
    for service, limit in budgets.requests.items():
        count = sum(1 for entry in seen.journal if entry["service"] == service)
        if count > limit:
            failures.append(Failure(f"at most {limit} requests to {service}", f"{count} made"))
    return failures


def check_world(expect: Expect, seen: Observation) -> list[Failure]:
    failures = []
    for wanted in expect.world.updates:
        actual = seen.updates.get(wanted.alias)
        if actual is None:
            failures.append(Failure(f"update {wanted.alias}", "no such update in the world"))
            continue
        for key in ("status", "request", "karma"):
            value = getattr(wanted, key)
            if value is not None and actual.get(key) != value:
                failures.append(
                    Failure(f"update {wanted.alias} {key} = {value!r}", f"it is {actual.get(key)!r}")
                )
    for build in expect.world.builds:
        tags = seen.build_tags.get(build.nvr, set())
        if build.tags is not None and tags != set(build.tags):
            failures.append(
                Failure(f"build {build.nvr} tags = {sorted(build.tags)}", f"tags are {sorted(tags)}")
            )
        if set(build.not_tags) & tags:
            failures.append(
                Failure(f"build {build.nvr} not in {sorted(build.not_tags)}", f"tags are {sorted(tags)}")
            )
    return failures


def is_relevant(entry: dict[str, Any]) -> bool:
    """A request that may explain a failure: a write, an error or a fired fault."""
    return entry["method"] != "GET" or entry["status"] >= 400 or bool(entry.get("fault"))


def relevant_journal(journal: list[dict[str, Any]], limit: int = 12) -> list[str]:
    """The requests that explain a failure, as lines: writes, errors and fired faults."""
    lines = []
    for entry in journal:
        if is_relevant(entry):
            call = f" {','.join(entry['call'])}" if entry.get("call") else ""
            fault = f" [fault {entry['fault']}]" if entry.get("fault") else ""
            lines.append(
                f"#{entry['seq']} {entry['service']} {entry['method']} {entry['path']}{call} -> "
                f"{entry['status']}{fault}"
            )
    return lines[-limit:]
