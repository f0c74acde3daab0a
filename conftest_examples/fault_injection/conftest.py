"""Fault injection: the `stubtags` fixture, plus botocore's back-off made instant.

`backend.fail(...)` queues an error that botocore retries exactly as one from AWS,
back-off included: real sleeps of up to seconds per attempt. `no_backoff` records
the delays instead of sleeping them, so a test can also assert that back-off happened.
"""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    delays: list[float] = []
    monkeypatch.setattr(time, "sleep", delays.append)
    return delays
