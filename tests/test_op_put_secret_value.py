"""PutSecretValue end to end through boto3: staging labels on the new version, and the
idempotent ClientRequestToken.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.helpers import (
    error_code,
    request_token,
    stages_of,
)

# --- staging labels ---------------------------------------------------------------------------


def test_put_with_custom_stages_leaves_awscurrent_alone(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    reply = secretsmanager.put_secret_value(
        SecretId="s", SecretString="staged", VersionStages=["STAGING", "QA"]
    )
    assert sorted(reply["VersionStages"]) == ["QA", "STAGING"]
    staged = reply["VersionId"]
    assert stages_of(secretsmanager, "s") == {first: ["AWSCURRENT"], staged: ["QA", "STAGING"]}
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "one"
    assert (
        secretsmanager.get_secret_value(SecretId="s", VersionStage="QA")["SecretString"] == "staged"
    )


def test_put_moves_a_custom_stage_off_its_old_version(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    a = secretsmanager.put_secret_value(SecretId="s", SecretString="a", VersionStages=["STAGING"])
    b = secretsmanager.put_secret_value(SecretId="s", SecretString="b", VersionStages=["STAGING"])
    assert stages_of(secretsmanager, "s") == {first: ["AWSCURRENT"], b["VersionId"]: ["STAGING"]}
    versions = secretsmanager.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)[
        "Versions"
    ]
    assert a["VersionId"] in {v["VersionId"] for v in versions}


def test_put_with_awscurrent_makes_the_old_one_awsprevious(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    second = secretsmanager.put_secret_value(SecretId="s", SecretString="two")
    assert second["VersionStages"] == ["AWSCURRENT"]
    assert stages_of(secretsmanager, "s") == {
        first: ["AWSPREVIOUS"],
        second["VersionId"]: ["AWSCURRENT"],
    }


def test_put_without_a_value_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    with pytest.raises(ClientError) as error:
        secretsmanager.put_secret_value(SecretId="s")
    assert error_code(error) in {"InvalidParameterException", "InvalidRequestException"}
    assert len(stages_of(secretsmanager, "s")) == 1


# --- ClientRequestToken -----------------------------------------------------------------------


def test_put_secret_value_retry_with_same_token_and_value_is_ignored(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    request = request_token()
    first = secretsmanager.put_secret_value(
        SecretId="s", SecretString="two", ClientRequestToken=request
    )
    versions = stages_of(secretsmanager, "s")
    again = secretsmanager.put_secret_value(
        SecretId="s", SecretString="two", ClientRequestToken=request
    )
    assert first["VersionId"] == again["VersionId"] == request
    assert stages_of(secretsmanager, "s") == versions
    assert len(versions) == 2


def test_put_secret_value_same_token_other_value_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    request = request_token()
    secretsmanager.put_secret_value(SecretId="s", SecretString="two", ClientRequestToken=request)
    versions = stages_of(secretsmanager, "s")
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException):
        secretsmanager.put_secret_value(
            SecretId="s", SecretString="three", ClientRequestToken=request
        )
    assert stages_of(secretsmanager, "s") == versions
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "two"


@pytest.mark.parametrize(
    ("member", "value", "where"),
    [
        ("SecretString", "s3cr3t-" * 10_000, "secretString"),
        ("SecretBinary", b"s3cr3t-" * 10_000, "secretBinary"),
    ],
)
def test_a_too_long_value_is_refused_naming_the_member_not_the_value(
    secretsmanager: Any, member: str, value: str | bytes, where: str
) -> None:
    """SecretString and SecretBinary are sensitive in the model: the message leaves the
    value out, as the service's validation does for sensitive members."""
    secretsmanager.create_secret(Name="db", SecretString="first")
    with pytest.raises(ClientError) as refused:
        secretsmanager.put_secret_value(SecretId="db", **{member: value})
    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == (
        f"1 validation error detected: Value at '{where}' failed to satisfy constraint: "
        "Member must have length less than or equal to 65536"
    )
