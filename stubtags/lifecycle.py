"""Lifecycle: one `mock_tags` object that is a decorator, a context manager and start/stop.

Activations form one process-wide stack. The outermost activation creates the
state; nested ones share it (each with its own account id), and the innermost
decides which account answers. The stack is process-wide, not per thread or per
task, because the usual test starts a mock in the test's thread and calls AWS from
worker threads (ThreadPoolExecutor) or event-loop tasks, which must all see it.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
import warnings
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from types import TracebackType
from typing import Any, TypeVar, overload

from stubtags.backend import DEFAULT_ACCOUNT, Backend
from stubtags.errors import NotActiveError
from stubtags.events import check_max_events
from stubtags.interception import INTERCEPTOR
from stubtags.records import record_repr

# What mock_tags decorates: a function (of any kind) or class, or a static or class
# method object. Bound, so a type checker refuses `mock_tags("eu-west-1")`, which
# raises at run time (the options are keywords).
T = TypeVar("T", bound="Callable[..., Any] | staticmethod[Any, Any] | classmethod[Any, Any, Any]")
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class Activation:
    """One running mock: an entry of the activation stack.

    Equal only to itself. Written out, not a dataclass: that cost 0.4 ms at every
    import (`stubtags.records`); its repr is a dataclass's.
    """

    def __init__(self, mock: TagsMock, backend: Backend, origin: str, explicit: bool) -> None:
        self.mock = mock
        self.backend = backend
        self.origin = origin  # where the user started it, for the leak report and re-start
        self.explicit = explicit  # started by start(), not by `with` or a decorator

    def __repr__(self) -> str:
        return record_repr(self, ("mock", "backend", "origin", "explicit"))


# The one record of which mocks run, outermost first; the interceptor's `backend` is
# always the last one's (see `Interceptor`). One lock guards both.
_stack: list[Activation] = []
_stack_lock = INTERCEPTOR.lock
_REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]+")


class RestartWarning(UserWarning):
    """start() ran again from the same line while the mock it started there still runs."""


def _caller_origin() -> str:
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def active_stack() -> tuple[Activation, ...]:
    """The running activations, outermost first."""
    with _stack_lock:
        return tuple(_stack)


def active_backend() -> Backend:
    """The backend answering calls now (the innermost activation's)."""
    with _stack_lock:
        if not _stack:
            raise NotActiveError(
                "no stubtags mock is active: start one with `with mock_tags():`, "
                "`@mock_tags`, `mock_tags().start()` or the `stubtags` pytest fixture."
            )
        return _stack[-1].backend


def _check_account_id(account_id: object) -> str:
    if not isinstance(account_id, str):
        raise TypeError(
            f"account_id must be a string of 12 digits, like '123456789012'; got "
            f"{type(account_id).__name__} {account_id!r}"
        )
    if not (len(account_id) == 12 and account_id.isdigit()):
        raise ValueError(f"account_id must be 12 digits, like '123456789012'; got {account_id!r}")
    return account_id


def _check_region(region: object) -> str | None:
    if region is None:
        return None
    if not isinstance(region, str):
        raise TypeError(
            f"region must be a region name string like 'eu-west-1'; got "
            f"{type(region).__name__} {region!r}"
        )
    if not _REGION_RE.fullmatch(region):
        raise ValueError(f"region must be a region name like 'eu-west-1'; got {region!r}")
    return region


class TagsMock:
    """An in-memory Secrets Manager (every supported operation) for botocore, on while started.

    Use it as `with`/`async with` (yields the backend), as a decorator of functions,
    coroutine functions, generators and test classes, or with `start()`/`stop()`.
    `region` is the region the backend handle looks in when a method is given none.
    `max_events` sizes the call record (`backend.events`, default 10,000), which
    nested mocks share: set on a nested mock, it resizes the shared one.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT,
        region: str | None = None,
        max_events: int | None = None,
    ) -> None:
        self.account_id = _check_account_id(account_id)
        self.region = _check_region(region)
        self.max_events = None if max_events is None else check_max_events(max_events)
        self._activations: list[Activation] = []
        # `with` blocks (and decorated calls) whose activation stop_all() or the leak
        # check stopped: their end has nothing left to stop (`_end_block`).
        self._blocks_stopped_outside = 0

    @property
    def backend(self) -> Backend:
        """The backend of this mock's most recent running activation."""
        with _stack_lock:
            if not self._activations:
                raise NotActiveError("this mock_tags() is not started; call start() first.")
            return self._activations[-1].backend

    @property
    def active(self) -> bool:
        return bool(self._activations)

    def start(self) -> Backend:
        """Activate; returns the backend. Outermost activations start empty."""
        return self._start(_caller_origin(), explicit=True)

    def _start(self, origin: str, explicit: bool) -> Backend:
        with _stack_lock:
            if explicit:
                _warn_if_restarted(origin)
            state = _stack[0].backend.state if _stack else None
            backend = Backend(state, self.account_id, self.region)
            if self.max_events is not None:
                backend.events.max_events = self.max_events
            activation = Activation(self, backend, origin, explicit)
            _stack.append(activation)
            try:
                INTERCEPTOR.answer_with(backend)  # if it fails, it undoes itself
            except BaseException:
                _stack.pop()
                raise
            self._activations.append(activation)
        return backend

    def stop(self) -> None:
        """Deactivate this mock's most recent activation."""
        with _stack_lock:
            if not self._activations:
                raise NotActiveError(
                    "stop() called on a mock_tags() that is not started (or already stopped)."
                )
            _remove(self._activations.pop())

    def _forget(self, activation: Activation) -> None:
        """Drop an activation that was stopped from outside (the leak check, stop_all)."""
        self._activations.remove(activation)
        if not activation.explicit:
            self._blocks_stopped_outside += 1

    def _end_block(self) -> None:
        """The end of a `with` block or decorated call: stop its activation.

        Found already stopped by stop_all() (a test's clean-up, say), it ends quietly:
        the block asked for nothing more than what was done.
        """
        with _stack_lock:
            if not self._activations and self._blocks_stopped_outside:
                self._blocks_stopped_outside -= 1
                return
            self.stop()

    def __enter__(self) -> Backend:
        return self._start(_caller_origin(), explicit=False)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end_block()

    async def __aenter__(self) -> Backend:
        return self._start(_caller_origin(), explicit=False)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end_block()

    def __call__(self, target: T) -> T:
        """Decorate a function, coroutine function, generator or class."""
        if isinstance(target, type):
            return self._decorate_class(target)  # type: ignore[return-value]
        if isinstance(target, (staticmethod, classmethod)):
            return type(target)(self._decorate_function(target.__func__))
        if not callable(target):
            raise TypeError(f"mock_tags can decorate functions and classes, not {target!r}")
        return self._decorate_function(target)  # type: ignore[return-value]

    def _decorate_function(self, func: Callable[..., Any]) -> Callable[..., Any]:
        mock = self
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_coroutine(*args: Any, **kwargs: Any) -> Any:
                async with mock:
                    return await func(*args, **kwargs)

            return run_coroutine
        if inspect.isasyncgenfunction(func):

            @functools.wraps(func)
            async def run_async_generator(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
                async with mock:
                    inner = func(*args, **kwargs)
                    try:
                        item = await inner.__anext__()
                        while True:  # forward asend/athrow, as `yield from` does for sync
                            try:
                                sent = yield item
                            except GeneratorExit:
                                await inner.aclose()
                                raise
                            except BaseException as error:
                                item = await inner.athrow(error)
                            else:
                                item = await inner.asend(sent)
                    except StopAsyncIteration:
                        return

            return run_async_generator
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def run_generator(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
                with mock:
                    return (yield from func(*args, **kwargs))

            return run_generator

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with mock:
                result = func(*args, **kwargs)
            if inspect.iscoroutine(result):
                # A sync callable that returns a coroutine (an `async def __call__`, an
                # async function under a sync decorator): its body runs when awaited,
                # so the mock is on again then, with fresh state if it is the outermost.
                # Other awaitables (tasks, futures) are already running: left as they are.
                return _await_in(mock, result)
            return result

        return run

    def _decorate_class(self, cls: type[Any]) -> type[Any]:
        # unittest is looked up, not imported: without it loaded, no class is a
        # TestCase, and importing it would add milliseconds to `import stubtags`.
        unittest = sys.modules.get("unittest")
        if unittest is not None and issubclass(cls, unittest.TestCase):
            # Wrapping run() puts setUp, the test, tearDown and cleanups inside one
            # activation: each test starts empty and its fixtures see the mock.
            original_run = cls.run
            mock = self

            @functools.wraps(original_run)
            def run(test: Any, result: Any = None) -> Any:
                with mock:
                    return original_run(test, result)

            cls.run = run
            return cls
        if hasattr(cls, "setup_method") or hasattr(cls, "teardown_method"):
            self._span_setup_and_teardown(cls)
        # dir() includes test methods inherited from mixins; the wrapped function is
        # set on the decorated class only, so the base class stays untouched.
        for name in dir(cls):
            attr = inspect.getattr_static(cls, name)
            if not name.startswith("test"):
                continue
            if inspect.isfunction(attr):
                setattr(cls, name, self._decorate_function(attr))
            elif isinstance(attr, (staticmethod, classmethod)):
                setattr(cls, name, type(attr)(self._decorate_function(attr.__func__)))
        return cls

    def _span_setup_and_teardown(self, cls: type[Any]) -> None:
        """One activation from pytest's setup_method to its teardown_method.

        Without it, set-up code would run unmocked, and with real credentials in
        the environment its requests would reach AWS. Each test method still gets
        its own (nested, state-sharing) activation, so it also works outside pytest.
        """
        mock = self
        setup = getattr(cls, "setup_method", None)
        teardown = getattr(cls, "teardown_method", None)

        def setup_method(instance: Any, method: Any = None) -> None:
            mock._start(f"{cls.__module__}.{cls.__qualname__}.setup_method", explicit=False)
            try:
                if setup is not None:
                    _call_xunit(setup, instance, method)
            except BaseException:
                mock.stop()
                raise

        def teardown_method(instance: Any, method: Any = None) -> None:
            try:
                if teardown is not None:
                    _call_xunit(teardown, instance, method)
            finally:
                mock._end_block()

        cls.setup_method = setup_method
        cls.teardown_method = teardown_method

    def __repr__(self) -> str:
        state = "active" if self._activations else "inactive"
        region = f" region={self.region}" if self.region else ""
        return f"<mock_tags account_id={self.account_id}{region} {state}>"


def _call_xunit(func: Callable[..., Any], instance: Any, method: Any) -> None:
    """Call a setup_method/teardown_method the way pytest does: `method` if it takes one."""
    takes_method = getattr(getattr(func, "__code__", None), "co_argcount", 2) >= 2
    func(instance, method) if takes_method else func(instance)


async def _await_in(mock: TagsMock, awaitable: Awaitable[T]) -> T:
    async with mock:
        return await awaitable


def _remove(activation: Activation) -> None:
    _stack.remove(activation)
    INTERCEPTOR.answer_with(_stack[-1].backend if _stack else None)


def _warn_if_restarted(origin: str) -> None:
    """A notebook cell run twice starts a second mock and orphans the first: say so."""
    for running in _stack:
        if running.explicit and running.origin == origin:
            warnings.warn(
                f"stubtags: a mock started at {origin} is still running, and start() was "
                f"called there again; the new mock nests inside the old one, which its "
                f"stop() will not stop. Call stubtags.stop_all() to stop every mock.",
                RestartWarning,
                stacklevel=4,
            )
            return


@overload
def mock_tags(target: T, /) -> T: ...
@overload
def mock_tags(
    *, account_id: str = DEFAULT_ACCOUNT, region: str | None = None, max_events: int | None = None
) -> TagsMock: ...
def mock_tags(
    target: Any = None,
    /,
    *,
    account_id: str = DEFAULT_ACCOUNT,
    region: str | None = None,
    max_events: int | None = None,
) -> Any:
    """Mock Secrets Manager in memory: `@mock_tags`, `@mock_tags(...)`, `with mock_tags():`."""
    if isinstance(target, str):
        raise TypeError(
            f"mock_tags() takes its options as keywords: mock_tags(account_id={target!r}) "
            f"or mock_tags(region={target!r}), not mock_tags({target!r})"
        )
    mock = TagsMock(account_id=account_id, region=region, max_events=max_events)
    if target is None:
        return mock
    return mock(target)


def stop_started_after(before: tuple[Activation, ...]) -> list[Activation]:
    """Stop the activations not in `before` (innermost first) and return them."""
    with _stack_lock:
        started = [a for a in reversed(_stack) if a not in before]
        for activation in started:
            activation.mock._forget(activation)
            _remove(activation)
        return started


def stop_all() -> int:
    """Stop every running mock, innermost first; returns how many were running.

    The way out when a mock was started and its handle lost (a notebook cell run
    twice, an interrupted script).
    """
    return len(stop_started_after(()))
