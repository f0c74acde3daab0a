"""Secret lifecycle through boto3: create, update, delete with a recovery window, restore.

Each test drives a real boto3 client against the in-memory backend, so the replies are
parsed by botocore exactly as replies from AWS would be.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
SCHEDULED_NAME_TAKEN = (
    "You can't create this secret because a secret with this name is already scheduled "
    "for deletion."
)
# Datetimes cross the wire as epoch seconds with a fraction; allow for its rounding.
SLACK = timedelta(seconds=1)


def code_of(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def message_of(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Message"])


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def token() -> str:
    """A ClientRequestToken; the model asks for 32-64 characters."""
    return str(uuid.uuid4())


def versions_of(client: Any, secret_id: str) -> dict[str, list[str]]:
    return dict(client.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {}))


# ------------------------------------------------------------------------------ DeleteSecret


@pytest.mark.parametrize("days", [7, 8, 15, 29, 30])
def test_recovery_window_sets_deletion_date_that_many_days_ahead(client: Any, days: int) -> None:
    client.create_secret(Name="doomed", SecretString="v")
    before = utcnow()
    reply = client.delete_secret(SecretId="doomed", RecoveryWindowInDays=days)
    after = utcnow()
    assert reply["Name"] == "doomed"
    assert before + timedelta(days=days) - SLACK <= reply["DeletionDate"]
    assert reply["DeletionDate"] <= after + timedelta(days=days) + SLACK


def test_default_recovery_window_is_thirty_days(client: Any) -> None:
    client.create_secret(Name="doomed", SecretString="v")
    before = utcnow()
    reply = client.delete_secret(SecretId="doomed")
    after = utcnow()
    assert before + timedelta(days=30) - SLACK <= reply["DeletionDate"]
    assert reply["DeletionDate"] <= after + timedelta(days=30) + SLACK


@pytest.mark.parametrize("days", [0, 1, 6, 31, 365])
def test_recovery_window_outside_7_to_30_is_refused(client: Any, days: int) -> None:
    client.create_secret(Name="kept", SecretString="v")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.delete_secret(SecretId="kept", RecoveryWindowInDays=days)
    assert "DeletedDate" not in client.describe_secret(SecretId="kept")


def test_force_delete_together_with_a_window_is_refused(client: Any) -> None:
    client.create_secret(Name="kept", SecretString="v")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.delete_secret(
            SecretId="kept", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True
        )
    assert client.get_secret_value(SecretId="kept")["SecretString"] == "v"


def test_force_delete_removes_the_secret_and_frees_its_name(client: Any) -> None:
    old_arn = client.create_secret(Name="gone", SecretString="old")["ARN"]
    reply = client.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True)
    assert reply["ARN"] == old_arn
    with pytest.raises(client.exceptions.ResourceNotFoundException) as error:
        client.describe_secret(SecretId="gone")
    assert message_of(error) == "Secrets Manager can't find the specified secret."
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=old_arn)

    new_arn = client.create_secret(Name="gone", SecretString="new")["ARN"]
    assert new_arn != old_arn
    assert client.get_secret_value(SecretId="gone")["SecretString"] == "new"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId=old_arn)


def test_delete_of_a_missing_secret_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_secret(SecretId="never-created")


def test_scheduling_an_already_scheduled_secret_again_is_refused(client: Any) -> None:
    client.create_secret(Name="doomed", SecretString="v")
    client.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    deleted = client.describe_secret(SecretId="doomed")["DeletedDate"]
    with pytest.raises(client.exceptions.InvalidRequestException) as error:
        client.delete_secret(SecretId="doomed", RecoveryWindowInDays=30)
    assert message_of(error) == MARKED_FOR_DELETION
    # The refused second call did not move the schedule.
    assert client.describe_secret(SecretId="doomed")["DeletedDate"] == deleted


def test_force_delete_of_a_scheduled_secret_removes_it_at_once(client: Any) -> None:
    client.create_secret(Name="doomed", SecretString="v")
    client.delete_secret(SecretId="doomed")
    client.delete_secret(SecretId="doomed", ForceDeleteWithoutRecovery=True)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId="doomed")
    client.create_secret(Name="doomed", SecretString="again")
    assert client.get_secret_value(SecretId="doomed")["SecretString"] == "again"


def test_describe_shows_deleted_date_of_a_scheduled_secret(client: Any) -> None:
    client.create_secret(Name="doomed", SecretString="v")
    assert "DeletedDate" not in client.describe_secret(SecretId="doomed")
    before = utcnow()
    client.delete_secret(SecretId="doomed", RecoveryWindowInDays=10)
    after = utcnow()
    deleted = client.describe_secret(SecretId="doomed")["DeletedDate"]
    assert before - SLACK <= deleted <= after + SLACK


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_secret_value", {}),
        ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_resource", {"TagKeys": ["k"]}),
        ("update_secret", {"Description": "new"}),
        ("update_secret", {"SecretString": "new"}),
        ("put_secret_value", {"SecretString": "new"}),
    ],
)
def test_operations_on_a_scheduled_secret_are_refused(
    client: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    client.create_secret(Name="doomed", SecretString="v", Tags=[{"Key": "k", "Value": "v"}])
    client.delete_secret(SecretId="doomed")
    before = client.describe_secret(SecretId="doomed")
    with pytest.raises(client.exceptions.InvalidRequestException) as error:
        getattr(client, operation)(SecretId="doomed", **kwargs)
    assert message_of(error) == MARKED_FOR_DELETION
    after = client.describe_secret(SecretId="doomed")
    assert after["Tags"] == before["Tags"]
    assert after["VersionIdsToStages"] == before["VersionIdsToStages"]
    assert after.get("Description") == before.get("Description")


def test_create_with_the_name_of_a_scheduled_secret_is_refused(client: Any) -> None:
    arn = client.create_secret(Name="doomed", SecretString="v")["ARN"]
    client.delete_secret(SecretId="doomed")
    with pytest.raises(client.exceptions.InvalidRequestException) as error:
        client.create_secret(Name="doomed", SecretString="other")
    assert message_of(error) == SCHEDULED_NAME_TAKEN
    assert client.describe_secret(SecretId="doomed")["ARN"] == arn


def test_restore_clears_deleted_date_and_makes_the_secret_usable(client: Any) -> None:
    arn = client.create_secret(Name="doomed", SecretString="v")["ARN"]
    client.delete_secret(SecretId="doomed")
    reply = client.restore_secret(SecretId="doomed")
    assert (reply["ARN"], reply["Name"]) == (arn, "doomed")
    assert "DeletedDate" not in client.describe_secret(SecretId="doomed")
    assert client.get_secret_value(SecretId="doomed")["SecretString"] == "v"
    client.tag_resource(SecretId="doomed", Tags=[{"Key": "k", "Value": "v"}])
    # And it can be scheduled again.
    client.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    assert "DeletedDate" in client.describe_secret(SecretId="doomed")


def test_restore_of_a_missing_secret_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.restore_secret(SecretId="never-created")


# ------------------------------------------------------------------------------ CreateSecret


def test_create_duplicate_name_is_refused(client: Any) -> None:
    arn = client.create_secret(Name="dup", SecretString="first")["ARN"]
    with pytest.raises(client.exceptions.ResourceExistsException):
        client.create_secret(Name="dup", SecretString="second")
    assert client.describe_secret(SecretId="dup")["ARN"] == arn
    assert client.get_secret_value(SecretId="dup")["SecretString"] == "first"


def test_create_without_a_value_has_no_versions(client: Any) -> None:
    reply = client.create_secret(Name="empty")
    assert "VersionId" not in reply
    assert "VersionIdsToStages" not in client.describe_secret(SecretId="empty")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_secret_value(SecretId="empty")


def test_create_returns_version_id_that_holds_awscurrent(client: Any) -> None:
    reply = client.create_secret(Name="s", SecretString="v", Description="d", KmsKeyId="alias/k")
    described = client.describe_secret(SecretId="s")
    assert described["VersionIdsToStages"] == {reply["VersionId"]: ["AWSCURRENT"]}
    assert described["Description"] == "d"
    assert described["KmsKeyId"] == "alias/k"


@pytest.mark.parametrize("operation", ["create_secret", "update_secret", "put_secret_value"])
def test_string_and_binary_together_are_refused(client: Any, operation: str) -> None:
    client.create_secret(Name="s", SecretString="v")
    target = {"Name": "s2"} if operation == "create_secret" else {"SecretId": "s"}
    with pytest.raises(client.exceptions.InvalidParameterException):
        getattr(client, operation)(**target, SecretString="x", SecretBinary=b"x")
    assert client.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert len(versions_of(client, "s")) == 1
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId="s2")


# ------------------------------------------------------------------------------ UpdateSecret


def test_update_description_only_creates_no_version(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v", Description="old")
    versions = versions_of(client, "s")
    changed_before = client.describe_secret(SecretId="s")["LastChangedDate"]
    reply = client.update_secret(SecretId="s", Description="new")
    assert "VersionId" not in reply
    described = client.describe_secret(SecretId="s")
    assert described["Description"] == "new"
    assert described["VersionIdsToStages"] == versions
    assert described["LastChangedDate"] >= changed_before


def test_update_kms_key_id(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    client.update_secret(SecretId="s", KmsKeyId="alias/other")
    assert client.describe_secret(SecretId="s")["KmsKeyId"] == "alias/other"
    assert client.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_update_value_adds_a_version_and_moves_awsprevious(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    second = client.update_secret(SecretId="s", SecretString="two")["VersionId"]
    assert second != first
    assert versions_of(client, "s") == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}
    third = client.update_secret(SecretId="s", SecretBinary=b"\x00three")["VersionId"]
    # The oldest version lost its last label: it is deprecated and hidden.
    assert versions_of(client, "s") == {second: ["AWSPREVIOUS"], third: ["AWSCURRENT"]}
    assert client.get_secret_value(SecretId="s")["SecretBinary"] == b"\x00three"
    previous = client.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == "two"


def test_update_of_a_missing_secret_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_secret(SecretId="never-created", Description="d")


# ------------------------------------------------------------------- ClientRequestToken


def test_put_secret_value_retry_with_same_token_and_value_is_ignored(client: Any) -> None:
    client.create_secret(Name="s", SecretString="one")
    request = token()
    first = client.put_secret_value(SecretId="s", SecretString="two", ClientRequestToken=request)
    versions = versions_of(client, "s")
    again = client.put_secret_value(SecretId="s", SecretString="two", ClientRequestToken=request)
    assert first["VersionId"] == again["VersionId"] == request
    assert versions_of(client, "s") == versions
    assert len(versions) == 2


def test_put_secret_value_same_token_other_value_is_refused(client: Any) -> None:
    client.create_secret(Name="s", SecretString="one")
    request = token()
    client.put_secret_value(SecretId="s", SecretString="two", ClientRequestToken=request)
    versions = versions_of(client, "s")
    with pytest.raises(client.exceptions.ResourceExistsException):
        client.put_secret_value(SecretId="s", SecretString="three", ClientRequestToken=request)
    assert versions_of(client, "s") == versions
    assert client.get_secret_value(SecretId="s")["SecretString"] == "two"


def test_update_secret_retry_with_same_token_and_value_is_ignored(client: Any) -> None:
    client.create_secret(Name="s", SecretString="one")
    request = token()
    first = client.update_secret(SecretId="s", SecretString="two", ClientRequestToken=request)
    versions = versions_of(client, "s")
    again = client.update_secret(SecretId="s", SecretString="two", ClientRequestToken=request)
    assert first["VersionId"] == again["VersionId"] == request
    assert versions_of(client, "s") == versions


def test_update_secret_same_token_other_value_is_refused(client: Any) -> None:
    client.create_secret(Name="s", SecretString="one")
    request = token()
    client.update_secret(SecretId="s", SecretString="two", ClientRequestToken=request)
    with pytest.raises(client.exceptions.ResourceExistsException):
        client.update_secret(SecretId="s", SecretString="three", ClientRequestToken=request)
    assert client.get_secret_value(SecretId="s")["SecretString"] == "two"


def test_create_secret_retry_with_same_token_and_value_is_ignored(client: Any) -> None:
    """Documented: a repeated CreateSecret with the same token and value is ignored."""
    request = token()
    first = client.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    again = client.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    assert again["ARN"] == first["ARN"]
    assert again["VersionId"] == first["VersionId"] == request
    assert versions_of(client, "s") == {request: ["AWSCURRENT"]}


def test_create_secret_same_token_other_value_is_refused(client: Any) -> None:
    request = token()
    client.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    with pytest.raises(client.exceptions.ResourceExistsException):
        client.create_secret(Name="s", SecretString="other", ClientRequestToken=request)
    assert client.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert versions_of(client, "s") == {request: ["AWSCURRENT"]}


def test_a_token_is_the_version_id(client: Any) -> None:
    request = token()
    reply = client.create_secret(Name="s", SecretString="v", ClientRequestToken=request)
    assert reply["VersionId"] == request
    assert client.get_secret_value(SecretId="s", VersionId=request)["SecretString"] == "v"
