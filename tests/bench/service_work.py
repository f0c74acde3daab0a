"""What the service's own work costs inside a call: `Backend.run`, timed where it runs.

The Stubber floor does no service work: it hands back a reply made in advance. An
emulator must also do what the service does (check the name, make the ARN and the
version, keep every ListSecrets order, render the reply in wire form): that work is
the product. To tell it from the machinery around it (interception, reading the
request, the call record, the sensitive-data check, the reply), this pass makes the
same calls as `calls.stubtags_repeat` with a clock around each `Backend.run` (the
operation, the store's lock and the account-and-region lookup), less what the clock
reads around a stand-in that does nothing. Timed where it runs, the work is met as
cold as in a real call: a warm loop over the backend alone reads less (for
CreateSecret, 4.1 against 5.4 us on the development machine).
"""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING, Any

from stubtags import mock_tags
from tests.bench.common import timed

if TYPE_CHECKING:
    from tests.bench.calls import Case

_clock = time.perf_counter_ns


def clock_overhead(samples: int = 2001) -> float:
    """Nanoseconds the clock reads around a do-nothing call shaped like `Backend.run`'s
    (five arguments); the median: subtracted from every call's reading."""
    readings = []

    def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    for _ in range(samples):
        start = _clock()
        nothing(1, 2, 3, None, None)
        readings.append(_clock() - start)
    return statistics.median(readings)


def service_repeat(client: Any, case: Case, calls: int, warmup: int, overhead: float) -> float:
    """Per-call nanoseconds spent in `Backend.run` over `calls` calls of `case`, less
    the clock's `overhead` (`clock_overhead`); never below zero."""
    from tests.bench.calls import calls_of  # calls imports this module

    with mock_tags() as backend:
        case.setup(client)
        timed(calls_of(client, case, range(calls, calls + warmup)))  # hooks the client
        run = backend.run
        spent = [0]

        def clocked(*args: Any, **kwargs: Any) -> Any:
            start = _clock()
            try:
                return run(*args, **kwargs)
            finally:
                spent[0] += _clock() - start

        backend.run = clocked  # type: ignore[method-assign]
        try:
            timed(calls_of(client, case, range(calls)))
        finally:
            del backend.run
    return max(0.0, spent[0] / calls - overhead)
