"""Re-running a notebook cell that calls start(): the first mock is not orphaned silently.

A cell is one code object run again: its start() call has the same file name and line
both times. The second start() warns, naming where and `stubtags.stop_all()`, which
stops every running mock.
"""

from __future__ import annotations

import warnings
from typing import Any

import boto3
import pytest

import stubtags
from stubtags import NotActiveError, RestartWarning, active_backend, stop_all
from stubtags.lifecycle import active_stack

CELL = compile(
    "from stubtags import mock_tags\nmock = mock_tags()\nbackend = mock.start()\n",
    "<ipython-input-7-0123456789ab>",
    "exec",
)


def run_cell(namespace: dict[str, Any]) -> None:
    exec(CELL, namespace)


def test_running_the_same_cell_twice_warns_and_stop_all_recovers() -> None:
    namespace: dict[str, Any] = {}
    try:
        run_cell(namespace)
        first = namespace["backend"]
        with pytest.warns(RestartWarning) as caught:
            run_cell(namespace)  # same code object, same line
        message = str(caught[0].message)
        assert "<ipython-input-7-0123456789ab>:3" in message
        assert "stubtags.stop_all()" in message
        assert len(active_stack()) == 2

        namespace["mock"].stop()  # the user's next cell: stops only the second mock
        assert active_backend() is first  # calls are still mocked, by the orphan
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="still-mocked")
        assert first.names(region="us-east-1") == ["still-mocked"]
    finally:
        stopped = stop_all()
    assert stopped == 1
    assert active_stack() == ()
    with pytest.raises(NotActiveError):
        active_backend()


def test_stop_all_stops_every_running_mock() -> None:
    outer = stubtags.mock_tags()
    outer.start()
    other = stubtags.mock_tags(account_id="111122223333")
    other.start()
    stubtags.mock_tags().start()
    assert stop_all() == 3
    assert not outer.active and not other.active
    assert stop_all() == 0


def test_different_lines_and_with_blocks_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = stubtags.mock_tags()
        second = stubtags.mock_tags()
        first.start()
        second.start()
        with stubtags.mock_tags(), stubtags.mock_tags():
            pass
        second.stop()
        first.stop()
        for _ in range(2):  # one line, but each mock stopped before the next start
            mock = stubtags.mock_tags()
            mock.start()
            mock.stop()


def test_a_with_block_whose_mock_stop_all_stopped_ends_quietly() -> None:
    mock = stubtags.mock_tags()
    with mock:
        assert stop_all() == 1
    assert active_stack() == ()
    # The same mock again, in a block inside one stop_all() ended: the inner block
    # stops its own activation; the outer one has nothing left to stop.
    with mock:
        stop_all()
        with mock as inner:
            assert active_backend() is inner
        assert active_stack() == ()
    with mock:  # and the mock works as before
        assert mock.active
    assert not mock.active


def test_a_decorated_function_that_calls_stop_all_returns_its_result() -> None:
    @stubtags.mock_tags
    def clean_up() -> str:
        stop_all()
        return "done"

    assert clean_up() == "done"
    assert active_stack() == ()


def test_stop_after_stop_all_still_says_the_mock_is_not_started() -> None:
    explicit = stubtags.mock_tags()
    explicit.start()
    stop_all()
    with pytest.raises(NotActiveError, match="not started"):
        explicit.stop()
    mock = stubtags.mock_tags()
    # A block's mock stopped by hand: its end says so.
    with pytest.raises(NotActiveError), mock:
        mock.stop()
