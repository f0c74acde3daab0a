"""Issue 8: where stubtags answered differently from recorded AWS, each checked end to end.

One section per item of the issue, through a real boto3 client. The evidence for each
behaviour (recorded / documented / inferred) is in the README's fidelity table.
"""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.handlers import generate_idempotent_uuid

from stubtags import (
    SUPPORTED_OPERATIONS,
    Backend,
    StubtagsError,
    UnsupportedMemberError,
    UnsupportedOperationError,
)
from stubtags.operations import OPERATIONS

REGION = "us-east-1"
ACCOUNT = "123456789012"


def token() -> str:
    return str(uuid.uuid4())


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def without_request_tokens(secretsmanager: Any) -> Any:
    """The secretsmanager, made to send requests as a raw caller would: no ClientRequestToken."""
    secretsmanager.meta.events.unregister("before-parameter-build", generate_idempotent_uuid)
    return secretsmanager


# ------------------------------------------ 2. a VersionStage that is not on the VersionId


def test_a_version_id_with_a_stage_it_does_not_carry_is_an_invalid_request(
    secretsmanager: Any,
) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    secretsmanager.put_secret_value(SecretId="s", SecretString="two")
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as caught:
        secretsmanager.get_secret_value(SecretId="s", VersionId=first, VersionStage="AWSCURRENT")
    assert error_of(caught) == (
        "InvalidRequestException",
        "You provided a VersionStage that is not associated to the provided VersionId.",
    )


def test_a_version_id_with_a_stage_it_carries_still_reads_it(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    secretsmanager.put_secret_value(SecretId="s", SecretString="two")
    reply = secretsmanager.get_secret_value(
        SecretId="s", VersionId=first, VersionStage="AWSPREVIOUS"
    )
    assert reply["SecretString"] == "one"


def test_an_unknown_version_id_with_a_stage_is_still_not_found(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_secret_value(SecretId="s", VersionId=token(), VersionStage="AWSCURRENT")


# ------------------------------------------- 3. forced delete of a missing or deleted secret


def test_force_deleting_a_secret_that_never_existed_succeeds(secretsmanager: Any) -> None:
    reply = secretsmanager.delete_secret(SecretId="never-created", ForceDeleteWithoutRecovery=True)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert reply["Name"] == "never-created"
    prefix = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:never-created-"
    assert reply["ARN"].startswith(prefix)
    assert len(reply["ARN"]) == len(prefix) + 6
    assert "DeletionDate" in reply
    assert secretsmanager.list_secrets(IncludePlannedDeletion=True)["SecretList"] == []


def test_force_deleting_an_already_deleted_secret_succeeds_with_its_arn(
    secretsmanager: Any,
) -> None:
    arn = secretsmanager.create_secret(Name="gone", SecretString="v")["ARN"]
    secretsmanager.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    again = secretsmanager.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    assert (again["Name"], again["ARN"]) == ("gone", arn)
    assert "DeletionDate" in again


def test_deleting_a_missing_secret_without_force_is_still_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.delete_secret(SecretId="never-created")


# ----------------------------------- 4. the window's range is judged before the force conflict


@pytest.mark.parametrize("days", [0, 6, 31])
def test_force_delete_with_a_window_outside_7_to_30_reports_the_range(
    secretsmanager: Any, days: int
) -> None:
    secretsmanager.create_secret(Name="kept", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as caught:
        secretsmanager.delete_secret(
            SecretId="kept", RecoveryWindowInDays=days, ForceDeleteWithoutRecovery=True
        )
    assert (
        "RecoveryWindowInDays value must be between 7 and 30 days (inclusive)"
        in (error_of(caught)[1])
    )


def test_force_delete_with_a_window_inside_7_to_30_reports_the_conflict(
    secretsmanager: Any,
) -> None:
    secretsmanager.create_secret(Name="kept", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as caught:
        secretsmanager.delete_secret(
            SecretId="kept", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True
        )
    assert (
        "ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays"
        in (error_of(caught)[1])
    )


# ------------------------------------------------ 5. a reused token with a different value


def _token_in_use(reused: str, arn: str) -> tuple[str, str]:
    return (
        "ResourceExistsException",
        f"You can't use ClientRequestToken {reused} because that value is already in use "
        f"for a version of secret {arn}.",
    )


def test_put_secret_value_reusing_a_token_for_another_value_names_token_and_arn(
    secretsmanager: Any,
) -> None:
    reused = token()
    arn = secretsmanager.create_secret(Name="s", SecretString="a", ClientRequestToken=reused)["ARN"]
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException) as caught:
        secretsmanager.put_secret_value(SecretId="s", SecretString="b", ClientRequestToken=reused)
    assert error_of(caught) == _token_in_use(reused, arn)


def test_update_secret_reusing_a_token_for_another_value_names_token_and_arn(
    secretsmanager: Any,
) -> None:
    reused = token()
    arn = secretsmanager.create_secret(Name="s", SecretString="a", ClientRequestToken=reused)["ARN"]
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException) as caught:
        secretsmanager.update_secret(SecretId="s", SecretString="b", ClientRequestToken=reused)
    assert error_of(caught) == _token_in_use(reused, arn)


def test_create_secret_retried_with_its_token_and_another_value_names_token_and_arn(
    secretsmanager: Any,
) -> None:
    reused = token()
    arn = secretsmanager.create_secret(Name="s", SecretString="a", ClientRequestToken=reused)["ARN"]
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException) as caught:
        secretsmanager.create_secret(Name="s", SecretString="b", ClientRequestToken=reused)
    assert error_of(caught) == _token_in_use(reused, arn)


# ---------------------------------------------------- 6. a request without ClientRequestToken

TOKEN_REQUIRED = (
    "InvalidRequestException",
    "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
)


def test_create_secret_without_a_token_is_refused_before_any_other_check(
    secretsmanager: Any,
) -> None:
    raw = without_request_tokens(secretsmanager)
    with pytest.raises(raw.exceptions.InvalidRequestException) as caught:
        raw.create_secret(Name="bad name", SecretString="v", Description="d" * 3000)
    assert error_of(caught) == TOKEN_REQUIRED
    with pytest.raises(raw.exceptions.InvalidRequestException) as caught:
        raw.create_secret(Name="no-value")
    assert error_of(caught) == TOKEN_REQUIRED
    assert raw.list_secrets()["SecretList"] == []


def test_put_secret_value_without_a_token_is_refused_before_any_other_check(
    secretsmanager: Any,
) -> None:
    raw = without_request_tokens(secretsmanager)
    with pytest.raises(raw.exceptions.InvalidRequestException) as caught:
        raw.put_secret_value(SecretId="missing", SecretString="v")
    assert error_of(caught) == TOKEN_REQUIRED


def test_update_secret_with_a_value_and_without_a_token_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="a")
    raw = without_request_tokens(secretsmanager)
    with pytest.raises(raw.exceptions.InvalidRequestException) as caught:
        raw.update_secret(SecretId="s", SecretString="b")
    assert error_of(caught) == TOKEN_REQUIRED
    raw.update_secret(SecretId="s", Description="metadata only needs no token")
    assert raw.get_secret_value(SecretId="s")["SecretString"] == "a"


def test_the_backend_helper_still_creates_secrets(stubtags: Backend, secretsmanager: Any) -> None:
    arn = stubtags.create_secret("seeded", secret_string="v")
    assert secretsmanager.get_secret_value(SecretId=arn)["SecretString"] == "v"


# --------------------------------------------------------------- 7. a filter without Key


@pytest.mark.parametrize("operation", ["list_secrets", "batch_get_secret_value"])
def test_a_filter_without_key_is_an_invalid_parameter(secretsmanager: Any, operation: str) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as caught:
        getattr(secretsmanager, operation)(Filters=[{"Values": ["s"]}])
    assert error_of(caught) == ("InvalidParameterException", "Invalid filter key")


# ----------------------------- 8. PutSecretValue without stages on a current+pending version


def test_put_without_stages_takes_pending_off_the_old_current_version(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    secretsmanager.update_secret_version_stage(
        SecretId="s", VersionStage="AWSPENDING", MoveToVersionId=first
    )
    second = secretsmanager.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    stages = secretsmanager.describe_secret(SecretId="s")["VersionIdsToStages"]
    assert stages == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}


def test_put_without_stages_leaves_pending_on_another_version(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    pending = secretsmanager.put_secret_value(
        SecretId="s", SecretString="two", VersionStages=["AWSPENDING"]
    )["VersionId"]
    third = secretsmanager.put_secret_value(SecretId="s", SecretString="three")["VersionId"]
    stages = secretsmanager.describe_secret(SecretId="s")["VersionIdsToStages"]
    assert stages == {first: ["AWSPREVIOUS"], pending: ["AWSPENDING"], third: ["AWSCURRENT"]}


# ------------------------------------------------- 9. the first version gets AWSCURRENT


def test_the_first_version_gets_awscurrent_even_when_put_names_only_awspending(
    secretsmanager: Any,
) -> None:
    secretsmanager.create_secret(Name="s")
    reply = secretsmanager.put_secret_value(
        SecretId="s", SecretString="v", VersionStages=["AWSPENDING"]
    )
    assert sorted(reply["VersionStages"]) == ["AWSCURRENT", "AWSPENDING"]
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_a_later_version_named_awspending_does_not_get_awscurrent(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    reply = secretsmanager.put_secret_value(
        SecretId="s", SecretString="v", VersionStages=["AWSPENDING"]
    )
    assert reply["VersionStages"] == ["AWSPENDING"]
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "one"


# ------------------------------------------------------- 10. CreateSecret with Description=""


def test_an_empty_description_leaves_describe_secret_without_description(
    secretsmanager: Any,
) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v", Description="")
    assert "Description" not in secretsmanager.describe_secret(SecretId="s")
    assert "Description" not in secretsmanager.list_secrets()["SecretList"][0]


# ------------------------------------------------------ 11. how the `all` filter splits words


def all_filter(secretsmanager: Any, value: str) -> set[str]:
    reply = secretsmanager.list_secrets(Filters=[{"Key": "all", "Values": [value]}])
    return {entry["Name"] for entry in reply["SecretList"]}


def test_all_splits_a_name_at_case_changes_digits_and_punctuation(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="credsDatabase892", SecretString="v")
    secretsmanager.create_secret(Name="other", SecretString="v", Description="credsDatabase#892")
    for value in ("creds", "Database", "database", "892", "credsDatabase/892", "DATA"):
        assert all_filter(secretsmanager, value) == {"credsDatabase892", "other"}, value
    assert all_filter(secretsmanager, "sdatabase") == set()  # not a word start
    assert all_filter(secretsmanager, "creds892") == {"credsDatabase892", "other"}  # creds, 892


def test_all_finds_a_camel_case_part_of_a_path(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="prod/AppBeta/x", SecretString="v")
    assert all_filter(secretsmanager, "Beta") == {"prod/AppBeta/x"}
    assert all_filter(secretsmanager, "app") == {"prod/AppBeta/x"}
    assert all_filter(secretsmanager, "eta") == set()


def test_all_starts_a_word_at_the_last_capital_before_lower_case(secretsmanager: Any) -> None:
    secretsmanager.create_secret(
        Name="x", SecretString="v", Tags=[{"Key": "COMPANYthings", "Value": ""}]
    )
    assert all_filter(secretsmanager, "Ythings") == {"x"}
    assert all_filter(secretsmanager, "compan") == {"x"}
    assert all_filter(secretsmanager, "company") == set()


# ------------------------------------------ 12. the space is not a required character type


def test_include_space_with_each_type_required_needs_only_four_characters(
    secretsmanager: Any,
) -> None:
    for _ in range(10):
        password = secretsmanager.get_random_password(
            PasswordLength=4, IncludeSpace=True, RequireEachIncludedType=True
        )["RandomPassword"]
        assert len(password) == 4
        assert " " not in password  # one of each of the four required types


def test_include_space_can_still_put_spaces_in_a_password(secretsmanager: Any) -> None:
    passwords = [
        secretsmanager.get_random_password(PasswordLength=200, IncludeSpace=True)["RandomPassword"]
        for _ in range(3)
    ]
    assert any(" " in password for password in passwords)


# ---------------------------------------------- 13. members stubtags would ignore are refused


def test_create_secret_with_type_is_refused_loudly(secretsmanager: Any) -> None:
    with pytest.raises(UnsupportedMemberError) as caught:
        secretsmanager.create_secret(Name="s", SecretString="v", Type="partner")
    assert (caught.value.operation, caught.value.member) == ("CreateSecret", "Type")
    assert "'Type'" in str(caught.value) and "CreateSecret" in str(caught.value)
    assert isinstance(caught.value, StubtagsError)
    assert isinstance(caught.value, NotImplementedError)
    assert secretsmanager.list_secrets()["SecretList"] == []


def test_update_secret_with_type_is_refused_loudly(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(UnsupportedMemberError) as caught:
        secretsmanager.update_secret(SecretId="s", SecretString="w", Type="partner")
    assert (caught.value.operation, caught.value.member) == ("UpdateSecret", "Type")
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_put_secret_value_with_rotation_token_is_refused_loudly(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(UnsupportedMemberError) as caught:
        secretsmanager.put_secret_value(SecretId="s", SecretString="w", RotationToken="r" * 36)
    assert (caught.value.operation, caught.value.member) == ("PutSecretValue", "RotationToken")
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "v"


# What each supported operation reads from its request. A member the model gains later
# fails the test below until someone decides: honour it, or refuse it loudly.
READ_MEMBERS: dict[str, set[str]] = {
    "BatchGetSecretValue": {"SecretIdList", "Filters", "MaxResults", "NextToken"},
    "CreateSecret": {
        "Name",
        "ClientRequestToken",
        "Description",
        "KmsKeyId",
        "SecretBinary",
        "SecretString",
        "Tags",
        "AddReplicaRegions",
        "ForceOverwriteReplicaSecret",
    },
    "DeleteResourcePolicy": {"SecretId"},
    "DeleteSecret": {"SecretId", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery"},
    "DescribeSecret": {"SecretId"},
    "GetRandomPassword": {
        "PasswordLength",
        "ExcludeCharacters",
        "ExcludeNumbers",
        "ExcludePunctuation",
        "ExcludeUppercase",
        "ExcludeLowercase",
        "IncludeSpace",
        "RequireEachIncludedType",
    },
    "GetResourcePolicy": {"SecretId"},
    "GetSecretValue": {"SecretId", "VersionId", "VersionStage"},
    "ListSecretVersionIds": {"SecretId", "MaxResults", "NextToken", "IncludeDeprecated"},
    "ListSecrets": {
        "IncludePlannedDeletion",
        "MaxResults",
        "NextToken",
        "Filters",
        "SortOrder",
        "SortBy",
    },
    "PutResourcePolicy": {"SecretId", "ResourcePolicy", "BlockPublicPolicy"},
    "PutSecretValue": {
        "SecretId",
        "ClientRequestToken",
        "SecretBinary",
        "SecretString",
        "VersionStages",
    },
    "RestoreSecret": {"SecretId"},
    "TagResource": {"SecretId", "Tags"},
    "UntagResource": {"SecretId", "TagKeys"},
    "UpdateSecret": {
        "SecretId",
        "ClientRequestToken",
        "Description",
        "KmsKeyId",
        "SecretBinary",
        "SecretString",
    },
    "UpdateSecretVersionStage": {
        "SecretId",
        "VersionStage",
        "RemoveFromVersionId",
        "MoveToVersionId",
    },
    "ValidateResourcePolicy": {"SecretId", "ResourcePolicy"},
}
READ_MEMBERS.update(
    {
        "RotateSecret": {
            "SecretId",
            "ClientRequestToken",
            "RotationLambdaARN",
            "RotationRules",
            "RotateImmediately",
        },
        "CancelRotateSecret": {"SecretId"},
        "ReplicateSecretToRegions": {
            "SecretId",
            "AddReplicaRegions",
            "ForceOverwriteReplicaSecret",
        },
        "RemoveRegionsFromReplication": {"SecretId", "RemoveReplicaRegions"},
        "StopReplicationToReplica": {"SecretId"},
    }
)

REFUSED_MEMBERS: dict[str, set[str]] = {
    "RotateSecret": {"ExternalSecretRotationMetadata", "ExternalSecretRotationRoleArn"},
    "CreateSecret": {"Type"},
    "UpdateSecret": {"Type"},
    "PutSecretValue": {"RotationToken"},
}


@pytest.mark.parametrize("operation", SUPPORTED_OPERATIONS)
def test_every_member_of_every_supported_operation_is_read_or_refused(operation: str) -> None:
    model = botocore.session.get_session().get_service_model("secretsmanager")
    shape = model.operation_model(operation).input_shape
    declared = set(shape.members) if shape is not None else set()
    audited = READ_MEMBERS.get(operation, set()) | REFUSED_MEMBERS.get(operation, set())
    assert declared == audited, f"{operation}: audit {sorted(declared ^ audited)}"


# ------------------------- 14. an unsupported operation with client-side validation off


def test_a_malformed_unsupported_call_without_client_validation_is_unsupported(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(OPERATIONS, "RotateSecret")  # every operation is supported now
    raw = boto3.client(
        "secretsmanager", region_name=REGION, config=Config(parameter_validation=False)
    )
    with pytest.raises(UnsupportedOperationError) as caught:
        raw.rotate_secret()  # SecretId is required: the service would refuse it first
    assert caught.value.operation == "RotateSecret"
    with pytest.raises(UnsupportedOperationError):
        raw.rotate_secret(SecretId=17, RotationRules={"AutomaticallyAfterDays": "x"})
