"""Secret values through boto3: versions and staging labels, batch reads, random passwords
and resource policies.
"""

from __future__ import annotations

import json
import string
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

REGION = "us-east-1"
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def code_of(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def token() -> str:
    return str(uuid.uuid4())


def stages_of(client: Any, secret_id: str) -> dict[str, list[str]]:
    """VersionIdsToStages with each label list sorted: the order of labels is not specified."""
    described = client.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})
    return {version: sorted(labels) for version, labels in described.items()}


def three_versions(client: Any, name: str = "s") -> tuple[str, str, str]:
    """A secret whose value was set three times: one, two, three (current)."""
    first = client.create_secret(Name=name, SecretString="one")["VersionId"]
    second = client.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
    third = client.put_secret_value(SecretId=name, SecretString="three")["VersionId"]
    return first, second, third


# ---------------------------------------------------------------------------- GetSecretValue


def test_get_by_version_id_and_by_stage(client: Any) -> None:
    _, second, third = three_versions(client)
    assert client.get_secret_value(SecretId="s")["SecretString"] == "three"
    current = client.get_secret_value(SecretId="s", VersionStage="AWSCURRENT")
    assert (current["VersionId"], current["SecretString"]) == (third, "three")
    assert current["VersionStages"] == ["AWSCURRENT"]
    previous = client.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    assert (previous["VersionId"], previous["SecretString"]) == (second, "two")
    assert previous["VersionStages"] == ["AWSPREVIOUS"]
    by_id = client.get_secret_value(SecretId="s", VersionId=second)
    assert by_id["SecretString"] == "two"
    both = client.get_secret_value(SecretId="s", VersionId=second, VersionStage="AWSPREVIOUS")
    assert both["SecretString"] == "two"


def test_deprecated_version_is_still_readable_by_id(client: Any) -> None:
    first, _, _ = three_versions(client)
    assert first not in stages_of(client, "s")
    assert client.get_secret_value(SecretId="s", VersionId=first)["SecretString"] == "one"


def test_version_id_with_a_stage_it_does_not_carry_is_refused(client: Any) -> None:
    _, second, _ = three_versions(client)
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.get_secret_value(SecretId="s", VersionId=second, VersionStage="AWSCURRENT")


def test_missing_version_or_stage_is_not_found(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_secret_value(SecretId="s", VersionId=token())
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_secret_value(SecretId="s", VersionStage="NOPE")


def test_get_of_a_missing_secret_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_secret_value(SecretId="never-created")


@pytest.mark.parametrize("payload", [b"\x00\x01\xfe\xff", bytes(range(256)), b"plain"])
def test_secret_binary_round_trips_as_bytes(client: Any, payload: bytes) -> None:
    client.create_secret(Name="bin", SecretBinary=payload)
    reply = client.get_secret_value(SecretId="bin")
    assert reply["SecretBinary"] == payload
    assert isinstance(reply["SecretBinary"], bytes)
    assert "SecretString" not in reply
    client.put_secret_value(SecretId="bin", SecretBinary=payload[::-1])
    assert client.get_secret_value(SecretId="bin")["SecretBinary"] == payload[::-1]


def test_string_reply_has_no_binary(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    assert "SecretBinary" not in client.get_secret_value(SecretId="s")


def test_last_accessed_date_is_set_by_a_read_and_rounded_to_the_day(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    assert "LastAccessedDate" not in client.describe_secret(SecretId="s")
    day_before = datetime.now(timezone.utc).date()
    client.get_secret_value(SecretId="s")
    day_after = datetime.now(timezone.utc).date()
    accessed = client.describe_secret(SecretId="s")["LastAccessedDate"].astimezone(timezone.utc)
    assert accessed.date() in {day_before, day_after}
    assert (accessed.hour, accessed.minute, accessed.second, accessed.microsecond) == (0, 0, 0, 0)
    listed = client.list_secrets()["SecretList"][0]
    assert listed["LastAccessedDate"] == accessed


def test_describe_does_not_count_as_an_access(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    client.describe_secret(SecretId="s")
    client.list_secrets()
    assert "LastAccessedDate" not in client.describe_secret(SecretId="s")


# ---------------------------------------------------------------------------- PutSecretValue


def test_put_with_custom_stages_leaves_awscurrent_alone(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    reply = client.put_secret_value(
        SecretId="s", SecretString="staged", VersionStages=["STAGING", "QA"]
    )
    assert sorted(reply["VersionStages"]) == ["QA", "STAGING"]
    staged = reply["VersionId"]
    assert stages_of(client, "s") == {first: ["AWSCURRENT"], staged: ["QA", "STAGING"]}
    assert client.get_secret_value(SecretId="s")["SecretString"] == "one"
    assert client.get_secret_value(SecretId="s", VersionStage="QA")["SecretString"] == "staged"


def test_put_moves_a_custom_stage_off_its_old_version(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    a = client.put_secret_value(SecretId="s", SecretString="a", VersionStages=["STAGING"])
    b = client.put_secret_value(SecretId="s", SecretString="b", VersionStages=["STAGING"])
    assert stages_of(client, "s") == {first: ["AWSCURRENT"], b["VersionId"]: ["STAGING"]}
    versions = client.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)["Versions"]
    assert a["VersionId"] in {v["VersionId"] for v in versions}


def test_put_with_awscurrent_makes_the_old_one_awsprevious(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    second = client.put_secret_value(SecretId="s", SecretString="two")
    assert second["VersionStages"] == ["AWSCURRENT"]
    assert stages_of(client, "s") == {first: ["AWSPREVIOUS"], second["VersionId"]: ["AWSCURRENT"]}


def test_put_without_a_value_is_refused(client: Any) -> None:
    client.create_secret(Name="s", SecretString="one")
    with pytest.raises(ClientError) as error:
        client.put_secret_value(SecretId="s")
    assert code_of(error) in {"InvalidParameterException", "InvalidRequestException"}
    assert len(stages_of(client, "s")) == 1


# ---------------------------------------------------------------------- ListSecretVersionIds


def test_list_versions_hides_deprecated_unless_asked(client: Any) -> None:
    first, second, third = three_versions(client)
    listed = client.list_secret_version_ids(SecretId="s")
    assert {v["VersionId"]: v["VersionStages"] for v in listed["Versions"]} == {
        second: ["AWSPREVIOUS"],
        third: ["AWSCURRENT"],
    }
    assert listed["Name"] == "s"
    everything = client.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)["Versions"]
    assert {v["VersionId"] for v in everything} == {first, second, third}
    deprecated = next(v for v in everything if v["VersionId"] == first)
    assert "VersionStages" not in deprecated or deprecated["VersionStages"] == []
    for version in everything:
        assert isinstance(version["CreatedDate"], datetime)


def test_list_versions_pages(client: Any) -> None:
    ids = set(three_versions(client))
    ids.add(client.put_secret_value(SecretId="s", SecretString="four")["VersionId"])
    seen: list[str] = []
    kwargs: dict[str, Any] = {"SecretId": "s", "IncludeDeprecated": True, "MaxResults": 1}
    while True:
        page = client.list_secret_version_ids(**kwargs)
        assert len(page["Versions"]) <= 1
        seen += [v["VersionId"] for v in page["Versions"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == sorted(ids)


def test_list_versions_garbage_token_is_refused(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    with pytest.raises(client.exceptions.InvalidNextTokenException):
        client.list_secret_version_ids(SecretId="s", NextToken="garbage")


def test_list_versions_shows_last_accessed_of_the_version_read(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    second = client.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    client.get_secret_value(SecretId="s", VersionId=first)
    versions = {v["VersionId"]: v for v in client.list_secret_version_ids(SecretId="s")["Versions"]}
    assert "LastAccessedDate" in versions[first]
    assert "LastAccessedDate" not in versions[second]


# ------------------------------------------------------------------ UpdateSecretVersionStage


def test_move_awscurrent_with_remove_from_makes_old_one_awsprevious(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    staged = client.put_secret_value(SecretId="s", SecretString="two", VersionStages=["STAGING"])[
        "VersionId"
    ]
    client.update_secret_version_stage(
        SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=staged, RemoveFromVersionId=first
    )
    assert stages_of(client, "s") == {first: ["AWSPREVIOUS"], staged: ["AWSCURRENT", "STAGING"]}
    assert client.get_secret_value(SecretId="s")["SecretString"] == "two"


def test_roll_back_awscurrent_to_awsprevious(client: Any) -> None:
    _, second, third = three_versions(client)
    client.update_secret_version_stage(
        SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=second, RemoveFromVersionId=third
    )
    assert stages_of(client, "s") == {second: ["AWSCURRENT"], third: ["AWSPREVIOUS"]}


def test_moving_awscurrent_without_remove_from_is_refused(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    staged = client.put_secret_value(SecretId="s", SecretString="two", VersionStages=["STAGING"])[
        "VersionId"
    ]
    before = stages_of(client, "s")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.update_secret_version_stage(
            SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=staged
        )
    assert stages_of(client, "s") == before == {first: ["AWSCURRENT"], staged: ["STAGING"]}


def test_remove_from_a_version_that_does_not_hold_the_label_is_refused(client: Any) -> None:
    _, second, third = three_versions(client)
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.update_secret_version_stage(
            SecretId="s",
            VersionStage="AWSCURRENT",
            MoveToVersionId=second,
            RemoveFromVersionId=second,
        )
    assert stages_of(client, "s") == {second: ["AWSPREVIOUS"], third: ["AWSCURRENT"]}


def test_attach_and_detach_a_custom_label(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    client.update_secret_version_stage(SecretId="s", VersionStage="BLUE", MoveToVersionId=first)
    assert stages_of(client, "s") == {first: ["AWSCURRENT", "BLUE"]}
    assert client.get_secret_value(SecretId="s", VersionStage="BLUE")["VersionId"] == first
    client.update_secret_version_stage(SecretId="s", VersionStage="BLUE", RemoveFromVersionId=first)
    assert stages_of(client, "s") == {first: ["AWSCURRENT"]}


def test_move_to_a_missing_version_is_not_found(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one")["VersionId"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_secret_version_stage(
            SecretId="s",
            VersionStage="AWSCURRENT",
            MoveToVersionId=token(),
            RemoveFromVersionId=first,
        )
    assert stages_of(client, "s") == {first: ["AWSCURRENT"]}


# ----------------------------------------------------------------------- BatchGetSecretValue


def test_batch_by_id_list_reports_missing_ids_as_errors(client: Any) -> None:
    a = client.create_secret(Name="a", SecretString="va")["ARN"]
    client.create_secret(Name="b", SecretString="vb")
    reply = client.batch_get_secret_value(SecretIdList=[a, "b", "missing"])
    values = {v["Name"]: v["SecretString"] for v in reply["SecretValues"]}
    assert values == {"a": "va", "b": "vb"}
    assert len(reply["Errors"]) == 1
    error = reply["Errors"][0]
    assert error["SecretId"] == "missing"
    assert error["ErrorCode"] == "ResourceNotFoundException"
    assert error["Message"]
    for value in reply["SecretValues"]:
        assert value["VersionStages"] == ["AWSCURRENT"]


def test_batch_by_filters_pages_through_matches(client: Any) -> None:
    wanted = {f"app/{n}": f"value-{n}" for n in range(5)}
    for name, value in wanted.items():
        client.create_secret(Name=name, SecretString=value)
    client.create_secret(Name="other", SecretString="x")
    seen: dict[str, str] = {}
    kwargs: dict[str, Any] = {"Filters": [{"Key": "name", "Values": ["app/"]}], "MaxResults": 2}
    pages = 0
    while True:
        page = client.batch_get_secret_value(**kwargs)
        pages += 1
        assert len(page["SecretValues"]) <= 2
        for value in page["SecretValues"]:
            assert value["Name"] not in seen
            seen[value["Name"]] = value["SecretString"]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == wanted
    assert pages == 3


def test_batch_with_both_or_neither_selector_is_refused(client: Any) -> None:
    client.create_secret(Name="a", SecretString="va")
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.batch_get_secret_value(
            SecretIdList=["a"], Filters=[{"Key": "name", "Values": ["a"]}]
        )
    with pytest.raises(client.exceptions.InvalidParameterException):
        client.batch_get_secret_value()


def test_batch_max_results_over_20_is_a_validation_error(client: Any) -> None:
    with pytest.raises(ClientError) as error:
        client.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["a"]}], MaxResults=21)
    assert code_of(error) == "ValidationException"


def test_batch_read_counts_as_an_access(client: Any) -> None:
    client.create_secret(Name="a", SecretString="va")
    client.batch_get_secret_value(SecretIdList=["a"])
    assert "LastAccessedDate" in client.describe_secret(SecretId="a")


# ------------------------------------------------------------------------- GetRandomPassword


def test_random_password_default_is_32_chars_without_space(client: Any) -> None:
    password = client.get_random_password()["RandomPassword"]
    assert len(password) == 32
    assert " " not in password
    assert set(password) <= set(string.ascii_letters + string.digits + PUNCTUATION)


@pytest.mark.parametrize("length", [1, 4, 17, 128, 4096])
def test_random_password_length(client: Any, length: int) -> None:
    reply = client.get_random_password(PasswordLength=length, RequireEachIncludedType=False)
    assert len(reply["RandomPassword"]) == length


@pytest.mark.parametrize(
    ("option", "forbidden"),
    [
        ("ExcludeUppercase", string.ascii_uppercase),
        ("ExcludeLowercase", string.ascii_lowercase),
        ("ExcludeNumbers", string.digits),
        ("ExcludePunctuation", PUNCTUATION),
    ],
)
def test_random_password_exclude_switches(client: Any, option: str, forbidden: str) -> None:
    for _ in range(5):
        password = client.get_random_password(PasswordLength=200, **{option: True})[
            "RandomPassword"
        ]
        assert len(password) == 200
        assert not set(password) & set(forbidden)


def test_random_password_exclude_characters(client: Any) -> None:
    excluded = "aeiouAEIOU0123!@#"
    for _ in range(5):
        password = client.get_random_password(PasswordLength=300, ExcludeCharacters=excluded)
        assert not set(password["RandomPassword"]) & set(excluded)


def test_random_password_include_space_with_each_type_required(client: Any) -> None:
    for _ in range(5):
        password = client.get_random_password(
            PasswordLength=4, IncludeSpace=True, RequireEachIncludedType=True
        )["RandomPassword"]
        assert len(password) == 4


def test_random_password_requires_each_included_type(client: Any) -> None:
    groups = [string.ascii_uppercase, string.ascii_lowercase, string.digits, PUNCTUATION]
    for _ in range(20):
        password = client.get_random_password(PasswordLength=4, RequireEachIncludedType=True)[
            "RandomPassword"
        ]
        assert all(set(password) & set(group) for group in groups), password


def test_random_password_only_one_type_left(client: Any) -> None:
    password = client.get_random_password(
        PasswordLength=50,
        ExcludeUppercase=True,
        ExcludeLowercase=True,
        ExcludePunctuation=True,
    )["RandomPassword"]
    assert password.isdigit()
    assert len(password) == 50


def test_random_password_length_limits(client: Any) -> None:
    with pytest.raises(ClientError) as error:
        client.get_random_password(PasswordLength=4097)
    assert code_of(error) == "ValidationException"
    with pytest.raises(ParamValidationError):
        client.get_random_password(PasswordLength=0)


# ------------------------------------------------------------------------ resource policies


def policy(**statement: Any) -> str:
    base = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    base.update(statement)
    return json.dumps({"Version": "2012-10-17", "Statement": [base]})


def test_put_get_delete_resource_policy(client: Any) -> None:
    arn = client.create_secret(Name="s", SecretString="v")["ARN"]
    assert "ResourcePolicy" not in client.get_resource_policy(SecretId="s")
    document = policy()
    reply = client.put_resource_policy(SecretId="s", ResourcePolicy=document)
    assert (reply["ARN"], reply["Name"]) == (arn, "s")
    got = client.get_resource_policy(SecretId="s")
    assert json.loads(got["ResourcePolicy"]) == json.loads(document)
    assert got["ARN"] == arn
    client.delete_resource_policy(SecretId="s")
    assert "ResourcePolicy" not in client.get_resource_policy(SecretId="s")


def test_resource_policy_of_a_missing_secret_is_not_found(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.put_resource_policy(SecretId="missing", ResourcePolicy=policy())
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_resource_policy(SecretId="missing")


def test_validate_resource_policy_valid(client: Any) -> None:
    reply = client.validate_resource_policy(ResourcePolicy=policy())
    assert reply["PolicyValidationPassed"] is True
    assert reply.get("ValidationErrors", []) == []


@pytest.mark.parametrize(
    "document",
    [
        policy(Effect="Maybe"),
        json.dumps({"Version": "2012-10-17"}),
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}),
        "{not json",
    ],
)
def test_validate_resource_policy_broken(client: Any, document: str) -> None:
    reply = client.validate_resource_policy(ResourcePolicy=document)
    assert reply["PolicyValidationPassed"] is False
    assert reply["ValidationErrors"]
    for error in reply["ValidationErrors"]:
        assert error["ErrorMessage"]


def test_validate_resource_policy_for_a_secret(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    reply = client.validate_resource_policy(SecretId="s", ResourcePolicy=policy())
    assert reply["PolicyValidationPassed"] is True
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.validate_resource_policy(SecretId="missing", ResourcePolicy=policy())


def test_put_invalid_json_policy_is_malformed(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    with pytest.raises(client.exceptions.MalformedPolicyDocumentException):
        client.put_resource_policy(SecretId="s", ResourcePolicy="{not json")
    assert "ResourcePolicy" not in client.get_resource_policy(SecretId="s")


def test_block_public_policy_refuses_a_wildcard_principal(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    public = policy(Principal="*")
    with pytest.raises(ClientError) as error:
        client.put_resource_policy(SecretId="s", ResourcePolicy=public, BlockPublicPolicy=True)
    assert code_of(error) == "PublicPolicyException"
    assert "ResourcePolicy" not in client.get_resource_policy(SecretId="s")
    # Without the block the same document is stored.
    client.put_resource_policy(SecretId="s", ResourcePolicy=public)
    assert json.loads(client.get_resource_policy(SecretId="s")["ResourcePolicy"]) == json.loads(
        public
    )


def test_block_public_policy_accepts_a_named_principal(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    client.put_resource_policy(SecretId="s", ResourcePolicy=policy(), BlockPublicPolicy=True)
    assert "ResourcePolicy" in client.get_resource_policy(SecretId="s")


def test_block_public_policy_ignores_a_public_deny(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    deny = policy(Effect="Deny", Principal="*")
    client.put_resource_policy(SecretId="s", ResourcePolicy=deny, BlockPublicPolicy=True)
    assert "ResourcePolicy" in client.get_resource_policy(SecretId="s")


def test_batch_by_filters_leaves_out_secrets_scheduled_for_deletion(client: Any) -> None:
    client.create_secret(Name="app-live", SecretString="a")
    client.create_secret(Name="app-gone", SecretString="b")
    client.delete_secret(SecretId="app-gone")
    reply = client.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["app-"]}])
    assert [v["Name"] for v in reply["SecretValues"]] == ["app-live"]
    assert reply["Errors"] == []
