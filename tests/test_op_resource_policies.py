"""Put/Get/Delete/ValidateResourcePolicy end to end through boto3: storing a policy, the
validation verdicts, and BlockPublicPolicy.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.helpers import (
    error_code,
)


def policy(**statement: Any) -> str:
    base = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    base.update(statement)
    return json.dumps({"Version": "2012-10-17", "Statement": [base]})


# --- storing a policy -------------------------------------------------------------------------


def test_put_get_delete_resource_policy(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="s", SecretString="v")["ARN"]
    assert "ResourcePolicy" not in secretsmanager.get_resource_policy(SecretId="s")
    document = policy()
    reply = secretsmanager.put_resource_policy(SecretId="s", ResourcePolicy=document)
    assert (reply["ARN"], reply["Name"]) == (arn, "s")
    got = secretsmanager.get_resource_policy(SecretId="s")
    assert json.loads(got["ResourcePolicy"]) == json.loads(document)
    assert got["ARN"] == arn
    secretsmanager.delete_resource_policy(SecretId="s")
    assert "ResourcePolicy" not in secretsmanager.get_resource_policy(SecretId="s")


def test_resource_policy_of_a_missing_secret_is_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.put_resource_policy(SecretId="missing", ResourcePolicy=policy())
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_resource_policy(SecretId="missing")


def test_put_invalid_json_policy_is_malformed(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.MalformedPolicyDocumentException):
        secretsmanager.put_resource_policy(SecretId="s", ResourcePolicy="{not json")
    assert "ResourcePolicy" not in secretsmanager.get_resource_policy(SecretId="s")


def test_a_bad_policy_is_refused_alike_on_every_call(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    bad = policy(Effect="Permit")
    messages = []
    for _ in range(2):
        with pytest.raises(secretsmanager.exceptions.MalformedPolicyDocumentException) as caught:
            secretsmanager.put_resource_policy(SecretId="s", ResourcePolicy=bad)
        messages.append(caught.value.response["Error"]["Message"])
    assert messages[0] == messages[1]
    assert "Effect" in messages[0]
    assert "ResourcePolicy" not in secretsmanager.get_resource_policy(SecretId="s")


# --- ValidateResourcePolicy -------------------------------------------------------------------


def test_validate_resource_policy_valid(secretsmanager: Any) -> None:
    reply = secretsmanager.validate_resource_policy(ResourcePolicy=policy())
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
def test_validate_resource_policy_broken(secretsmanager: Any, document: str) -> None:
    reply = secretsmanager.validate_resource_policy(ResourcePolicy=document)
    assert reply["PolicyValidationPassed"] is False
    assert reply["ValidationErrors"]
    for error in reply["ValidationErrors"]:
        assert error["ErrorMessage"]


def test_validate_resource_policy_for_a_secret(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    reply = secretsmanager.validate_resource_policy(SecretId="s", ResourcePolicy=policy())
    assert reply["PolicyValidationPassed"] is True
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.validate_resource_policy(SecretId="missing", ResourcePolicy=policy())


# --- BlockPublicPolicy ------------------------------------------------------------------------


def test_block_public_policy_refuses_a_wildcard_principal(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    public = policy(Principal="*")
    with pytest.raises(ClientError) as error:
        secretsmanager.put_resource_policy(
            SecretId="s", ResourcePolicy=public, BlockPublicPolicy=True
        )
    assert error_code(error) == "PublicPolicyException"
    assert "ResourcePolicy" not in secretsmanager.get_resource_policy(SecretId="s")
    # Without the block the same document is stored.
    secretsmanager.put_resource_policy(SecretId="s", ResourcePolicy=public)
    assert json.loads(
        secretsmanager.get_resource_policy(SecretId="s")["ResourcePolicy"]
    ) == json.loads(public)


def test_block_public_policy_accepts_a_named_principal(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    secretsmanager.put_resource_policy(
        SecretId="s", ResourcePolicy=policy(), BlockPublicPolicy=True
    )
    assert "ResourcePolicy" in secretsmanager.get_resource_policy(SecretId="s")


def test_block_public_policy_ignores_a_public_deny(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    deny = policy(Effect="Deny", Principal="*")
    secretsmanager.put_resource_policy(SecretId="s", ResourcePolicy=deny, BlockPublicPolicy=True)
    assert "ResourcePolicy" in secretsmanager.get_resource_policy(SecretId="s")
