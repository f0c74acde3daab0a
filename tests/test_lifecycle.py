"""The lifecycle of `mock_tags`: every way to start a mock (decorator on a function, a
generator, a coroutine, a class, a unittest case; `with`; start/stop; the pytest marker
and fixture) keeps it on exactly while its body runs, nesting shares one state, and each
outermost start begins empty.
"""

from __future__ import annotations

import asyncio
import functools
import unittest
from collections.abc import AsyncGenerator, Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import NoCredentialsError

from stubtags import Backend, NotActiveError, active_backend, mock_tags
from tests.helpers import ACCOUNT, REGION, assert_inactive, sm_client

# --- decorators -------------------------------------------------------------------------------


def test_bare_decorator() -> None:
    @mock_tags
    def work() -> list[str]:
        sm_client().create_secret(Name="deco")
        return active_backend().names(REGION)

    assert work() == ["deco"]
    assert work() == ["deco"]  # fresh state on each outermost start
    assert_inactive()


def test_called_decorator() -> None:
    @mock_tags()
    def work(name: str) -> list[str]:
        sm_client().create_secret(Name=name)
        return active_backend().names(REGION)

    assert work("a") == ["a"]
    assert work.__name__ == "work"
    assert_inactive()


def test_decorator_with_account_id_puts_it_in_arns() -> None:
    @mock_tags(account_id="111111111111")
    def work() -> str:
        arn: str = sm_client().create_secret(Name="acct")["ARN"]
        return arn

    arn = work()
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:111111111111:secret:acct-")
    assert_inactive()


def test_invalid_account_id_is_refused() -> None:
    with pytest.raises(ValueError, match="12 digits"):
        mock_tags(account_id="1234")


def test_decorated_generator_is_active_while_it_runs() -> None:
    @mock_tags
    def produce() -> Iterator[list[str]]:
        client = sm_client()
        client.create_secret(Name="g1")
        yield active_backend().names(REGION)
        client.create_secret(Name="g2")
        yield active_backend().names(REGION)

    generator = produce()
    assert_inactive()  # nothing runs before the first next()
    assert next(generator) == ["g1"]
    assert next(generator) == ["g1", "g2"]
    with pytest.raises(StopIteration):
        next(generator)
    assert_inactive()


def test_decorated_function_that_raises_deactivates() -> None:
    @mock_tags
    def boom() -> None:
        sm_client().create_secret(Name="x")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        boom()
    assert_inactive()


def test_decorated_plain_class_gives_each_test_method_fresh_state() -> None:
    @mock_tags
    class Plain:
        def test_first(self) -> list[str]:
            sm_client().create_secret(Name="same")
            return active_backend().names(REGION)

        def test_second(self) -> list[str]:
            sm_client().create_secret(Name="same")
            return active_backend().names(REGION)

    instance = Plain()
    assert instance.test_first() == ["same"]
    assert instance.test_second() == ["same"]
    assert instance.test_first() == ["same"]
    assert_inactive()


def test_decorated_class_also_wraps_inherited_test_methods() -> None:
    """A test class often gets its tests from a mixin; those must run mocked too."""

    class Mixin:
        def test_inherited(self) -> list[str]:
            backend = active_backend()
            sm_client().create_secret(Name="from-mixin")
            return backend.names(REGION)

    @mock_tags
    class Decorated(Mixin):
        def test_own(self) -> list[str]:
            return active_backend().names(REGION)

    assert Decorated().test_own() == []
    assert Decorated().test_inherited() == ["from-mixin"]
    with pytest.raises(NotActiveError):
        Mixin().test_inherited()  # the base class itself is left undecorated
    assert_inactive()


@mock_tags
class TestDecoratedClassCollectedByPytest:
    """pytest runs these methods; each must see an empty store."""

    def test_one(self) -> None:
        sm_client().create_secret(Name="shared-name")
        assert active_backend().names(REGION) == ["shared-name"]

    def test_two(self) -> None:
        sm_client().create_secret(Name="shared-name")
        assert active_backend().names(REGION) == ["shared-name"]


def test_decorated_unittest_case_runs_setup_inside_the_mock_with_fresh_state() -> None:
    seen: list[tuple[str, Any]] = []

    @mock_tags
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.client = sm_client()
            self.client.create_secret(Name="fixture")
            self.store = active_backend().store

        def test_a(self) -> None:
            assert active_backend().store is self.store
            self.client.tag_resource(SecretId="fixture", Tags=[{"Key": "a", "Value": "1"}])
            seen.append(("a", active_backend().tags("fixture", region=REGION)))

        def test_b(self) -> None:
            assert active_backend().store is self.store
            seen.append(("b", active_backend().tags("fixture", region=REGION)))

        def tearDown(self) -> None:
            seen.append(("tearDown", active_backend().names(REGION)))

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)

    assert result.errors == [] and result.failures == []
    assert result.testsRun == 2
    assert seen == [
        ("a", {"a": "1"}),
        ("tearDown", ["fixture"]),
        ("b", {}),
        ("tearDown", ["fixture"]),
    ]
    assert_inactive()


# --- decorators on less common shapes ---------------------------------------------------------


def sync_passthrough(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A plain sync decorator, as many libraries write them, around an async function."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def test_async_function_under_a_sync_decorator_runs_inside_the_mock() -> None:
    @mock_tags
    @sync_passthrough
    async def body() -> list[str]:
        await asyncio.sleep(0)
        sm_client().create_secret(Name="inside")
        return active_backend().names()

    assert asyncio.run(body()) == ["inside"]
    with pytest.raises(NotActiveError):
        active_backend()


def test_object_with_async_call_runs_inside_the_mock() -> None:
    class Job:
        async def __call__(self) -> str:
            await asyncio.sleep(0)
            return sm_client().create_secret(Name="job")["Name"]

    assert asyncio.run(mock_tags(Job())()) == "job"
    with pytest.raises(NotActiveError):
        active_backend()


def test_async_generator_forwards_asend_and_stays_mocked() -> None:
    received: list[Any] = []

    @mock_tags
    async def echo() -> AsyncGenerator[int, Any]:
        total = 0
        while total < 3:
            sent = yield total
            received.append(sent)
            sm_client().create_secret(Name=f"s{total}")
            total += 1

    async def drive() -> list[int]:
        gen = echo()
        seen = [await gen.__anext__()]
        for word in ("a", "b"):
            seen.append(await gen.asend(word))
        with pytest.raises(StopAsyncIteration):
            await gen.asend("c")
        return seen

    assert asyncio.run(drive()) == [0, 1, 2]
    assert received == ["a", "b", "c"]
    with pytest.raises(NotActiveError):
        active_backend()


def test_async_generator_forwards_athrow() -> None:
    @mock_tags
    async def guarded() -> AsyncGenerator[str, None]:
        try:
            yield "ready"
        except KeyError:
            yield active_backend().account_id

    async def drive() -> str:
        gen = guarded()
        await gen.__anext__()
        value = await gen.athrow(KeyError("x"))
        await gen.aclose()
        return value

    assert asyncio.run(drive()) == "123456789012"


def test_staticmethod_and_classmethod_keep_their_kind() -> None:
    class Holder:
        @mock_tags
        @staticmethod
        def make(name: str) -> str:
            return str(sm_client().create_secret(Name=name)["Name"])

        @mock_tags
        @classmethod
        def kind(cls) -> str:
            active_backend()
            return cls.__name__

    assert Holder().make("a") == "a"
    assert Holder.make("b") == "b"
    assert Holder.kind() == "Holder"


def test_a_returned_task_is_left_as_it_is() -> None:
    async def body() -> str:
        return "done"

    async def drive() -> str:
        @mock_tags
        def schedule() -> asyncio.Future[str]:
            return asyncio.ensure_future(body())

        task = schedule()
        assert isinstance(task, asyncio.Future)
        done, _ = await asyncio.wait({task})
        return done.pop().result()

    assert asyncio.run(drive()) == "done"


@mock_tags
class TestStaticAndClassTestMethods:
    @staticmethod
    def test_static_runs_mocked() -> None:
        assert active_backend().names() == []

    @classmethod
    def test_class_runs_mocked(cls) -> None:
        sm_client().create_secret(Name="from-classmethod")
        assert active_backend().names() == ["from-classmethod"]


# --- context manager, start/stop, nesting -----------------------------------------------------


def test_context_manager_yields_the_active_backend() -> None:
    mock = mock_tags()
    assert not mock.active
    with mock as backend:
        assert isinstance(backend, Backend)
        assert active_backend() is backend
        assert mock.backend is backend
        assert mock.active
    assert not mock.active
    assert_inactive()


def test_start_and_stop() -> None:
    mock = mock_tags()
    backend = mock.start()
    try:
        sm_client().create_secret(Name="started")
        assert backend.names(REGION) == ["started"]
    finally:
        mock.stop()
    assert_inactive()


def test_stop_twice_raises_not_active() -> None:
    mock = mock_tags()
    mock.start()
    mock.stop()
    with pytest.raises(NotActiveError):
        mock.stop()
    with pytest.raises(NotActiveError):
        mock_tags().stop()
    with pytest.raises(NotActiveError):
        _ = mock.backend


def test_start_failure_leaves_nothing_half_started(monkeypatch: pytest.MonkeyPatch) -> None:
    from stubtags import interception

    def broken(backend: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(interception.INTERCEPTOR, "answer_with", broken)
    mock = mock_tags()
    with pytest.raises(RuntimeError):
        mock.start()
    assert not mock.active
    with pytest.raises(NotActiveError):
        active_backend()


def test_exception_inside_with_deactivates() -> None:
    client = sm_client()
    with pytest.raises(KeyError), mock_tags():
        client.create_secret(Name="x")
        raise KeyError("x")
    assert_inactive()
    with pytest.raises(NoCredentialsError):
        client.list_secrets()


def test_nested_mocks_share_state() -> None:
    client = sm_client()
    with mock_tags() as outer:
        client.create_secret(Name="outer")
        with mock_tags() as inner:
            assert inner.names(REGION) == ["outer"]
            client.create_secret(Name="inner")
        assert active_backend() is outer
        assert outer.names(REGION) == ["outer", "inner"]
        assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["outer", "inner"]
    assert_inactive()


def test_same_mock_object_nested_twice() -> None:
    mock = mock_tags()
    with mock as outer:
        with mock as inner:
            assert inner.store is outer.store
        assert mock.active
        assert mock.backend is outer
    assert not mock.active
    assert_inactive()


def test_innermost_account_answers_and_outer_account_resumes() -> None:
    client = sm_client()
    with mock_tags() as outer:
        with mock_tags(account_id="222222222222") as inner:
            arn = client.create_secret(Name="x")["ARN"]
            assert ":222222222222:" in arn
            assert inner.store is outer.store
            assert inner.names(REGION) == ["x"]
        assert outer.names(REGION) == []
        assert f":{ACCOUNT}:" in client.create_secret(Name="x")["ARN"]


def test_each_outermost_start_begins_empty() -> None:
    client = sm_client()
    with mock_tags():
        client.create_secret(Name="first-run")
    with mock_tags() as backend:
        assert backend.names(REGION) == []
        assert client.list_secrets()["SecretList"] == []


# --- the pytest marker and fixture ------------------------------------------------------------


@pytest.mark.stubtags
def test_marker_activates_without_the_fixture() -> None:
    client = sm_client()
    client.create_secret(Name="marked")
    assert active_backend().names(REGION) == ["marked"]


@pytest.mark.stubtags(account_id="333333333333")
def test_marker_passes_account_id() -> None:
    arn = sm_client().create_secret(Name="marked")["ARN"]
    assert ":333333333333:" in arn


def test_fixture_value_is_the_active_backend(stubtags: Backend) -> None:
    assert active_backend() is stubtags
    sm_client().create_secret(Name="f")
    assert stubtags.names(REGION) == ["f"]
