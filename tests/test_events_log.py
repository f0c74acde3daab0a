"""The call record's buffer (`stubtags.events.EventLog`) on its own: writers append
without a lock, so these check what the lock used to guarantee, under threads that
write, read, resize and clear at once, and what the record captures at call time.
"""

from __future__ import annotations

import sys
import threading
from types import SimpleNamespace
from typing import Any

import boto3

from stubtags import mock_tags, pipeline
from stubtags.events import EventLog

REGION = "us-east-1"


def _call(n: int, writer: int = 0, key: str | None = "AKIATEST") -> pipeline.Call:
    signer = SimpleNamespace(_credentials=SimpleNamespace(access_key=key))
    return pipeline.Call(
        "ListSecrets", {"MaxResults": n, "NextToken": str(writer)}, REGION, f"{writer}-{n}", signer
    )


def _order(log: EventLog) -> list[tuple[str, int]]:
    return [
        (e["requestParameters"]["nextToken"], e["requestParameters"]["maxResults"]) for e in log
    ]


def test_writers_past_the_buffer_let_the_oldest_go_exactly() -> None:
    log = EventLog(max_events=3)
    for n in range(500):  # well past the slack a writer leaves before letting go
        log.record("123456789012", _call(n), None, None)
        assert len(log) == min(n + 1, 3)
    assert log.dropped == 497
    assert [key for _, key in _order(log)] == [497, 498, 499]
    log.max_events = 0
    assert (len(log), log.dropped, list(log)) == (0, 500, [])
    log.record("123456789012", _call(500), None, None)
    assert (len(log), log.dropped) == (0, 501)


def test_concurrent_writers_readers_and_clears_lose_nothing() -> None:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch every few bytecodes, not every 5 ms
    try:
        _write_read_and_clear_at_once()
    finally:
        sys.setswitchinterval(interval)


def _write_read_and_clear_at_once() -> None:
    log = EventLog(max_events=200)
    writers, calls = 4, 600
    start = threading.Barrier(writers + 1)
    seen: list[list[dict[str, Any]]] = []

    def write(writer: int) -> None:
        start.wait()
        account = "111122223333" if writer == 0 else "123456789012"
        for n in range(calls):
            log.record(account, _call(n, writer), None, None)

    def read() -> None:
        start.wait()
        for _ in range(200):
            seen.append(list(log))
            assert len(log) <= 200
            log.clear("000000000000")  # forgets nothing, but rewrites the list meanwhile

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    threads.append(threading.Thread(target=read))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(log) + log.dropped == writers * calls
    kept = _order(log)
    assert len(kept) == 200 and len(set(kept)) == 200
    for writer in range(writers):  # each writer's calls: in their order, the newest kept
        mine = [n for w, n in kept if w == str(writer)]
        assert mine == list(range(calls - len(mine), calls))
    # Built once: a record read before is the very dict read now, where it is still kept.
    now = {id(event) for event in log}
    for snapshot in seen:
        for event in snapshot:
            key = (
                event["requestParameters"]["nextToken"],
                event["requestParameters"]["maxResults"],
            )
            if key in kept:
                assert id(event) in now
    log.clear("111122223333")  # one account's calls go; dropped stays as it was
    dropped = log.dropped
    assert [w for w, _ in _order(log)] == [w for w, _ in kept if w != "0"]
    assert log.dropped == dropped
    log.clear()
    assert (len(log), log.dropped) == (0, 0)


def test_the_access_key_is_the_one_the_call_was_signed_with() -> None:
    log = EventLog()
    call = _call(1)
    log.record("123456789012", call, None, None)
    call.signer._credentials.access_key = "AKIALATER"  # refreshed credentials, say
    log.record("123456789012", call, None, None)
    call.signer._credentials = None  # an unsigned client
    log.record("123456789012", call, None, None)
    call.signer = None  # a call made with no signer at all
    log.record("123456789012", call, None, None)
    keys = [e["userIdentity"].get("accessKeyId") for e in log]
    assert keys == ["AKIATEST", "AKIALATER", None, None]


def test_an_unsigned_client_records_no_access_key() -> None:
    from botocore import UNSIGNED
    from botocore.config import Config

    with mock_tags() as backend:
        client = boto3.client(
            "secretsmanager", region_name=REGION, config=Config(signature_version=UNSIGNED)
        )
        client.list_secrets()
        assert "accessKeyId" not in backend.events[0]["userIdentity"]


class _WriteInTheWindow(list[Any]):
    """The buffer of `log`, which records one more call while the lock holder copies
    it: a writer in the window the lock no longer closes, every time, not by chance."""

    def __init__(self, log: EventLog) -> None:
        super().__init__()
        self.log = log
        self.armed = False

    def copy(self) -> list[Any]:
        snapshot = list(self)
        if self.armed:
            self.armed = False
            self.log.record("999999999999", _call(1000), None, None)
        return snapshot


def _racing(max_events: int) -> tuple[EventLog, _WriteInTheWindow]:
    log = EventLog(max_events=max_events)
    buffer = _WriteInTheWindow(log)
    log._raw = buffer
    return log, buffer


def test_a_call_recorded_while_the_oldest_go_is_kept() -> None:
    log, buffer = _racing(3)
    for n in range(5):
        log.record("123456789012", _call(n), None, None)
    buffer.armed = True
    assert log.dropped == 2  # the call in the window came after the copy was trimmed
    assert [key for _, key in _order(log)] == [3, 4, 1000] and log.dropped == 3


def test_a_call_recorded_while_an_account_is_cleared_is_kept() -> None:
    log, buffer = _racing(10)
    for n in range(5):
        log.record("111111111111" if n % 2 else "123456789012", _call(n), None, None)
    buffer.armed = True
    log.clear("111111111111")
    assert [key for _, key in _order(log)] == [0, 2, 4, 1000]


def test_growing_the_buffer_brings_back_nothing_it_let_go() -> None:
    log = EventLog(max_events=3)
    for n in range(5):  # within the slack: still in the list, already let go
        log.record("123456789012", _call(n), None, None)
    log.max_events = 10
    assert ([key for _, key in _order(log)], log.dropped, len(log)) == ([2, 3, 4], 2, 3)


def test_a_nested_mock_with_a_larger_buffer_brings_back_nothing() -> None:
    """Through boto3: a nested mock resizes the shared record, which must not bring back
    calls the outer mock's smaller buffer had let go."""
    with mock_tags(max_events=2) as outer:
        client = boto3.client("secretsmanager", region_name=REGION)
        for _ in range(5):
            client.list_secrets()
        with mock_tags(max_events=100) as inner:
            assert (len(inner.events), inner.events.dropped) == (2, 3)
        assert (len(outer.events), outer.events.dropped) == (2, 3)
