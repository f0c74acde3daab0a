"""pytest plugin: the `stubtags` fixture and the `@pytest.mark.stubtags` marker.

Registered through the `pytest11` entry point, so installing stubtags is enough.
After each test it also stops any mock the test started and left running, and
reports it as an error of that test, so one forgotten `start()` cannot leak a
mock (and its state) into the tests that follow.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stubtags.backend import Backend
from stubtags.lifecycle import active_stack, mock_tags, stop_started_after


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "stubtags(account_id='123456789012'): run the test with Secrets Manager mocked "
        "in memory by stubtags (the same as asking for the `stubtags` fixture).",
    )


@pytest.fixture(autouse=True)
def _stubtags_leak_check() -> Iterator[None]:
    """Set up before, and torn down after, every other stubtags fixture of the test."""
    before = active_stack()
    yield
    leaked = stop_started_after(before)
    if leaked:
        where = ", ".join(activation.origin for activation in leaked)
        pytest.fail(
            f"stubtags: mock_tags() was started in this test and never stopped (started at "
            f"{where}). stubtags has stopped it so it cannot leak into the next test. Use "
            f"`with mock_tags():`, the decorator, or call .stop() in a `finally:` block.",
            pytrace=False,
        )


@pytest.fixture
def stubtags(request: pytest.FixtureRequest, _stubtags_leak_check: None) -> Iterator[Backend]:
    """The test runs with Secrets Manager mocked; the value is the backend handle.

    Options come from a `@pytest.mark.stubtags(account_id=...)` marker if present.
    """
    marker = request.node.get_closest_marker("stubtags")
    options = dict(marker.kwargs) if marker is not None else {}
    with mock_tags(**options) as backend:
        yield backend


@pytest.fixture(autouse=True)
def _stubtags_marker(request: pytest.FixtureRequest, _stubtags_leak_check: None) -> None:
    """`@pytest.mark.stubtags` activates the mock for a test that doesn't ask for it."""
    if request.node.get_closest_marker("stubtags") is not None:
        request.getfixturevalue("stubtags")
