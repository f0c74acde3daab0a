"""The benchmark's replayed engine and the restated per-call verdict it feeds.

The engine must time the same calls with the service's work taken out and nothing
else: the replayed pass gets, call for call, the replies the real pass got, and
changes no state. The verdict must fail when one operation's machinery, or the
median of the full costs, is over the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from stubtags import Backend
from tests.bench import calls, replayed
from tests.bench.common import Call, make_client


def passes_of(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """Each timed pass's replies, without their ResponseMetadata (new ids each call)."""
    passes: list[list[Any]] = []

    def timed(numbered: Sequence[Call]) -> int:
        replies = [method(**kwargs) for method, kwargs in numbered]
        for reply in replies:
            reply.pop("ResponseMetadata")
        passes.append(replies)
        return 1

    monkeypatch.setattr(replayed, "timed", timed)
    return passes


@pytest.mark.parametrize("label", ["describe_secret", "create_secret", "delete_secret"])
def test_replayed_pass_gets_the_real_passes_replies_in_order(
    monkeypatch: pytest.MonkeyPatch, label: str
) -> None:
    case = next(c for c in calls.CASES if c.label.startswith(label))
    passes = passes_of(monkeypatch)

    replayed.replayed_repeat(make_client(), case, 4, 2)

    _warmup, real, replay = passes
    assert len(real) == 4
    assert replay == real
    if label == "create_secret":  # a different secret each call: replies in order
        assert [reply["Name"] for reply in replay] == [f"bench-new-{i}" for i in range(4)]


def test_replayed_pass_runs_no_operation(monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(c for c in calls.CASES if c.label == "create_secret")
    runs: list[int] = [0]
    real_run = Backend.run

    def counted(self: Backend, *args: Any, **kwargs: Any) -> Any:
        runs[0] += 1
        return real_run(self, *args, **kwargs)

    per_pass: list[int] = []

    def timed(numbered: Sequence[Call]) -> int:
        before = runs[0]
        for method, kwargs in numbered:
            method(**kwargs)
        per_pass.append(runs[0] - before)
        return 1

    monkeypatch.setattr(Backend, "run", counted)
    monkeypatch.setattr(replayed, "timed", timed)
    replayed.replayed_repeat(make_client(), case, 4, 2)

    assert per_pass == [2, 4, 0]  # warm-up, real, replayed


def test_a_call_the_service_refuses_is_not_replayed(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = calls.Case(
        "describe_missing",
        lambda i: ("describe_secret", {"SecretId": "no-such-secret"}),
        calls.nothing,
    )
    passes_of(monkeypatch)

    with pytest.raises(Exception, match="ResourceNotFoundException"):
        replayed.replayed_repeat(make_client(), refused, 2, 2)


def costs(stubber: float, stubtags: float, replay: float) -> calls.Costs:
    """One operation's best repeats, given in µs (the benchmark keeps nanoseconds)."""
    return calls.Costs(stubber=[stubber * 1e3], stubtags=[stubtags * 1e3], replayed=[replay * 1e3])


def test_machinery_verdict_passes_within_the_line() -> None:
    ops = {"a": costs(100, 120, 110), "b": costs(100, 110, 105), "c": costs(100, 112, 115)}

    verdict = calls.machinery_verdict(ops, median_ratio=1.12)

    assert verdict.passed is True
    assert "worst c 1.15 x" in verdict.detail
    assert "service work up to 10.0 us (a)" in verdict.detail


def test_machinery_verdict_fails_on_one_operations_machinery() -> None:
    ops = {"a": costs(100, 120, 110), "b": costs(100, 120, 116)}

    verdict = calls.machinery_verdict(ops, median_ratio=1.12)

    assert verdict.passed is False
    assert "over target: b 1.16x" in verdict.detail


def test_machinery_verdict_fails_on_the_median_of_the_full_costs() -> None:
    ops = {"a": costs(100, 120, 110)}

    verdict = calls.machinery_verdict(ops, median_ratio=1.16)

    assert verdict.passed is False
    assert "full cost at the median 1.16 x" in verdict.detail
