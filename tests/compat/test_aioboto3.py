"""aioboto3 sits on aiobotocore; its clients must be intercepted the same way.

aioboto3's releases pin an older aiobotocore than the test extra's, so this file
runs in a virtual environment of its own (see `.ci/run`); the main suite leaves
it out when aioboto3 is not installed.
"""

from __future__ import annotations

import asyncio

import aioboto3
import pytest

from stubtags import Backend, mock_tags

REGION = "eu-west-1"


@pytest.mark.asyncio
async def test_round_trip_through_aioboto3() -> None:
    session = aioboto3.Session()
    async with mock_tags() as backend:
        async with session.client("secretsmanager", region_name=REGION) as sm:
            await sm.create_secret(Name="db", SecretString="x")
            await sm.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "core"}])
            described = await sm.describe_secret(SecretId="db")
        assert described["Tags"] == [{"Key": "team", "Value": "core"}]
        assert backend.tags("db", region=REGION) == {"team": "core"}


@pytest.mark.asyncio
async def test_errors_are_aioboto3s_modeled_exceptions(stubtags: Backend) -> None:
    async with aioboto3.Session().client("secretsmanager", region_name=REGION) as sm:
        with pytest.raises(sm.exceptions.ResourceNotFoundException) as error:
            await sm.tag_resource(SecretId="missing", Tags=[{"Key": "k", "Value": "v"}])
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.asyncio
async def test_concurrent_tasks_share_one_backend(stubtags: Backend) -> None:
    async with aioboto3.Session().client("secretsmanager", region_name=REGION) as sm:
        await sm.create_secret(Name="shared")
        await asyncio.gather(
            *(
                sm.tag_resource(SecretId="shared", Tags=[{"Key": f"k{i}", "Value": str(i)}])
                for i in range(20)
            )
        )
    assert stubtags.tags("shared", region=REGION) == {f"k{i}": str(i) for i in range(20)}
