"""Canned replies and injected errors (`Backend.respond`, `Backend.fail`), through real clients.

An injected error must meet botocore's retry machinery as one from AWS would: retried
by the legacy, standard and adaptive modes (with their back-off, `RetryAttempts`,
`MaxAttemptsReached`), and raised as the service's exception when attempts run out.
Every test runs without credentials (tests/conftest.py), so a call that reached
botocore's signer or the network would fail instead of passing.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

import boto3
import botocore.endpoint
import pytest
from aiobotocore.session import get_session
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

from stubtags import Backend, CannedReply, UnsupportedOperationError, mock_tags
from stubtags.operations import OPERATIONS

REGION = "us-east-1"
TAG = [{"Key": "team", "Value": "core"}]
# The adaptive mode's client-side rate limiter really sleeps on throttles (2 s a test):
# it runs in CI's thorough run.
MODES = ["legacy", "standard", pytest.param("adaptive", marks=pytest.mark.thorough)]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's back-off delays, recorded instead of slept (the suite stays fast)."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("a request reached botocore's HTTP layer")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", refuse)


def sm(mode: str = "standard", **retries: Any) -> Any:
    config = Config(retries={"mode": mode, **retries})
    return boto3.client("secretsmanager", region_name=REGION, config=config)


# --- retried as from AWS ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_throttles_are_retried_by_every_retry_mode(
    stubtags: Backend, sleeps: list[float], mode: str
) -> None:
    client = sm(mode)
    client.create_secret(Name="app")
    throttle = stubtags.fail("TagResource", "ThrottlingException", "Rate exceeded", times=2)

    reply = client.tag_resource(SecretId="app", Tags=TAG)

    assert reply["ResponseMetadata"]["RetryAttempts"] == 2
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert stubtags.tags("app") == {"team": "core"}
    assert (throttle.remaining, throttle.calls) == (0, 2)
    assert len(sleeps) >= 2 and all(delay >= 0 for delay in sleeps)  # botocore backed off
    # Used up: the next call is answered at once, as without any fault.
    assert client.tag_resource(SecretId="app", Tags=TAG)["ResponseMetadata"]["RetryAttempts"] == 0


@pytest.mark.parametrize("mode", MODES)
def test_a_throttle_outlasting_the_attempts_raises_as_from_aws(
    stubtags: Backend, sleeps: list[float], mode: str
) -> None:
    client = sm(mode, total_max_attempts=3)
    client.create_secret(Name="app")
    throttle = stubtags.fail("tag_resource", "ThrottlingException", "Rate exceeded", times=None)

    with pytest.raises(ClientError) as raised:
        client.tag_resource(SecretId="app", Tags=TAG)

    error = raised.value.response
    assert error["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
    assert error["ResponseMetadata"]["RetryAttempts"] == 2
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "reached max retries: 2" in str(raised.value)
    assert throttle.calls == 3 and throttle.remaining is None
    assert stubtags.tags("app") == {}  # no attempt got through

    throttle.cancel()
    client.tag_resource(SecretId="app", Tags=TAG)
    assert stubtags.tags("app") == {"team": "core"}


def test_a_server_error_status_is_retried_then_the_backend_answers(
    stubtags: Backend, sleeps: list[float]
) -> None:
    client = sm("standard")
    client.create_secret(Name="app", SecretString="v1")
    stubtags.fail("GetSecretValue", "InternalServiceError", "try again", status=500)
    reply = client.get_secret_value(SecretId="app")
    assert reply["SecretString"] == "v1"
    assert reply["ResponseMetadata"]["RetryAttempts"] == 1


def test_a_modeled_error_raises_its_class_at_once(stubtags: Backend, sleeps: list[float]) -> None:
    client = sm("standard")
    client.create_secret(Name="app")
    stubtags.fail("DescribeSecret", "ResourceNotFoundException", "gone")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
        client.describe_secret(SecretId="app")
    assert raised.value.response["Error"]["Message"] == "gone"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert sleeps == []
    assert client.describe_secret(SecretId="app")["Name"] == "app"


def test_each_attempt_gets_its_own_request_id(stubtags: Backend, sleeps: list[float]) -> None:
    client = sm("standard")
    client.create_secret(Name="app")
    seen: list[str] = []
    client.meta.events.register(
        "needs-retry.secrets-manager.TagResource",
        lambda response, **_: seen.append(response[1]["ResponseMetadata"]["RequestId"]),
    )
    stubtags.fail("TagResource", "ThrottlingException", times=2)
    client.tag_resource(SecretId="app", Tags=TAG)
    assert len(seen) == 3 and len(set(seen)) == 3


# --- canned replies -------------------------------------------------------------------------


def test_respond_answers_an_operation_stubtags_lacks(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(OPERATIONS, "ReplicateSecretToRegions")  # as a newer botocore's would be
    client = sm()
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    canned = stubtags.respond(
        "ReplicateSecretToRegions",
        {
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf",
            "ReplicationStatus": [
                {"Region": "eu-west-1", "Status": "InSync", "LastAccessedDate": when}
            ],
        },
    )
    reply = client.replicate_secret_to_regions(
        SecretId="app", AddReplicaRegions=[{"Region": "eu-west-1"}]
    )
    assert reply["ReplicationStatus"][0]["LastAccessedDate"] == when
    assert reply["ReplicationStatus"][0]["Status"] == "InSync"
    assert (canned.calls, canned.remaining) == (1, 0)
    # Used up: the operation is unsupported again, and the error says what to do.
    with pytest.raises(UnsupportedOperationError) as raised:
        client.replicate_secret_to_regions(
            SecretId="app", AddReplicaRegions=[{"Region": "eu-west-1"}]
        )
    assert "backend.respond('ReplicateSecretToRegions'" in str(raised.value)
    assert "Stubber" not in str(raised.value)


def test_respond_every_time_and_blob_members(stubtags: Backend) -> None:
    client = sm()
    stubtags.respond("GetSecretValue", {"Name": "blob", "SecretBinary": b"\x00\xff"}, times=None)
    for _ in range(3):
        assert client.get_secret_value(SecretId="blob")["SecretBinary"] == b"\x00\xff"


def test_respond_overrides_a_supported_operation_then_hands_back(stubtags: Backend) -> None:
    client = sm()
    client.create_secret(Name="app", Description="real")
    stubtags.respond("DescribeSecret", {"Name": "app", "Description": "canned"})
    assert client.describe_secret(SecretId="app")["Description"] == "canned"
    assert client.describe_secret(SecretId="app")["Description"] == "real"


def test_queued_answers_are_used_in_order(stubtags: Backend) -> None:
    client = sm("standard", total_max_attempts=1)
    client.create_secret(Name="app")
    stubtags.fail("DescribeSecret", "InvalidRequestException", "first")
    stubtags.respond("DescribeSecret", {"Name": "second"})
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.describe_secret(SecretId="app")
    assert client.describe_secret(SecretId="app")["Name"] == "second"
    assert client.describe_secret(SecretId="app")["Name"] == "app"


def test_an_operation_with_no_reply_members(stubtags: Backend) -> None:
    client = sm()
    stubtags.respond("StopReplicationToReplica", {"ARN": "a" * 20})
    assert client.stop_replication_to_replica(SecretId="app")["ARN"] == "a" * 20
    canned = stubtags.respond("TagResource")  # no output shape: an empty reply
    reply = client.tag_resource(SecretId="nothing-there", Tags=TAG)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200 and canned.remaining == 0


def test_canned_answers_belong_to_the_handles_account() -> None:
    with mock_tags() as default:
        default.fail("ListSecrets", "ThrottlingException", times=None)
        with mock_tags(account_id="111122223333") as other:
            assert sm(total_max_attempts=1).list_secrets()["SecretList"] == []
            other.fail("ListSecrets", "AccessDeniedException", times=None)
            with pytest.raises(ClientError, match="AccessDenied"):
                sm(total_max_attempts=1).list_secrets()
            other.reset()  # its canned answers go with its secrets
            assert sm(total_max_attempts=1).list_secrets()["SecretList"] == []
        with pytest.raises(ClientError, match="Throttling"):
            sm(total_max_attempts=1).list_secrets()


def test_an_endpoint_url_does_not_take_a_deferred_call_to_the_network(stubtags: Backend) -> None:
    client = boto3.client("secretsmanager", region_name=REGION, endpoint_url="http://127.0.0.1:9")
    stubtags.respond("RotateSecret", {"Name": "rot"})
    assert client.rotate_secret(SecretId="rot")["Name"] == "rot"


def _fault_hooks(client: Any) -> list[Any]:
    emitter = client.meta.events._emitter
    found = []
    for event in ("before-send.secrets-manager.TagResource", "choose-signer.secrets-manager.X"):
        handlers = emitter._handlers.prefix_search(event)
        found += [h for h in handlers if getattr(h, "__module__", "") == "stubtags.faults"]
    return found


def test_a_client_gets_the_retry_hooks_at_its_first_deferred_call(
    stubtags: Backend, sleeps: list[float]
) -> None:
    """Registering a botocore handler costs 0.1-0.2 ms: a client that never meets a
    canned answer does without them; one hooked earlier gets them when it needs them."""
    client = sm()
    client.create_secret(Name="app")
    assert _fault_hooks(client) == []
    stubtags.fail("TagResource", "ThrottlingException", times=1)
    reply = client.tag_resource(SecretId="app", Tags=TAG)
    assert reply["ResponseMetadata"]["RetryAttempts"] == 1
    assert len(_fault_hooks(client)) == 2
    client.tag_resource(SecretId="app", Tags=TAG)
    assert len(_fault_hooks(client)) == 2  # once per client


@pytest.mark.parametrize(
    ("service", "operation", "code"),
    [
        ("secretsmanager", "ListSecrets", "ThrottlingException"),
        ("resourcegroupstaggingapi", "GetTagKeys", "ThrottledException"),
    ],
)
def test_hooks_leave_with_the_mock(
    sleeps: list[float], service: str, operation: str, code: str
) -> None:
    client = boto3.client(service, region_name=REGION)
    service_id = client.meta.service_model.service_id.hyphenize()
    with mock_tags() as backend:
        backend.fail(operation, code)
        getattr(client, xform_name(operation))()
    emitter = client.meta.events._emitter
    for event in (f"before-send.{service_id}.{operation}", f"choose-signer.{service_id}.X"):
        handlers = emitter._handlers.prefix_search(event)
        assert not [h for h in handlers if getattr(h, "__module__", "") == "stubtags.faults"]


@pytest.mark.asyncio
async def test_aiobotocore_retries_an_injected_throttle(
    stubtags: Backend, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_wait(_: float) -> None:
        return None

    monkeypatch.setattr("asyncio.sleep", no_wait)
    async with get_session().create_client("secretsmanager", region_name=REGION) as client:
        await client.create_secret(Name="app")
        stubtags.fail("TagResource", "ThrottlingException", times=1)
        reply = await client.tag_resource(SecretId="app", Tags=TAG)
        assert reply["ResponseMetadata"]["RetryAttempts"] == 1
        stubtags.respond("RotateSecret", {"Name": "app"})
        assert (await client.rotate_secret(SecretId="app"))["Name"] == "app"
    assert stubtags.tags("app") == {"team": "core"}


# --- the Resource Groups Tagging API -------------------------------------------------------


def tagging(mode: str = "standard") -> Any:
    config = Config(retries={"mode": mode})
    return boto3.client("resourcegroupstaggingapi", region_name=REGION, config=config)


@pytest.mark.parametrize("mode", MODES)
def test_a_throttled_get_resources_is_retried_then_answered(
    stubtags: Backend, sleeps: list[float], mode: str
) -> None:
    """GetResources throttles often in real accounts: code that pages through it must
    survive ThrottledException, which botocore retries."""
    arn = sm().create_secret(Name="app", Tags=TAG)["ARN"]
    throttle = stubtags.fail("get_resources", "ThrottledException", "Rate exceeded", times=2)
    reply = tagging(mode).get_resources()
    assert [m["ResourceARN"] for m in reply["ResourceTagMappingList"]] == [arn]
    assert reply["ResponseMetadata"]["RetryAttempts"] == 2
    assert (throttle.remaining, throttle.calls) == (0, 2)
    assert len(sleeps) >= 2
    records = stubtags.events.named("GetResources")
    assert [r.get("errorCode") for r in records] == ["ThrottledException"] * 2 + [None]
    assert {r["eventSource"] for r in records} == {"tagging.amazonaws.com"}


def test_a_tagging_api_error_raises_its_modeled_class(
    stubtags: Backend, sleeps: list[float]
) -> None:
    stubtags.fail("TagResources", "InvalidParameterException", "no")
    client = tagging()
    with pytest.raises(client.exceptions.InvalidParameterException) as raised:
        client.tag_resources(ResourceARNList=["arn:aws:secretsmanager:x"], Tags={"k": "v"})
    assert raised.value.response["Error"]["Message"] == "no"
    assert sleeps == []


def test_respond_gives_a_tagging_api_reply(stubtags: Backend) -> None:
    mapping = {"ResourceARN": "arn:aws:sns:us-east-1:123456789012:topic", "Tags": []}
    stubtags.respond("GetResources", {"ResourceTagMappingList": [mapping]})
    client = tagging()
    assert client.get_resources()["ResourceTagMappingList"] == [mapping]
    assert client.get_resources()["ResourceTagMappingList"] == []  # the backend again
    with pytest.raises(ValueError, match="not a valid GetTagKeys reply"):
        stubtags.respond("get_tag_keys", {"TagKeys": "env"})


# --- arguments are checked before anything is queued ------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda b: b.fail("tagresource", "ThrottlingException"), ValueError, "operation must"),
        (lambda b: b.fail(None, "ThrottlingException"), TypeError, "operation must"),
        (lambda b: b.fail("GetResource", "X"), ValueError, "Resource Groups Tagging API: "),
        (lambda b: b.fail("TagResource", ""), TypeError, "code must"),
        (lambda b: b.fail("TagResource", "Bad Code"), TypeError, "code must"),
        (lambda b: b.fail("TagResource", "X", 5), TypeError, "message must"),
        (lambda b: b.fail("TagResource", "X", times=0), ValueError, "times must"),
        (lambda b: b.fail("TagResource", "X", times=True), ValueError, "times must"),
        (lambda b: b.fail("TagResource", "X", status=200), ValueError, "status must"),
        (lambda b: b.respond("TagResource", {"Name": "x"}), ValueError, "no reply members"),
        (lambda b: b.respond("DescribeSecret", {"Nme": "x"}), ValueError, "Unknown parameter"),
        (lambda b: b.respond("DescribeSecret", {"Name": 5}), ValueError, "Invalid type"),
        (lambda b: b.respond("DescribeSecret", [("Name", "x")]), TypeError, "reply must"),
    ],
)
def test_bad_arguments_are_refused(stubtags: Backend, call: Any, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        call(stubtags)
    assert not stubtags.state.replies.pending(stubtags.account_id, "TagResource")
    assert not stubtags.state.replies.pending(stubtags.account_id, "DescribeSecret")


def test_canned_reply_is_exported() -> None:
    with mock_tags() as backend:
        assert isinstance(backend.fail("TagResource", "X"), CannedReply)
