"""The cheap reading of epoch timestamps is taken only where it equals botocore's."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.utils import parse_timestamp
from hypothesis import given
from hypothesis import strategies as st

from stubtags import timestamps
from tests.test_responses_equivalence import assert_same, local_zone

STAMPS = st.one_of(
    st.floats(min_value=-2e9, max_value=4e9, allow_nan=False),
    st.integers(min_value=-(2 * 10**9), max_value=4 * 10**9),
)


def spying(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """botocore's parser, counting the values it is asked for."""
    asked: list[Any] = []

    def botocore(value: Any) -> Any:
        asked.append(value)
        return parse_timestamp(value)

    monkeypatch.setattr(timestamps, "BOTOCORE", botocore)
    return asked


@pytest.mark.parametrize("zone", ["UTC0", "IST-5:30"])
@given(value=STAMPS)
def test_a_zone_without_daylight_saving_is_read_directly(zone: str, value: float) -> None:
    with local_zone(zone), pytest.MonkeyPatch.context() as monkeypatch:
        timestamps.default_parser()  # notices the zone
        asked = spying(monkeypatch)
        assert_same(timestamps.from_epoch(value), parse_timestamp(value))
        assert asked == []


def test_a_zone_with_daylight_saving_is_left_to_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    with local_zone("CET-1CEST,M3.5.0,M10.5.0/3"):
        timestamps.default_parser()
        asked = spying(monkeypatch)
        assert_same(timestamps.from_epoch(1_700_000_000.25), parse_timestamp(1_700_000_000.25))
        assert asked == [1_700_000_000.25]


def test_what_is_not_an_epoch_number_is_left_to_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = spying(monkeypatch)
    text = "2026-11-28T12:00:00Z"
    assert timestamps.from_epoch(text) == parse_timestamp(text)
    assert asked == [text]
