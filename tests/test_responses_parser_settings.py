"""A client's parser settings apply to stubtags' replies as they would to AWS's.

botocore makes every reply's parser from the session's `response_parser_factory`
(whose `set_parser_defaults` takes `timestamp_parser` and `blob_parser`), and takes
`botocore.parsers.DEFAULT_TIMESTAMP_PARSER` when none is set. Timestamps are
memoised, so a change of the local time zone must still show in the next reply.
"""

from __future__ import annotations

import base64
import datetime
import os
import time
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from aiobotocore.session import get_session as aio_session
from botocore import parsers
from botocore.utils import parse_timestamp

from stubtags import Backend, mock_tags
from tests.helpers import REGION, sm_client


def client_with(**options: Any) -> Any:
    """A client of a boto3 session whose botocore session has these parser defaults."""
    core = botocore.session.Session()
    core.get_component("response_parser_factory").set_parser_defaults(**options)
    return boto3.session.Session(botocore_session=core).client("secretsmanager", region_name=REGION)


def created_on_the_wire(backend: Backend, name: str) -> float:
    """CreatedDate as the service sends it: epoch seconds."""
    reply = backend.invoke("DescribeSecret", {"SecretId": name}, REGION)
    assert reply is not None
    stamp: float = reply["CreatedDate"]
    return stamp


@pytest.fixture
def zone() -> Iterator[Any]:
    before = os.environ.get("TZ")

    def switch(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield switch
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_default_timestamps_are_botocores(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db", SecretString="x")
    created = secretsmanager.describe_secret(SecretId="db")["CreatedDate"]
    expected = parse_timestamp(created_on_the_wire(stubtags, "db"))
    assert created == expected
    assert type(created.tzinfo) is type(expected.tzinfo)  # dateutil's tzlocal
    assert created.utcoffset() == expected.utcoffset()


def test_a_session_timestamp_parser_applies(stubtags: Backend) -> None:
    client = client_with(timestamp_parser=lambda value: ("stamp", value))
    client.create_secret(Name="db", SecretString="x")
    wire = created_on_the_wire(stubtags, "db")

    assert client.describe_secret(SecretId="db")["CreatedDate"] == ("stamp", wire)
    listed = client.list_secrets()["SecretList"][0]
    assert listed["CreatedDate"] == ("stamp", wire)
    assert client.get_secret_value(SecretId="db")["CreatedDate"][0] == "stamp"


def test_parser_defaults_set_after_the_first_call_apply_to_the_next() -> None:
    core = botocore.session.Session()
    client = boto3.session.Session(botocore_session=core).client(
        "secretsmanager", region_name=REGION
    )
    with mock_tags() as backend:
        client.create_secret(Name="db", SecretString="x")
        before = client.describe_secret(SecretId="db")["CreatedDate"]
        core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
        after = client.describe_secret(SecretId="db")["CreatedDate"]
        wire = created_on_the_wire(backend, "db")
    assert before == parse_timestamp(wire)
    assert after == str(wire)


def test_a_session_blob_parser_applies(stubtags: Backend) -> None:
    client = client_with(blob_parser=lambda value: ("blob", value))
    client.create_secret(Name="bin", SecretBinary=b"\x00\xff")
    value = client.get_secret_value(SecretId="bin")["SecretBinary"]
    assert value == ("blob", base64.b64encode(b"\x00\xff").decode())


def test_a_replaced_default_timestamp_parser_applies(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = sm_client()
    client.create_secret(Name="db", SecretString="x")
    monkeypatch.setattr(parsers, "DEFAULT_TIMESTAMP_PARSER", lambda value: ("global", value))
    created = client.describe_secret(SecretId="db")["CreatedDate"]
    assert created == ("global", created_on_the_wire(stubtags, "db"))


def test_a_new_local_zone_shows_in_the_next_reply(stubtags: Backend, zone: Any) -> None:
    client = sm_client()
    zone("UTC0")
    client.create_secret(Name="db", SecretString="x")
    in_utc = client.describe_secret(SecretId="db")["CreatedDate"]
    zone("IST-5:30")
    in_india = client.describe_secret(SecretId="db")["CreatedDate"]

    assert in_utc == in_india  # the same instant
    assert in_utc.utcoffset().total_seconds() == 0
    assert in_india.utcoffset().total_seconds() == 5.5 * 3600
    assert in_india.tzname() == parse_timestamp(created_on_the_wire(stubtags, "db")).tzname()


@pytest.mark.asyncio
async def test_an_aiobotocore_session_timestamp_parser_applies() -> None:
    session = aio_session()
    session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
    async with (
        mock_tags() as backend,
        session.create_client("secretsmanager", region_name=REGION) as client,
    ):
        await client.create_secret(Name="db", SecretString="x")
        described = await client.describe_secret(SecretId="db")
    assert described["CreatedDate"] == str(created_on_the_wire(backend, "db"))


def test_a_canned_reply_is_read_with_the_clients_parser_settings(stubtags: Backend) -> None:
    """Answered at before-send, a canned reply's body goes through the client's own parser."""
    client = client_with(timestamp_parser=lambda value: ("stamp", value))
    created = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
    stubtags.respond("DescribeSecret", {"Name": "canned", "CreatedDate": created})
    reply = client.describe_secret(SecretId="canned")
    assert reply["CreatedDate"] == ("stamp", created.timestamp())
