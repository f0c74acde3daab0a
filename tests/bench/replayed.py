"""stubtags with the service's own work taken out: what its machinery alone costs.

The Stubber floor does no service work: it hands back a reply made in advance. An
emulator must also do what the service does (check the name, make the ARN and the
version, keep every ListSecrets order, ...): that work is the product, and no engine
that keeps state can do it in no time. To tell it from the cost of the machinery
around it (interception, reading the request, the call record, the reply), this
engine times the same calls with `Backend.run` handing back, for each call, a copy
of what the real run returned for it, made before the timed loop. Everything else
runs as in `calls.stubtags_repeat`: the client, the mock, every stage of the
pipeline and the sensitive-data check.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from stubtags import mock_tags
from tests.bench.common import timed


def replayed_repeat(client: Any, case: Any, calls: int, warmup: int) -> float:
    """Per-call nanoseconds of `case` with the service's work replayed (see above).

    The calls are made once for real, each reply copied as `Backend.run` returns it
    (before the reply stage converts it in place); the timed pass then gets those
    copies in order. An even number of calls leaves the state as it found it
    (`calls.Case`), so the replayed pass sees the state the real one left.
    """
    from tests.bench.calls import calls_of  # calls imports this module

    with mock_tags() as backend:
        case.setup(client)
        timed(calls_of(client, case, range(calls, calls + warmup)))  # hooks the client
        numbered = calls_of(client, case, range(calls))
        run = backend.run
        made: list[Any] = []

        def keep(*args: Any, **kwargs: Any) -> Any:
            reply = run(*args, **kwargs)
            made.append(copy.deepcopy(reply))
            return reply

        backend.run = keep  # type: ignore[method-assign]
        timed(numbered)
        if len(made) != calls:
            raise RuntimeError(f"{case.label}: {len(made)} runs for {calls} calls")
        replies: Iterator[Any] = iter(made)

        def replay(*args: Any, **kwargs: Any) -> Any:
            return next(replies)

        backend.run = replay  # type: ignore[method-assign]
        try:
            return timed(numbered) / calls
        finally:
            del backend.run
