"""While a mock is active, Secrets Manager calls never reach the network: with every way
of opening a connection made to fail loudly, the whole workflow still runs.

The guard is itself tested: without the mock, a call does hit it. Otherwise a guard
that silently failed to patch would make the other tests prove nothing.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.config import Config

from stubtags import mock_tags
from tests.helpers import sm_client

REGION = "ap-southeast-2"
# Never resolvable (RFC 6761), so a call that escaped the guard still could not reach AWS.
FAKE_ENDPOINT = "https://secretsmanager.stubtags.invalid"
NO_RETRY = {"retries": {"total_max_attempts": 1}, "connect_timeout": 1, "read_timeout": 1}


class NetworkUsed(Exception):
    """Raised by the guard; deliberately not an OSError so no HTTP layer retries it."""


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make resolving and connecting raise, and record every attempt."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[-1:] if args else ''}")
            raise NetworkUsed(f"network used: {what}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    yield attempts


def client_with_dummy_credentials(endpoint_url: str | None) -> Any:
    """Dummy credentials here (unlike elsewhere): an unmocked call must get as far as the
    socket layer for the guard's own test to mean anything."""
    return sm_client(
        REGION,
        own_session=True,
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**NO_RETRY),
    )


def run_workflow(client: Any) -> None:
    """Every kind of call a tagging workflow makes, with its results checked."""
    created = client.create_secret(
        Name="app/db", SecretString="hunter2", Tags=[{"Key": "team", "Value": "core"}]
    )
    client.tag_resource(SecretId="app/db", Tags=[{"Key": "env", "Value": "prod"}])
    client.untag_resource(SecretId=created["ARN"], TagKeys=["team"])
    described = client.describe_secret(SecretId="app/db")
    assert described["Tags"] == [{"Key": "env", "Value": "prod"}]
    listed = client.list_secrets(Filters=[{"Key": "tag-key", "Values": ["env"]}])
    assert [entry["Name"] for entry in listed["SecretList"]] == ["app/db"]
    assert client.get_secret_value(SecretId="app/db")["SecretString"] == "hunter2"
    client.delete_secret(SecretId="app/db", RecoveryWindowInDays=7)
    assert "DeletedDate" in client.describe_secret(SecretId="app/db")
    client.restore_secret(SecretId="app/db")
    assert "DeletedDate" not in client.describe_secret(SecretId="app/db")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.tag_resource(SecretId="absent", Tags=[{"Key": "k", "Value": "v"}])


@pytest.mark.parametrize("endpoint_url", [None, FAKE_ENDPOINT, "http://127.0.0.1:1"])
def test_sync_workflow_opens_no_socket(
    network_attempts: list[str], endpoint_url: str | None
) -> None:
    with mock_tags():
        run_workflow(client_with_dummy_credentials(endpoint_url))
    assert network_attempts == []


def test_guard_catches_an_unmocked_sync_call(network_attempts: list[str]) -> None:
    client = client_with_dummy_credentials(FAKE_ENDPOINT)
    with pytest.raises(Exception):  # noqa: B017 - whatever botocore wraps it in
        client.list_secrets()
    assert network_attempts, "the guard did not see the unmocked call: the checks are void"


async def run_async_workflow(endpoint_url: str | None) -> None:
    async with get_session().create_client(
        "secretsmanager",
        region_name=REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=AioConfig(**NO_RETRY),
    ) as client:
        await client.create_secret(Name="svc", Tags=[{"Key": "a", "Value": "1"}])
        await client.tag_resource(SecretId="svc", Tags=[{"Key": "b", "Value": "2"}])
        await client.untag_resource(SecretId="svc", TagKeys=["a"])
        described = await client.describe_secret(SecretId="svc")
        assert described["Tags"] == [{"Key": "b", "Value": "2"}]
        listed = await client.list_secrets()
        assert [entry["Name"] for entry in listed["SecretList"]] == ["svc"]
        await client.put_secret_value(SecretId="svc", SecretString="v1")
        assert (await client.get_secret_value(SecretId="svc"))["SecretString"] == "v1"
        await client.delete_secret(SecretId="svc", RecoveryWindowInDays=30)
        await client.restore_secret(SecretId="svc")
        assert "DeletedDate" not in await client.describe_secret(SecretId="svc")


@pytest.mark.asyncio
@pytest.mark.parametrize("endpoint_url", [None, FAKE_ENDPOINT])
async def test_async_workflow_opens_no_socket(
    network_attempts: list[str], endpoint_url: str | None
) -> None:
    async with mock_tags():
        await run_async_workflow(endpoint_url)
    assert network_attempts == []


@pytest.mark.asyncio
async def test_guard_catches_an_unmocked_async_call(network_attempts: list[str]) -> None:
    with pytest.raises(Exception):  # noqa: B017 - whatever aiohttp wraps it in
        await run_async_workflow(FAKE_ENDPOINT)
    assert network_attempts, "the guard did not see the unmocked call: the checks are void"
