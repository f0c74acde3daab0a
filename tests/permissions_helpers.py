"""What the permissions tests share: policy builders, clients per principal, denials.

The messages are written out in full, in the words recorded from AWS ("Troubleshoot
access denied error messages" in the IAM user guide gives the explicit-deny and
cross-account endings), not imported from stubtags, so a change of wording is caught.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Principal

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "us-east-1"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
BOB_ELSEWHERE = f"arn:aws:iam::{OTHER_ACCOUNT}:user/bob"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/Deployer/ci-run"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Deployer"


def statement(
    actions: str | list[str], resource: str | list[str] = "*", effect: str = "Allow", **extra: Any
) -> dict[str, Any]:
    return {"Effect": effect, "Action": actions, "Resource": resource, **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(
    actions: str | list[str], resource: str | list[str] = "*", **extra: Any
) -> dict[str, Any]:
    """An identity-based policy of one Allow statement."""
    return policy(statement(actions, resource, **extra))


def resource_policy(*statements: dict[str, Any]) -> str:
    return json.dumps(policy(*statements))


def client_for(principal: Principal, region: str = REGION) -> Any:
    return boto3.client("secretsmanager", region_name=region, **principal.credentials)


def denial(caught: pytest.ExceptionInfo[ClientError]) -> str:
    """The message of an AccessDeniedException, checked for its code and HTTP status."""
    response = caught.value.response
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return str(response["Error"]["Message"])


def implicit(who: str, action: str, resource: str | None, kind: str = "identity") -> str:
    on = f" on resource: {resource}" if resource is not None else ""
    return (
        f"User: {who} is not authorized to perform: secretsmanager:{action}{on} "
        f"because no {kind}-based policy allows the secretsmanager:{action} action"
    )


def explicit(who: str, action: str, resource: str, kind: str = "identity") -> str:
    return (
        f"User: {who} is not authorized to perform: secretsmanager:{action} on resource: "
        f"{resource} with an explicit deny in an {kind}-based policy"
        if kind == "identity"
        else f"User: {who} is not authorized to perform: secretsmanager:{action} on resource: "
        f"{resource} with an explicit deny in a {kind}-based policy"
    )


def code_of(caught: pytest.ExceptionInfo[ClientError]) -> str:
    return str(caught.value.response["Error"]["Code"])
