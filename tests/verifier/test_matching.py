"""Matching expectations against observations: pure functions, explained failures."""

from __future__ import annotations

from stagingqa.verifier.matching import Observation, check_expectations, relevant_journal
from stagingqa.verifier.usecase import Expect


def result(testcase="dist.depcheck", outcome="PASSED", item="U1", arch="x86_64", note="ok", **data):
    return {
        "testcase": testcase,
        "outcome": outcome,
        "note": note,
        "ref_url": None,
        "data": {"item": [item], "type": ["bodhi_update"], "arch": [arch], **data},
    }


def comment(update="U1", user="autoqa", text="AutoQA: depcheck test PASSED on x86_64.", karma=0):
    return {"update": update, "user": user, "text": text, "karma": karma}


def expect(**fields):
    return Expect.model_validate(fields)


def test_a_match_passes_and_counts_are_exact():
    seen = Observation([result(), result(arch="aarch64")], [comment()])
    assert check_expectations(expect(results=[{"testcase": "dist.depcheck", "item": "U1"}]), seen) == []
    [failure] = check_expectations(expect(results=[{"testcase": "dist.depcheck", "count": 1}]), seen)
    assert failure.detail == "expected exactly 1, found 2"


def test_the_closest_candidate_says_what_differs():
    seen = Observation(
        [result(outcome="FAILED", note="1 unsatisfied requires"), result(testcase="dist.rpmlint")], []
    )
    [failure] = check_expectations(
        expect(results=[{"testcase": "dist.depcheck", "outcome": "passed", "note": "all requires"}]), seen
    )
    assert failure.detail == "no match (2 results posted)"
    assert failure.candidates[0].startswith("dist.depcheck FAILED")
    assert "outcome FAILED, expected PASSED" in failure.candidates[0]
    assert "note '1 unsatisfied requires' does not match /all requires/" in failure.candidates[0]


def test_data_patterns_and_arch_sets():
    seen = Observation([result(details=["foo requires libbar.so.2: nothing provides it"])], [])
    assert (
        check_expectations(
            expect(results=[{"data": {"details": "libbar\\.so\\.2"}, "arch": ["x86_64"]}]), seen
        )
        == []
    )
    [failure] = check_expectations(expect(results=[{"data": {"details": "libqux"}}]), seen)
    assert "has nothing matching ['libqux']" in failure.candidates[0]


def test_absent_budgets_and_world():
    seen = Observation(
        [result(), result()],
        [comment(), comment(text="again")],
        updates={"U1": {"status": "testing", "request": None, "karma": 1}},
        build_tags={"b-1-1": {"f41"}},
        journal=[
            {
                "seq": 1,
                "service": "resultsdb",
                "method": "POST",
                "path": "/results",
                "status": 503,
                "fault": 1,
            }
        ]
        * 3,
    )
    failures = check_expectations(
        expect(
            absent={"comments": [{"text": "again"}]},
            budgets={"comments_per_update": 1, "unique_results": True, "requests": {"resultsdb": 2}},
            world={
                "updates": [{"alias": "U1", "karma": 0}],
                "builds": [{"nvr": "b-1-1", "tags": ["f41-updates"]}],
            },
        ),
        seen,
    )
    expectations = [f.expectation for f in failures]
    assert expectations == [
        "no comments: text='again'",
        "at most 1 comments per update",
        "no duplicate results",
        "at most 2 requests to resultsdb",
        "update U1 karma = 0",
        "build b-1-1 tags = ['f41-updates']",
    ]
    assert relevant_journal(seen.journal)[0] == "#1 resultsdb POST /results -> 503 [fault 1]"


def test_signatures_ignore_urls_and_order_and_comparisons_name_the_difference():
    from stagingqa.verifier.session import RunReport, compare_runs
    from stagingqa.verifier.verdict import Verdict, signature

    one = Observation([result(), result(arch="aarch64")], [comment(text="see http://a/1")])
    two = Observation([result(arch="aarch64"), result()], [comment(text="see http://b/99")])
    assert signature(one.results, one.comments) == signature(two.results, two.comments)
    bad = Observation([result(outcome="FAILED"), result(arch="aarch64")], [comment(text="see http://c/")])

    def report(seen):
        posted = {"results": tuple(seen.results), "comments": tuple(seen.comments)}
        return RunReport("r", "e", "abc", (Verdict("uc", "uc.yaml", "passed", 0.1, **posted),), 1)

    assert compare_runs(report(one), report(two), "old").exit_code == 0
    [difference] = compare_runs(report(one), report(bad), "old").differences
    assert difference.startswith("uc: pristine only [('result', 'dist.depcheck', 'PASSED', 'U1', 'x86_64'")
    assert "upgraded only [" in difference and "'FAILED'" in difference


def test_the_closest_candidates_are_the_named_item_before_sibling_subchecks():
    # the use case names testcase and item: the result for that testcase and item comes first, even
    # when a sibling subcheck of the item differs in fewer fields (here only in its testcase)
    seen = Observation(
        [
            result(testcase="dist.depcheck.aarch64", item="U1", outcome="PASSED", note="fine"),
            result(testcase="dist.depcheck", item="U1", outcome="FAILED", note="unsatisfied"),
        ],
        [],
    )
    wanted = {"testcase": "dist.depcheck", "item": "U1", "outcome": "passed", "note": "fine"}
    [failure] = check_expectations(expect(results=[wanted]), seen)
    assert failure.candidates[0].startswith("dist.depcheck FAILED item=['U1']")
    assert failure.candidates[1].startswith("dist.depcheck.aarch64 PASSED")


def test_a_failed_steps_output_is_shown_once_as_output():
    from stagingqa.verifier.reports import explanation
    from stagingqa.verifier.verdict import Failure, Status, StepOutcome, Verdict

    output = "\n".join(f"line {n}" for n in range(20))
    verdict = Verdict(
        "uc",
        "uc.yaml",
        Status.FAILED,
        1.0,
        failures=(
            Failure("step 1 (run) exits 0", "it exited 3", step=0),
            Failure("step 1 (run) output matches /ok/", "it does not", step=0),
            Failure("results: testcase='dist.x'", "no match (no results posted at all)"),
        ),
        steps=(StepOutcome("run", 3, 0.5, output),),
    )
    rows = explanation(verdict)
    assert rows.count("  output of step 1 (last 8 lines):") == 1
    assert "    line 19" in rows and "    line 11" not in rows
    assert not any("closest" in row and "line" in row for row in rows)
