"""The call record (`backend.events`) and the sensitive-data warning, through boto3 clients.

Record fields are checked against "CloudTrail record contents", "CloudTrail
userIdentity element" and the examples of "Logging AWS Secrets Manager events with
AWS CloudTrail"; where those say nothing, against the choices in the README's
fidelity table.
"""

from __future__ import annotations

import json
import re
import textwrap
import threading
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import stubtags
from stubtags import Backend, EventList, SensitiveDataWarning, mock_tags, pipeline

pytest_plugins = ["pytester"]

REGION = "us-east-1"
VALUE = "s3cr3t-hunter2-value"  # a secret value: must never appear in the record
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def new_client(**credentials: str) -> Any:
    return boto3.client("secretsmanager", region_name=REGION, **credentials)


@pytest.fixture
def plain_client() -> Any:
    """A client for tests that start their own mocks (`secretsmanager` comes with one running)."""
    return new_client()


def tags(**pairs: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in pairs.items()]


# -- the record of one call ---------------------------------------------------------------


def test_tag_resource_record_has_every_cloudtrail_field(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(Name="db")
    seen: dict[str, str] = {}

    def capture(params: dict[str, Any], **_: Any) -> None:
        seen["agent"] = params["headers"]["User-Agent"]

    secretsmanager.meta.events.register("before-call.secrets-manager.TagResource", capture)
    reply = secretsmanager.tag_resource(SecretId="db", Tags=tags(team="core", env="prod"))
    before = time.time()

    (event,) = stubtags.events.named("TagResource")
    assert event == {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "Root",
            "principalId": "123456789012",
            "arn": "arn:aws:iam::123456789012:root",
            "accountId": "123456789012",
        },
        "eventTime": event["eventTime"],
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": "TagResource",
        "awsRegion": REGION,
        "sourceIPAddress": "127.0.0.1",
        "userAgent": seen["agent"],
        "requestParameters": {
            "secretId": "db",
            "tags": [{"key": "team", "value": "core"}, {"key": "env", "value": "prod"}],
        },
        "responseElements": None,
        "requestID": reply["ResponseMetadata"]["RequestId"],
        "eventID": event["eventID"],
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management",
    }
    assert seen["agent"].startswith("Boto3/")
    assert TIME_RE.fullmatch(event["eventTime"])
    stamp = time.mktime(time.strptime(event["eventTime"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert before - 5 <= stamp <= before + 1  # UTC, this very call
    assert UUID_RE.fullmatch(event["eventID"])


def test_untag_resource_record(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db", Tags=tags(a="1", b="2"))
    secretsmanager.untag_resource(SecretId="db", TagKeys=["a", "b"])
    (event,) = stubtags.events.named("UntagResource")
    assert event["requestParameters"] == {"secretId": "db", "tagKeys": ["a", "b"]}
    assert event["responseElements"] is None
    assert event["readOnly"] is False


def test_every_call_is_recorded_in_order_with_the_request_id_the_client_saw(
    stubtags: Backend, secretsmanager: Any
) -> None:
    ids = [
        secretsmanager.create_secret(Name="db")["ResponseMetadata"]["RequestId"],
        secretsmanager.describe_secret(SecretId="db")["ResponseMetadata"]["RequestId"],
        secretsmanager.list_secrets()["ResponseMetadata"]["RequestId"],
    ]
    with pytest.raises(ClientError) as denied:
        secretsmanager.describe_secret(SecretId="missing")
    ids.append(denied.value.response["ResponseMetadata"]["RequestId"])
    assert [e["requestID"] for e in stubtags.events] == ids
    assert [e["eventName"] for e in stubtags.events] == [
        "CreateSecret",
        "DescribeSecret",
        "ListSecrets",
        "DescribeSecret",
    ]
    assert len({e["eventID"] for e in stubtags.events}) == 4
    assert len(stubtags.events) == 4


def test_a_failed_call_carries_error_code_and_message(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(Name="db")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId="nope", Tags=tags(a="1"))
    failed = stubtags.events.failed()
    assert [e["eventName"] for e in failed] == ["TagResource"]
    assert failed[0]["errorCode"] == "ResourceNotFoundException"
    assert failed[0]["errorMessage"] == "Secrets Manager can't find the specified secret."
    assert failed[0]["responseElements"] is None
    assert "errorCode" not in stubtags.events.named("CreateSecret")[0]
    assert stubtags.events.failed("ResourceNotFoundException") == failed
    assert stubtags.events.failed("InvalidRequestException") == []


def test_read_only_marks_reads(stubtags: Backend, secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="db", SecretString="x")["ARN"]
    secretsmanager.describe_secret(SecretId="db")
    secretsmanager.get_secret_value(SecretId="db")
    secretsmanager.list_secrets()
    secretsmanager.list_secret_version_ids(SecretId="db")
    secretsmanager.batch_get_secret_value(SecretIdList=[arn])
    secretsmanager.get_random_password()
    secretsmanager.get_resource_policy(SecretId="db")
    secretsmanager.validate_resource_policy(
        ResourcePolicy='{"Version": "2012-10-17", "Statement": []}'
    )
    secretsmanager.update_secret(SecretId="db", Description="d")
    secretsmanager.delete_secret(SecretId="db")
    read_only = {e["eventName"]: e["readOnly"] for e in stubtags.events}
    assert read_only == {
        "CreateSecret": False,
        "DescribeSecret": True,
        "GetSecretValue": True,
        "ListSecrets": True,
        "ListSecretVersionIds": True,
        "BatchGetSecretValue": True,
        "GetRandomPassword": True,
        "GetResourcePolicy": True,
        "ValidateResourcePolicy": True,
        "UpdateSecret": False,
        "DeleteSecret": False,
    }


def test_request_parameters_nested_and_empty(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.list_secrets(Filters=[{"Key": "tag-key", "Values": ["team"]}], MaxResults=5)
    secretsmanager.list_secrets()
    first, second = stubtags.events.named("ListSecrets")
    assert first["requestParameters"] == {
        "filters": [{"key": "tag-key", "values": ["team"]}],
        "maxResults": 5,
    }
    assert second["requestParameters"] is None  # nothing sent: CloudTrail's null


def test_create_secret_record_matches_the_documented_example(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(
        Name="MyDatabaseSecret", SecretString=VALUE, ClientRequestToken="t" * 32
    )
    (event,) = stubtags.events.named("CreateSecret")
    assert event["requestParameters"] == {
        "name": "MyDatabaseSecret",
        "clientRequestToken": "t" * 32,
    }
    assert event["responseElements"] is None


def test_delete_secret_response_elements_as_documented(
    stubtags: Backend, secretsmanager: Any
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    reply = secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=7)
    (event,) = stubtags.events.named("DeleteSecret")
    assert event["requestParameters"] == {"secretId": "db", "recoveryWindowInDays": 7}
    deletion = reply["DeletionDate"]
    hour = deletion.hour % 12 or 12
    assert event["responseElements"] == {
        "name": "db",
        "deletionDate": f"{deletion:%b} {deletion.day}, {deletion.year} "
        f"{hour}:{deletion:%M:%S} {'PM' if deletion.hour >= 12 else 'AM'}",
        "arn": arn,
    }


def test_editing_the_delete_secret_reply_leaves_the_record_as_it_was(
    stubtags: Backend, secretsmanager: Any
) -> None:
    """The caller gets the reply itself (it is built for the call alone); the record
    keeps its own copy."""
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    reply = secretsmanager.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)
    reply["Name"] = "edited"
    del reply["ARN"]
    (event,) = stubtags.events.named("DeleteSecret")
    assert (event["responseElements"]["name"], event["responseElements"]["arn"]) == ("db", arn)


# -- no secret value is ever kept ---------------------------------------------------------


def test_no_secret_value_reaches_the_record(
    stubtags: Backend, secretsmanager: Any, tmp_path: Path
) -> None:
    arn = secretsmanager.create_secret(Name="db", SecretString=VALUE)["ARN"]
    secretsmanager.put_secret_value(SecretId="db", SecretString=VALUE + "-2")
    secretsmanager.create_secret(Name="bin", SecretBinary=VALUE.encode())
    secretsmanager.update_secret(SecretId="bin", SecretBinary=(VALUE + "-3").encode())
    secretsmanager.get_secret_value(SecretId="db")
    secretsmanager.batch_get_secret_value(SecretIdList=[arn])
    password = secretsmanager.get_random_password(PasswordLength=40)["RandomPassword"]
    with pytest.raises(ClientError) as too_long:  # the member is named, not its value
        secretsmanager.put_secret_value(SecretId="db", SecretString=VALUE * 4000)
    assert too_long.value.response["Error"]["Code"] == "ValidationException"
    assert VALUE not in too_long.value.response["Error"]["Message"]

    # Dropped when recorded: not even the raw tuples hold them.
    raw = repr(list(stubtags.events._raw))
    dumped = tmp_path / "trail.jsonl"
    assert stubtags.events.to_jsonl(dumped) == 8
    text = dumped.read_text()
    for leaked in (VALUE, password, "czNjcjN0"):  # "czNjcjN0": base64 of the value's start
        assert leaked not in raw
        assert leaked not in text
    put = stubtags.events.named("PutSecretValue")
    assert put[0]["requestParameters"].keys() == {"secretId", "clientRequestToken"}
    assert put[1]["errorMessage"] == (
        "1 validation error detected: Value at 'secretString' failed to satisfy constraint: "
        "Member must have length less than or equal to 65536"
    )


# -- who called -----------------------------------------------------------------------------


def test_root_identity_carries_the_clients_access_key(stubtags: Backend) -> None:
    client = new_client(aws_access_key_id="AKIAEXAMPLEKEY123456", aws_secret_access_key="x")
    client.list_secrets()
    identity = stubtags.events[0]["userIdentity"]
    assert identity["type"] == "Root"
    assert identity["accessKeyId"] == "AKIAEXAMPLEKEY123456"


def _as_caller(monkeypatch: pytest.MonkeyPatch, caller: Any) -> None:
    """What the permissions stage does: name the caller on the call."""

    def authorize(backend: Backend, call: pipeline.Call) -> None:
        call.caller = caller

    monkeypatch.setattr(pipeline, "authorize", authorize)


def test_iam_user_identity(
    stubtags: Backend, secretsmanager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = SimpleNamespace(
        arn="arn:aws:iam::123456789012:user/alice",
        account_id="123456789012",
        kind="IAMUser",
        access_key="AKIAALICE",
        name="alice",
    )
    _as_caller(monkeypatch, user)
    secretsmanager.list_secrets()
    identity = stubtags.events[0]["userIdentity"]
    assert identity == {
        "type": "IAMUser",
        "principalId": identity["principalId"],
        "arn": "arn:aws:iam::123456789012:user/alice",
        "accountId": "123456789012",
        "accessKeyId": "AKIAALICE",
        "userName": "alice",
    }
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", identity["principalId"])


def test_assumed_role_identity(
    stubtags: Backend, secretsmanager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = SimpleNamespace(
        arn="arn:aws:sts::210987654321:assumed-role/Deployer/ci-run",
        account_id="210987654321",
        kind="AssumedRole",
        access_key="ASIAROLE",
        name="ci-run",
        role_arn="arn:aws:iam::210987654321:role/Deployer",
        session_name="ci-run",
    )
    _as_caller(monkeypatch, role)
    secretsmanager.list_secrets()
    event = stubtags.events[0]
    identity = event["userIdentity"]
    role_id = identity["sessionContext"]["sessionIssuer"]["principalId"]
    assert re.fullmatch(r"AROA[A-Z2-7]{17}", role_id)
    assert identity == {
        "type": "AssumedRole",
        "principalId": f"{role_id}:ci-run",
        "arn": "arn:aws:sts::210987654321:assumed-role/Deployer/ci-run",
        "accountId": "210987654321",
        "accessKeyId": "ASIAROLE",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": "arn:aws:iam::210987654321:role/Deployer",
                "accountId": "210987654321",
                "userName": "Deployer",
            },
            "attributes": {"creationDate": event["eventTime"], "mfaAuthenticated": "false"},
        },
    }
    assert event["recipientAccountId"] == "123456789012"  # the account that answered


def test_recipient_account_is_the_answering_mocks(plain_client: Any) -> None:
    with mock_tags() as outer:
        plain_client.list_secrets()
        with mock_tags(account_id="111122223333"):
            plain_client.list_secrets()
        accounts = [e["recipientAccountId"] for e in outer.events]
    assert accounts == ["123456789012", "111122223333"]


# -- filters and export ---------------------------------------------------------------------


def test_filters_by_name_secret_and_error(
    stubtags: Backend, secretsmanager: Any, tmp_path: Path
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    secretsmanager.create_secret(Name="db-other")
    secretsmanager.tag_resource(SecretId=arn, Tags=tags(a="1"))
    secretsmanager.tag_resource(SecretId=arn.rsplit("-", 1)[0], Tags=tags(b="2"))  # partial ARN
    secretsmanager.tag_resource(SecretId="db-other", Tags=tags(c="3"))
    secretsmanager.batch_get_secret_value(SecretIdList=["db"])
    with pytest.raises(ClientError):
        secretsmanager.untag_resource(SecretId="gone", TagKeys=["a"])

    events = stubtags.events
    assert len(events.named("TagResource")) == 3
    assert len(events.named("TagResource", "UntagResource")) == 4
    assert not events.named("DeleteSecret")
    by_name = events.for_secret("db")
    assert [e["eventName"] for e in by_name] == [
        "CreateSecret",
        "TagResource",
        "TagResource",
        "BatchGetSecretValue",
    ]
    assert events.for_secret(arn) == by_name
    assert events.for_secret(arn.replace(REGION, "eu-west-1")) == []
    assert [
        e["requestParameters"]["tags"] for e in events.for_secret("db-other").named("TagResource")
    ] == [[{"key": "c", "value": "3"}]]
    assert isinstance(events.named("TagResource")[1:], EventList)
    assert events.failed("ResourceNotFoundException").for_secret("gone")[0]["eventName"] == (
        "UntagResource"
    )

    path = tmp_path / "events.jsonl"
    assert events.to_jsonl(path) == len(events) == 7
    lines = path.read_text().splitlines()
    assert [json.loads(line) for line in lines] == list(events)
    assert events.named("TagResource").to_jsonl(str(tmp_path / "tags.jsonl")) == 3


def test_records_are_built_once(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.list_secrets()
    assert stubtags.events[0] is stubtags.events[0]
    assert stubtags.events[-1]["eventID"] == next(iter(stubtags.events))["eventID"]


# -- where the record lives: shared, reset, bounded, thread-safe ------------------------


def test_nested_mocks_share_the_record_and_reset_clears_it(plain_client: Any) -> None:
    with mock_tags() as outer:
        plain_client.list_secrets()
        with mock_tags() as inner:
            plain_client.list_secrets()
            assert inner.events is outer.events
        assert len(outer.events) == 2
        outer.reset()
        assert len(outer.events) == 0
        assert outer.events.dropped == 0
        plain_client.list_secrets()
        assert len(outer.events) == 1
    with mock_tags() as fresh:
        assert len(fresh.events) == 0


def test_ring_buffer_keeps_the_newest_and_counts_what_it_dropped(plain_client: Any) -> None:
    with mock_tags(max_events=3) as backend:
        for n in range(5):
            plain_client.list_secrets(MaxResults=n + 1)
        events = backend.events
        assert len(events) == 3
        assert events.dropped == 2
        assert [e["requestParameters"]["maxResults"] for e in events] == [3, 4, 5]
        assert "3 recorded, 2 dropped, max_events=3" in repr(events)
        events.max_events = 1  # shrinking keeps the newest
        assert [e["requestParameters"]["maxResults"] for e in events] == [5]
        assert events.dropped == 4
        events.clear()
        assert (len(events), events.dropped) == (0, 0)
    with mock_tags(max_events=0) as backend:
        plain_client.list_secrets()
        assert (len(backend.events), backend.events.dropped) == (0, 1)


def test_default_size_and_nested_resize(plain_client: Any) -> None:
    with mock_tags() as outer:
        assert outer.events.max_events == 10_000
        with mock_tags(max_events=5):
            assert outer.events.max_events == 5


@pytest.mark.parametrize("bad", ["10", 2.5, True])
def test_max_events_must_be_an_int(bad: Any) -> None:
    with pytest.raises(TypeError, match="max_events"):
        mock_tags(max_events=bad)


def test_max_events_must_not_be_negative(stubtags: Backend) -> None:
    with pytest.raises(ValueError, match="max_events"):
        mock_tags(max_events=-1)
    with pytest.raises(ValueError, match="max_events"):
        stubtags.events.max_events = -5


@pytest.mark.stubtags(max_events=2)
def test_the_marker_sets_the_size(stubtags: Backend, secretsmanager: Any) -> None:
    for _ in range(3):
        secretsmanager.list_secrets()
    assert (len(stubtags.events), stubtags.events.dropped) == (2, 1)


@pytest.mark.parametrize("size", [10_000, 50])
def test_threads_record_every_call_once(size: int) -> None:
    with mock_tags(max_events=size) as backend:
        backend.create_secret("db", region=REGION)
        seen: list[str] = []
        lock = threading.Lock()

        def work(client: Any) -> None:
            for _ in range(25):
                rid = client.describe_secret(SecretId="db")["ResponseMetadata"]["RequestId"]
                with lock:
                    seen.append(rid)

        clients = [new_client() for _ in range(6)]  # boto3's default session: one thread
        threads = [threading.Thread(target=work, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        kept = [e["requestID"] for e in backend.events]
        assert len(kept) == min(size, 150)
        assert backend.events.dropped == 150 - len(kept)
        assert len(set(kept)) == len(kept)
        assert set(kept) <= set(seen)


# -- the sensitive-data warning ------------------------------------------------------------


def test_tag_value_holding_the_secret_value_warns(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db", SecretString=VALUE)
    with pytest.warns(SensitiveDataWarning) as caught:
        secretsmanager.tag_resource(SecretId="db", Tags=tags(ok="fine", leak=f"pw={VALUE}"))
    (warning,) = caught
    message = str(warning.message)
    assert "TagResource" in message
    assert "Tags[1].Value" in message
    assert "'db'" in message
    assert VALUE not in message
    assert warning.filename == __file__  # points at the call in the test
    assert stubtags.tags("db")["leak"]  # a warning, not a refusal


def test_tag_key_and_descriptions_warn(stubtags: Backend, secretsmanager: Any) -> None:
    with pytest.warns(SensitiveDataWarning, match=r"CreateSecret .*Tags\[0\]\.Key, Description"):
        secretsmanager.create_secret(
            Name="db", SecretString=VALUE, Tags=tags(**{VALUE: "x"}), Description=VALUE
        )
    with pytest.warns(SensitiveDataWarning, match=r"UpdateSecret .* Description"):
        secretsmanager.update_secret(SecretId="db", Description=f"the password is {VALUE}")
    with pytest.warns(SensitiveDataWarning, match="UpdateSecret"):  # the new value counts
        secretsmanager.update_secret(
            SecretId="db", SecretString="new-value-123", Description="new-value-123"
        )


def test_a_tag_key_without_a_value_warns(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db", SecretString=VALUE)
    with pytest.warns(SensitiveDataWarning, match=r"TagResource .*Tags\[1\]\.Key"):
        secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "short"}, {"Key": VALUE}])


def test_no_warning_without_a_leak(stubtags: Backend, secretsmanager: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        secretsmanager.create_secret(Name="short", SecretString="1234567", Tags=tags(t="1234567"))
        secretsmanager.create_secret(Name="other", SecretString=VALUE)
        secretsmanager.create_secret(Name="db", SecretString="another-value-1")
        secretsmanager.tag_resource(SecretId="db", Tags=tags(copy=VALUE))  # another secret's value
        secretsmanager.create_secret(Name="bin", SecretBinary=b"binary-value-123", Description="x")
        secretsmanager.update_secret(SecretId="db", Description="plain")


def test_error_filter_turns_the_warning_into_a_failure(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(Name="db", SecretString=VALUE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(SensitiveDataWarning):
            secretsmanager.tag_resource(SecretId="db", Tags=tags(leak=VALUE))
    assert stubtags.events.named("TagResource")  # recorded before the warning was raised


INNER_LEAK = textwrap.dedent(
    f"""
    import boto3
    from stubtags import mock_tags

    def test_leaks_a_value():
        with mock_tags():
            client = boto3.client("secretsmanager", region_name="us-east-1")
            client.create_secret(Name="db", SecretString="{VALUE}")
            client.tag_resource(SecretId="db", Tags=[{{"Key": "k", "Value": "{VALUE}"}}])

    def test_clean():
        with mock_tags():
            client = boto3.client("secretsmanager", region_name="us-east-1")
            client.create_secret(Name="db", SecretString="{VALUE}")
    """
)


def test_dash_w_error_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_inner_sensitive=INNER_LEAK)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-W", "error::stubtags.SensitiveDataWarning"
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*SensitiveDataWarning*TagResource*Tags[[]0[]].Value*"])
    said = [line for line in result.stdout.lines if "SensitiveDataWarning:" in line]
    assert said
    assert not [line for line in said if VALUE in line]


def test_public_names() -> None:
    assert stubtags.SensitiveDataWarning is SensitiveDataWarning
    assert issubclass(SensitiveDataWarning, UserWarning)
    assert {"SensitiveDataWarning", "EventLog", "EventList"} <= set(stubtags.__all__)


def test_the_readme_example_runs() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Asserting on calls", 1)[1].split("\n### ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, re.S)
    exec(compile(example, "README.md", "exec"), {})


def test_injected_errors_are_recorded_per_attempt(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db")
    stubtags.fail("TagResource", "ThrottlingException", "Rate exceeded", times=2)
    secretsmanager.tag_resource(SecretId="db", Tags=tags(a="1"))  # botocore retries past both
    attempts = stubtags.events.named("TagResource")
    assert [e.get("errorCode") for e in attempts] == ["ThrottlingException"] * 2 + [None]
    assert len({e["requestID"] for e in attempts}) == 3


def test_a_canned_delete_reply_in_boto3_form_is_recorded(
    stubtags: Backend, secretsmanager: Any
) -> None:
    when = datetime(2030, 1, 2, 15, 4, 5, tzinfo=timezone.utc)
    stubtags.respond(
        "DeleteSecret",
        {
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "Name": "db",
            "DeletionDate": when,
        },
    )
    secretsmanager.delete_secret(SecretId="db")
    (event,) = stubtags.events.named("DeleteSecret")
    assert event["responseElements"] == {
        "name": "db",
        "deletionDate": "Jan 2, 2030 3:04:05 PM",
        "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    }


def test_reset_forgets_only_its_accounts_calls(plain_client: Any) -> None:
    with mock_tags(max_events=3) as default:
        plain_client.list_secrets()
        with mock_tags(account_id="111122223333") as other:
            plain_client.list_secrets()
            plain_client.list_secrets()
            plain_client.list_secrets()  # the first call is dropped
            assert default.events.dropped == 1
            other.reset()
        assert len(default.events) == 0
        assert default.events.dropped == 1  # removed calls are not counted as dropped
        plain_client.list_secrets()
        with mock_tags(account_id="111122223333") as other:
            plain_client.list_secrets()
            default.reset()
            assert [e["recipientAccountId"] for e in other.events] == ["111122223333"]
