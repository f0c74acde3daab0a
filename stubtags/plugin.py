"""pytest plugin: the `stubtags` fixture and the `@pytest.mark.stubtags` marker.

Registered through the `pytest11` entry point, so installing stubtags is enough;
it costs nothing to tests that don't ask for it. Importing it imports neither
botocore nor the rest of stubtags, it adds no autouse fixture: a marked test gets
the fixture at collection time, and the leak check is two hooks that only look at
stubtags' activation stack once something has imported it.

The leak check: a test that starts a mock and leaves it running gets an error
naming the line that started it, and the mock is stopped, so it cannot leak its
state into the tests that follow.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from stubtags.backend import Backend

MARKER = "stubtags"
OPTIONS = ("account_id", "region", "max_events")
_BEFORE = pytest.StashKey[tuple[Any, ...]]()
# Activations started by module-, class- or session-scoped fixtures: they outlive the
# test that first set them up, by design, so they are no leak of that test.
_WIDER_SCOPE: weakref.WeakSet[Any] = weakref.WeakSet()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "stubtags(account_id='123456789012', region=None, max_events=None): run the test with "
        "Secrets Manager mocked in memory by stubtags (the same as asking for the `stubtags` "
        "fixture).",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked `stubtags` (itself, or its class or module) uses the fixture."""
    for item in items:
        fixturenames = getattr(item, "fixturenames", None)
        marked = item.get_closest_marker(MARKER) is not None
        if marked and fixturenames is not None and MARKER not in fixturenames:
            fixturenames.insert(0, MARKER)


def _running() -> tuple[Any, ...]:
    lifecycle = sys.modules.get("stubtags.lifecycle")
    return lifecycle.active_stack() if lifecycle is not None else ()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_BEFORE] = _running()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]) -> Generator[None, Any, Any]:
    if fixturedef.scope == "function":
        return (yield)
    before = _running()
    try:
        return (yield)
    finally:
        _WIDER_SCOPE.update(a for a in _running() if a not in before)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    result = yield
    before = item.stash.get(_BEFORE, None)
    lifecycle = sys.modules.get("stubtags.lifecycle")
    if before is None or lifecycle is None:
        return result
    keep = before + tuple(a for a in lifecycle.active_stack() if a in _WIDER_SCOPE)
    leaked = lifecycle.stop_started_after(keep)
    if leaked:
        where = ", ".join(activation.origin for activation in leaked)
        pytest.fail(
            f"stubtags: mock_tags() was started in this test and never stopped (started at "
            f"{where}). stubtags has stopped it so it cannot leak into the next test. Use "
            f"`with mock_tags():`, the decorator, or call .stop() in a `finally:` block.",
            pytrace=False,
        )
    return result


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """The options of every `stubtags` marker on the test, its class and its module.

    The closest marker wins per option: a test's own marker overrides its class's.
    """
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):
        if marker.args:
            raise ValueError(
                f"@pytest.mark.stubtags takes keyword options only ({', '.join(OPTIONS)}); "
                f"got positional {marker.args!r} on {node.nodeid}"
            )
        options.update(marker.kwargs)
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ValueError(
            f"@pytest.mark.stubtags got unknown option(s) {', '.join(unknown)} on {node.nodeid}; "
            f"valid options: {', '.join(OPTIONS)}"
        )
    return options


@pytest.fixture
def stubtags(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The test runs with Secrets Manager mocked; the value is the backend handle.

    Options come from `@pytest.mark.stubtags(account_id=..., region=...)` markers on
    the test, its class or its module.
    """
    from stubtags.lifecycle import mock_tags

    try:
        mock = mock_tags(**marker_options(request.node))
    except (TypeError, ValueError) as error:
        pytest.fail(f"stubtags: {error}", pytrace=False)
    with mock as backend:
        yield backend
