"""Decorator shapes beyond the plain function: each must keep the mock on while its
body runs, and only then."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable
from typing import Any

import boto3
import pytest

from stubtags import NotActiveError, active_backend, mock_tags


def client() -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


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
        client().create_secret(Name="inside")
        return active_backend().names()

    assert asyncio.run(body()) == ["inside"]
    with pytest.raises(NotActiveError):
        active_backend()


def test_object_with_async_call_runs_inside_the_mock() -> None:
    class Job:
        async def __call__(self) -> str:
            await asyncio.sleep(0)
            return client().create_secret(Name="job")["Name"]

    assert asyncio.run(mock_tags(Job())()) == "job"
    with pytest.raises(NotActiveError):
        active_backend()


def test_async_generator_forwards_asend_and_stays_mocked() -> None:
    received: list[Any] = []

    @mock_tags
    async def echo() -> AsyncIterator[int]:
        total = 0
        while total < 3:
            sent = yield total
            received.append(sent)
            client().create_secret(Name=f"s{total}")
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
    async def guarded() -> AsyncIterator[str]:
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
            return str(client().create_secret(Name=name)["Name"])

        @mock_tags
        @classmethod
        def kind(cls) -> str:
            active_backend()
            return cls.__name__

    assert Holder().make("a") == "a"
    assert Holder.make("b") == "b"
    assert Holder.kind() == "Holder"


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
        client().create_secret(Name="from-classmethod")
        assert active_backend().names() == ["from-classmethod"]
