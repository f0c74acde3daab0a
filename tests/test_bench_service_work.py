"""The benchmark's measure of the service's own work, and the restated per-call verdict.

`service_work.service_repeat` must count the time spent in `Backend.run` and nothing
else, less the clock's own reading; the verdict must fail when any one of its four
limits is passed. A fake clock makes the first exact: every reading advances it by
one, and `Backend.run` by a known amount.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stubtags import Backend, pipeline, responses
from tests.bench import call_verdicts, calls, service_work
from tests.bench.common import QUICK, make_client

RUN_TICKS = 1000  # what the stand-in service work advances the fake clock by
OUTSIDE_TICKS = 100_000  # what each stage around it does: never the service's work


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A clock that moves by one per reading, and by RUN_TICKS in each `Backend.run`."""
    now = [0]

    def clock() -> int:
        now[0] += 1
        return now[0]

    real_run = Backend.run

    def run(self: Backend, *args: Any, **kwargs: Any) -> Any:
        now[0] += RUN_TICKS
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(service_work, "_clock", clock)
    monkeypatch.setattr(Backend, "run", run)
    # The stages around `Backend.run` move the clock too: a reading that took them in
    # (a clock around `operate`, say) would count them as the service's work.
    for module, stage in ((pipeline, "decode"), (pipeline, "record"), (responses, "success")):
        monkeypatch.setattr(module, stage, advancing(getattr(module, stage), now))
    return now


def advancing(stage: Callable[..., Any], now: list[int]) -> Callable[..., Any]:
    """`stage`, moving the fake clock by OUTSIDE_TICKS each time it runs."""

    def moved(*args: Any, **kwargs: Any) -> Any:
        now[0] += OUTSIDE_TICKS
        return stage(*args, **kwargs)

    return moved


def case(label: str) -> calls.Case:
    return next(c for c in calls.CASES if c.label.startswith(label))


@pytest.mark.parametrize("label", ["tag_resource", "create_secret", "describe_secret"])
def test_service_repeat_counts_backend_run_alone(ticks: list[int], label: str) -> None:
    overhead = service_work.clock_overhead(samples=11)

    per_call = service_work.service_repeat(make_client(), case(label), 4, 2, overhead)

    assert overhead == 1  # two readings around nothing: one tick apart
    assert per_call == RUN_TICKS  # each call's reading is RUN_TICKS + 1, less the 1


def test_service_repeat_fails_on_a_refused_call(ticks: list[int]) -> None:
    """A case the service refuses is a broken case, not a figure: its error propagates."""
    missing = calls.Case(
        "describe_missing", lambda i: ("describe_secret", {"SecretId": "gone"}), calls.nothing
    )

    with pytest.raises(Exception, match="ResourceNotFoundException"):
        service_work.service_repeat(make_client(), missing, 2, 0, 1)


def test_service_repeat_leaves_the_backend_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Backend] = []
    real_run = Backend.run

    def run(self: Backend, *args: Any, **kwargs: Any) -> Any:
        seen.append(self)
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(Backend, "run", run)
    service_work.service_repeat(make_client(), case("tag_resource"), 2, 2, 0)

    backend = seen[-1]
    assert "run" not in getattr(backend, "__dict__", {})  # the clock came off
    assert service_work.service_repeat(make_client(), case("tag_resource"), 2, 2, 1e12) == 0.0


def wire_types(value: Any) -> bool:
    """Only what a JSON body holds: the reply stage makes datetimes and bytes."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and wire_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(wire_types(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_the_service_work_hands_back_wire_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `Backend.run` returns is the reply in wire form, for every case timed: the
    conversion to what botocore's parser makes stays in the reply stage, so the line
    between the service's work and the machinery is where the architecture draws it."""
    replies: list[bool] = []  # whether each was in wire form when run returned it
    real_run = Backend.run

    def run(self: Backend, *args: Any, **kwargs: Any) -> Any:
        reply = real_run(self, *args, **kwargs)
        replies.append(wire_types(reply))  # now: the reply stage converts it in place
        return reply

    monkeypatch.setattr(Backend, "run", run)
    client = make_client()
    for timed_case in calls.CASES:
        replies.clear()
        calls.stubtags_replies(client, timed_case)
        assert replies, timed_case.label
        assert all(replies), timed_case.label


def costs(stubber: float, stubtags: float, service: float) -> call_verdicts.Costs:
    """One operation's best repeats, given in µs (the benchmark keeps nanoseconds)."""
    return call_verdicts.Costs(
        stubber=[stubber * 1e3], stubtags=[stubtags * 1e3], service=[service * 1e3]
    )


def test_machinery_is_the_cost_less_the_service_work() -> None:
    c = call_verdicts.Costs(stubber=[100e3, 90e3], stubtags=[130e3, 120e3], service=[9e3, 12e3])

    assert c.service_work() == 9e3
    assert c.machinery() == 111e3
    assert c.machinery_ratio() == pytest.approx(111 / 90)


def test_machinery_verdict_passes_within_every_limit() -> None:
    ops = {"a": costs(100, 120, 10), "b": costs(100, 110, 5), "c": costs(100, 112, 0)}

    verdict = call_verdicts.machinery_verdict(ops)

    assert verdict.passed is True
    assert "worst c 1.12 x" in verdict.detail
    assert "service work up to 10.0 us (a)" in verdict.detail


def test_machinery_verdict_passes_up_to_each_limit() -> None:
    """Each limit reached but not passed: a tightened limit fails this test."""
    ops = {
        "a": costs(100, 124, 10),  # full cost 1.24x, machinery 1.14x
        "b": costs(100, 115, 5),  # the full cost's median: 1.15x
        "c": costs(100, 110, 0),  # the machinery's median: 1.10x
    }

    assert call_verdicts.machinery_verdict(ops).passed is True


@pytest.mark.parametrize(
    ("ops", "over"),
    [
        # one operation's machinery over 1.15x
        (
            {"a": costs(100, 116, 0), "b": costs(100, 105, 0), "c": costs(100, 105, 0)},
            "machinery of a 1.16x",
        ),
        # the machinery's median over 1.10x, each within 1.15x
        ({"a": costs(100, 112, 0), "b": costs(100, 111, 0), "c": costs(100, 105, 0)}, "none"),
        # the full cost's median over 1.15x, the machinery within
        ({"a": costs(100, 117, 10), "b": costs(100, 116, 10), "c": costs(100, 105, 0)}, "none"),
        # one operation's full cost over 1.25x, its machinery within
        ({"a": costs(100, 126, 20), "b": costs(100, 105, 0), "c": costs(100, 105, 0)}, "a 1.26x"),
    ],
)
def test_machinery_verdict_fails_on_each_limit(
    ops: dict[str, call_verdicts.Costs], over: str
) -> None:
    verdict = call_verdicts.machinery_verdict(ops)

    assert verdict.passed is False
    assert f"over: {over}" in verdict.detail


@pytest.mark.parametrize(
    ("create", "restated"),
    [
        (costs(100, 118, 6), True),  # over the stated line, its machinery within
        (costs(100, 118, 1), False),  # its machinery over the line too
    ],
)
def test_the_call_record_verdicts_follow_the_stated_and_the_restated_target(
    create: call_verdicts.Costs, restated: bool
) -> None:
    """Issue #11 holds recorded calls to the per-call target: judged both ways."""
    page = call_verdicts.Costs(stubber=[100e3], stubtags=[200e3], service=[80e3], copy=[100e3])
    ops = {"tag": costs(100, 110, 3), "describe": costs(100, 108, 2), "create": create}
    results = {**ops, call_verdicts.PAGE_LABEL: page}

    by_target = {v.target: v for v in call_verdicts.verdicts(results, moto_installed=False)}

    assert by_target["call record on"].passed is False
    assert by_target["call record on (restated)"].passed is restated
    assert (
        by_target["call record on (restated)"].passed
        is by_target["every operation's machinery vs Stubber (restated)"].passed
    )


def test_a_round_files_each_engine_figure_under_its_own_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`Bench.round` hands each engine's figure, unchanged, to the verdicts' `Costs`."""
    figures = {
        "stubber_repeat": 1.0,
        "stubber_as_used_repeat": 2.0,
        "stubtags_repeat": 3.0,
        "service_repeat": 4.0,
        "moto_repeat": 5.0,
        "copy_repeat": 6.0,
    }
    for name, figure in figures.items():
        monkeypatch.setattr(calls, name, lambda *args, figure=figure, **kwargs: figure)
    bench = calls.Bench(None, case("list_secrets"), QUICK, mock_aws=lambda: None)
    bench.costs.moto = []

    bench.round()

    c = bench.costs
    assert (c.stubber, c.stubber_as_used, c.stubtags) == ([1.0], [2.0], [3.0])
    assert (c.service, c.moto, c.copy) == ([4.0], [5.0], [6.0])
