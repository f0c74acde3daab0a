"""stubtags under asyncio: aiobotocore clients are answered in memory, and the decorator,
the `async with` form and the pytest fixture keep the mock on exactly while the test's
coroutine runs (moto's decorator stops before an `async def` test has even started).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiobotocore.session import get_session

from stubtags import Backend, active_backend, mock_tags
from tests.helpers import assert_inactive, tag_dict

REGION = "eu-west-1"


@asynccontextmanager
async def aio_client(region: str = REGION) -> AsyncIterator[Any]:
    """A fresh aiobotocore client. No credentials (tests/conftest.py clears them): a call
    that escaped the mock would fail on signing instead of reaching AWS."""
    async with get_session().create_client("secretsmanager", region_name=region) as client:
        yield client


@pytest.mark.asyncio
async def test_create_tag_describe_round_trip() -> None:
    async with mock_tags() as backend, aio_client() as client:
        created = await client.create_secret(Name="db", SecretString="s3cret")
        assert created["Name"] == "db"
        assert created["ARN"].startswith(f"arn:aws:secretsmanager:{REGION}:123456789012:secret:db-")

        reply = await client.tag_resource(
            SecretId="db",
            Tags=[{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "prod"}],
        )
        assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert set(reply) == {"ResponseMetadata"}  # TagResource has no output shape

        await client.tag_resource(SecretId=created["ARN"], Tags=[{"Key": "team", "Value": "db"}])
        described = await client.describe_secret(SecretId="db")
        # Upsert: an existing key keeps its position and takes the new value.
        assert described["Tags"] == [
            {"Key": "team", "Value": "db"},
            {"Key": "env", "Value": "prod"},
        ]
        assert described["ARN"] == created["ARN"]
        assert backend.tags("db", region=REGION) == {"team": "db", "env": "prod"}

        await client.untag_resource(SecretId="db", TagKeys=["team"])
        described = await client.describe_secret(SecretId="db")
        assert described["Tags"] == [{"Key": "env", "Value": "prod"}]
        value = await client.get_secret_value(SecretId="db")
        assert value["SecretString"] == "s3cret"
    assert_inactive()


@pytest.mark.asyncio
@mock_tags
async def test_decorated_coroutine_keeps_the_mock_across_awaits() -> None:
    backend = active_backend()
    async with aio_client() as client:
        await client.create_secret(Name="app")
        await asyncio.sleep(0)
        assert active_backend() is backend
        await asyncio.sleep(0.01)
        await client.tag_resource(SecretId="app", Tags=[{"Key": "owner", "Value": "me"}])
        await asyncio.sleep(0)
        assert active_backend() is backend
        described = await client.describe_secret(SecretId="app")
    assert tag_dict(described["Tags"]) == {"owner": "me"}
    assert backend.tags("app", region=REGION) == {"owner": "me"}


@pytest.mark.asyncio
async def test_decorated_coroutine_starts_only_when_awaited_and_stops_on_return() -> None:
    seen: list[Backend] = []

    @mock_tags
    async def work() -> dict[str, str]:
        seen.append(active_backend())
        async with aio_client() as client:
            await client.create_secret(Name="svc", Tags=[{"Key": "a", "Value": "1"}])
            await asyncio.sleep(0)
            seen.append(active_backend())
            described = await client.describe_secret(SecretId="svc")
        return tag_dict(described["Tags"])

    coroutine = work()
    assert_inactive()  # calling the function only made a coroutine object
    await asyncio.sleep(0)
    assert_inactive()
    assert await coroutine == {"a": "1"}
    assert len(seen) == 2
    assert seen[0] is seen[1]
    assert_inactive()  # and the mock stopped when the coroutine returned

    never_awaited = work()
    never_awaited.close()
    assert_inactive()
    assert len(seen) == 2


@pytest.mark.asyncio
async def test_decorated_coroutine_stops_when_it_raises() -> None:
    @mock_tags
    async def fails() -> None:
        async with aio_client() as client:
            await client.create_secret(Name="x")
        raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        await fails()
    assert_inactive()


@pytest.mark.asyncio
async def test_async_with_yields_the_backend() -> None:
    async with mock_tags() as backend:
        assert active_backend() is backend
        backend.create_secret("seeded", tags={"k": "v"}, region=REGION)
        async with aio_client() as client:
            described = await client.describe_secret(SecretId="seeded")
            assert described["Tags"] == [{"Key": "k", "Value": "v"}]
            listed = await client.list_secrets()
            assert [entry["Name"] for entry in listed["SecretList"]] == ["seeded"]
    assert_inactive()


@pytest.mark.asyncio
async def test_each_activation_starts_empty() -> None:
    async with mock_tags(), aio_client() as client:
        await client.create_secret(Name="first")
    async with mock_tags(), aio_client() as client:
        listed = await client.list_secrets()
        assert listed["SecretList"] == []


@pytest.mark.asyncio
async def test_fixture_in_async_test(stubtags: Backend) -> None:
    assert active_backend() is stubtags
    stubtags.create_secret("from-fixture", tags={"team": "data"}, region=REGION)
    async with aio_client() as client:
        await client.tag_resource(
            SecretId="from-fixture", Tags=[{"Key": "cost-center", "Value": "42"}]
        )
        described = await client.describe_secret(SecretId="from-fixture")
    assert described["Tags"] == [
        {"Key": "team", "Value": "data"},
        {"Key": "cost-center", "Value": "42"},
    ]
    assert stubtags.tags("from-fixture", region=REGION) == {"team": "data", "cost-center": "42"}


@pytest.mark.asyncio
async def test_client_created_before_the_mock_is_intercepted() -> None:
    async with aio_client() as client, mock_tags() as backend:
        await client.create_secret(Name="early", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("early", region=REGION) == {"k": "v"}


@pytest.mark.asyncio
async def test_twenty_concurrent_tasks_end_with_exactly_the_expected_tags() -> None:
    async with mock_tags() as backend, aio_client() as client:
        await client.create_secret(Name="shared")
        for index in range(20):
            await client.create_secret(Name=f"own-{index}")

        async def worker(index: int) -> None:
            for round_ in range(5):
                await client.tag_resource(
                    SecretId="shared",
                    Tags=[{"Key": f"task-{index}", "Value": f"round-{round_}"}],
                )
                await client.tag_resource(
                    SecretId=f"own-{index}",
                    Tags=[
                        {"Key": "round", "Value": str(round_)},
                        {"Key": f"only-{round_}", "Value": "x"},
                    ],
                )
                await asyncio.sleep(0)
            await client.untag_resource(SecretId=f"own-{index}", TagKeys=["only-0", "only-4"])
            described = await client.describe_secret(SecretId=f"own-{index}")
            assert described["Tags"] == [
                {"Key": "round", "Value": "4"},
                {"Key": "only-1", "Value": "x"},
                {"Key": "only-2", "Value": "x"},
                {"Key": "only-3", "Value": "x"},
            ]

        await asyncio.gather(*(worker(index) for index in range(20)))

        described = await client.describe_secret(SecretId="shared")
        assert tag_dict(described["Tags"]) == {f"task-{i}": "round-4" for i in range(20)}
        assert len(described["Tags"]) == 20
        assert backend.tags("shared", region=REGION) == {f"task-{i}": "round-4" for i in range(20)}


@pytest.mark.asyncio
async def test_error_reply_raises_the_modeled_exception() -> None:
    async with mock_tags(), aio_client() as client:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            await client.tag_resource(SecretId="missing", Tags=[{"Key": "k", "Value": "v"}])
        error = caught.value.response["Error"]
        assert error["Code"] == "ResourceNotFoundException"
        assert error["Message"] == "Secrets Manager can't find the specified secret."
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

        await client.create_secret(Name="doomed")
        await client.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
        with pytest.raises(client.exceptions.InvalidRequestException):
            await client.tag_resource(SecretId="doomed", Tags=[{"Key": "k", "Value": "v"}])


@pytest.mark.asyncio
async def test_after_call_handler_can_await_the_response_content() -> None:
    bodies: list[tuple[str, int, dict[str, Any]]] = []

    async def read_body(http_response: Any, model: Any, **_: Any) -> None:
        content = await http_response.content
        bodies.append((model.name, http_response.status_code, json.loads(content)))

    async with mock_tags(), aio_client() as client:
        client.meta.events.register("after-call.secrets-manager.*", read_body)
        await client.create_secret(Name="observed", Tags=[{"Key": "k", "Value": "v"}])
        await client.describe_secret(SecretId="observed")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            await client.describe_secret(SecretId="absent")

    assert [(name, status) for name, status, _ in bodies] == [
        ("CreateSecret", 200),
        ("DescribeSecret", 200),
        ("DescribeSecret", 400),
    ]
    assert bodies[0][2]["Name"] == "observed"
    assert bodies[1][2]["Tags"] == [{"Key": "k", "Value": "v"}]
    assert bodies[2][2]["__type"] == "ResourceNotFoundException"


def test_import_and_tag_without_aiobotocore() -> None:
    """stubtags must not need aiobotocore: block its import, then use plain boto3."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["aiobotocore"] = None  # any `import aiobotocore` now raises ImportError
        import boto3
        import stubtags
        from stubtags import mock_tags

        with mock_tags() as backend:
            client = boto3.client("secretsmanager", region_name="us-east-1")
            client.create_secret(Name="plain")
            client.tag_resource(SecretId="plain", Tags=[{"Key": "k", "Value": "v"}])
            tags = client.describe_secret(SecretId="plain")["Tags"]
            assert backend.tags("plain", region="us-east-1") == {"k": "v"}
        try:
            stubtags.active_backend()
        except stubtags.NotActiveError:
            pass
        else:
            raise SystemExit("mock still active")
        assert sys.modules["aiobotocore"] is None
        assert not any(name.startswith("aiobotocore.") for name in sys.modules)
        print("TAGS", tags)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "TAGS [{'Key': 'k', 'Value': 'v'}]" in done.stdout
