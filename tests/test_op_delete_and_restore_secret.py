"""DeleteSecret and RestoreSecret end to end through boto3: the recovery window, deleting at
once, what a secret scheduled for deletion refuses, and restoring it. Every DeleteSecret
rule is here; other files only use deletion to set up state.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from stubtags import Backend
from tests.helpers import (
    MARKED_FOR_DELETION_MESSAGE,
    NAME_SCHEDULED_FOR_DELETION_MESSAGE,
    described_tags,
    error_of,
    tag_list,
)

# Datetimes cross the wire as epoch seconds with a fraction; allow for its rounding.
SLACK = timedelta(seconds=1)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --- the recovery window ----------------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 8, 15, 29, 30])
def test_recovery_window_sets_deletion_date_that_many_days_ahead(
    secretsmanager: Any, days: int
) -> None:
    secretsmanager.create_secret(Name="doomed", SecretString="v")
    before = utcnow()
    reply = secretsmanager.delete_secret(SecretId="doomed", RecoveryWindowInDays=days)
    after = utcnow()
    assert reply["Name"] == "doomed"
    assert before + timedelta(days=days) - SLACK <= reply["DeletionDate"]
    assert reply["DeletionDate"] <= after + timedelta(days=days) + SLACK


def test_default_recovery_window_is_thirty_days(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="doomed", SecretString="v")
    before = utcnow()
    reply = secretsmanager.delete_secret(SecretId="doomed")
    after = utcnow()
    assert before + timedelta(days=30) - SLACK <= reply["DeletionDate"]
    assert reply["DeletionDate"] <= after + timedelta(days=30) + SLACK


@pytest.mark.parametrize("days", [0, 1, 6, 31, 365])
def test_recovery_window_outside_7_to_30_is_refused(secretsmanager: Any, days: int) -> None:
    secretsmanager.create_secret(Name="kept", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.delete_secret(SecretId="kept", RecoveryWindowInDays=days)
    assert "DeletedDate" not in secretsmanager.describe_secret(SecretId="kept")


def test_force_delete_together_with_a_window_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="kept", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.delete_secret(
            SecretId="kept", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True
        )
    assert secretsmanager.get_secret_value(SecretId="kept")["SecretString"] == "v"


def test_describe_shows_deleted_date_of_a_scheduled_secret(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="doomed", SecretString="v")
    assert "DeletedDate" not in secretsmanager.describe_secret(SecretId="doomed")
    before = utcnow()
    secretsmanager.delete_secret(SecretId="doomed", RecoveryWindowInDays=10)
    after = utcnow()
    deleted = secretsmanager.describe_secret(SecretId="doomed")["DeletedDate"]
    assert before - SLACK <= deleted <= after + SLACK


# --- deleting at once -------------------------------------------------------------------------


def test_force_delete_removes_the_secret_and_frees_its_name(secretsmanager: Any) -> None:
    old_arn = secretsmanager.create_secret(Name="gone", SecretString="old")["ARN"]
    reply = secretsmanager.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True)
    assert reply["ARN"] == old_arn
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException) as error:
        secretsmanager.describe_secret(SecretId="gone")
    assert error_of(error).message == "Secrets Manager can't find the specified secret."
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=old_arn)

    new_arn = secretsmanager.create_secret(Name="gone", SecretString="new")["ARN"]
    assert new_arn != old_arn
    assert secretsmanager.get_secret_value(SecretId="gone")["SecretString"] == "new"
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=old_arn)


def test_force_delete_of_a_scheduled_secret_removes_it_at_once(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="doomed", SecretString="v")
    secretsmanager.delete_secret(SecretId="doomed")
    secretsmanager.delete_secret(SecretId="doomed", ForceDeleteWithoutRecovery=True)
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="doomed")
    secretsmanager.create_secret(Name="doomed", SecretString="again")
    assert secretsmanager.get_secret_value(SecretId="doomed")["SecretString"] == "again"


def test_delete_of_a_missing_secret_is_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.delete_secret(SecretId="never-created")


# --- a secret scheduled for deletion ----------------------------------------------------------


def test_scheduling_an_already_scheduled_secret_again_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="doomed", SecretString="v")
    secretsmanager.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    deleted = secretsmanager.describe_secret(SecretId="doomed")["DeletedDate"]
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as error:
        secretsmanager.delete_secret(SecretId="doomed", RecoveryWindowInDays=30)
    assert error_of(error).message == MARKED_FOR_DELETION_MESSAGE
    # The refused second call did not move the schedule.
    assert secretsmanager.describe_secret(SecretId="doomed")["DeletedDate"] == deleted


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
    secretsmanager: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    secretsmanager.create_secret(Name="doomed", SecretString="v", Tags=[{"Key": "k", "Value": "v"}])
    secretsmanager.delete_secret(SecretId="doomed")
    before = secretsmanager.describe_secret(SecretId="doomed")
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as error:
        getattr(secretsmanager, operation)(SecretId="doomed", **kwargs)
    assert error_of(error).message == MARKED_FOR_DELETION_MESSAGE
    after = secretsmanager.describe_secret(SecretId="doomed")
    assert after["Tags"] == before["Tags"]
    assert after["VersionIdsToStages"] == before["VersionIdsToStages"]
    assert after.get("Description") == before.get("Description")


def test_tag_resource_on_a_scheduled_secret_is_refused_and_changes_nothing(
    secretsmanager: Any,
) -> None:
    secretsmanager.create_secret(Name="old")
    secretsmanager.tag_resource(SecretId="old", Tags=tag_list({"a": "1"}))
    secretsmanager.delete_secret(SecretId="old", RecoveryWindowInDays=7)
    before = secretsmanager.describe_secret(SecretId="old")

    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as excinfo:
        secretsmanager.tag_resource(SecretId="old", Tags=tag_list({"b": "2"}))

    assert error_of(excinfo) == ("InvalidRequestException", MARKED_FOR_DELETION_MESSAGE, 400)
    after = secretsmanager.describe_secret(SecretId="old")
    assert after["Tags"] == before["Tags"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_untag_resource_on_a_scheduled_secret_is_refused_and_changes_nothing(
    secretsmanager: Any,
) -> None:
    secretsmanager.create_secret(Name="app", Tags=tag_list({"a": "1", "b": "2"}))
    secretsmanager.delete_secret(SecretId="app", RecoveryWindowInDays=7)
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as excinfo:
        secretsmanager.untag_resource(SecretId="app", TagKeys=["a"])
    assert error_of(excinfo) == ("InvalidRequestException", MARKED_FOR_DELETION_MESSAGE, 400)
    assert described_tags(secretsmanager, "app") == [("a", "1"), ("b", "2")]


def test_scheduled_deletion_wins_over_a_reserved_key(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(Name="s")
    secretsmanager.delete_secret(SecretId="s")
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
        secretsmanager.tag_resource(SecretId="s", Tags=[{"Key": "aws:x", "Value": "v"}])
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
        secretsmanager.untag_resource(SecretId="s", TagKeys=["aws:x"])


def test_create_with_the_name_of_a_scheduled_secret_is_refused(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="doomed", SecretString="v")["ARN"]
    secretsmanager.delete_secret(SecretId="doomed")
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as error:
        secretsmanager.create_secret(Name="doomed", SecretString="other")
    assert error_of(error).message == NAME_SCHEDULED_FOR_DELETION_MESSAGE
    assert secretsmanager.describe_secret(SecretId="doomed")["ARN"] == arn


# --- restoring --------------------------------------------------------------------------------


def test_restore_clears_deleted_date_and_makes_the_secret_usable(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="doomed", SecretString="v")["ARN"]
    secretsmanager.delete_secret(SecretId="doomed")
    reply = secretsmanager.restore_secret(SecretId="doomed")
    assert (reply["ARN"], reply["Name"]) == (arn, "doomed")
    assert "DeletedDate" not in secretsmanager.describe_secret(SecretId="doomed")
    assert secretsmanager.get_secret_value(SecretId="doomed")["SecretString"] == "v"
    secretsmanager.tag_resource(SecretId="doomed", Tags=[{"Key": "k", "Value": "v"}])
    # And it can be scheduled again.
    secretsmanager.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    assert "DeletedDate" in secretsmanager.describe_secret(SecretId="doomed")


def test_restored_secret_can_be_tagged_again(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="old")
    secretsmanager.delete_secret(SecretId="old", RecoveryWindowInDays=7)
    secretsmanager.restore_secret(SecretId="old")
    secretsmanager.tag_resource(SecretId="old", Tags=tag_list({"b": "2"}))
    assert described_tags(secretsmanager, "old") == [("b", "2")]


def test_restore_of_a_missing_secret_is_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.restore_secret(SecretId="never-created")
