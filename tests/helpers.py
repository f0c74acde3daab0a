"""The shared vocabulary of the test suite: one way to make a client, read an error, spell
tags and name the service's messages, so every test file reads the same way.

Fixtures live in `tests/conftest.py` (`secretsmanager`, and the plugin's `stubtags`);
everything a test imports by name lives here.

The service's wording is written out here rather than imported from stubtags, so that a
change of message in stubtags is caught by the tests.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from stubtags import NotActiveError, active_backend

REGION = "us-east-1"
"""The region of the `secretsmanager` fixture and the default of `sm_client`."""
OTHER_REGION = "eu-west-1"
ACCOUNT = "123456789012"
"""The account stubtags puts in ARNs unless told otherwise."""
STACK_TAG = "aws:cloudformation:stack-name"
"""A system tag key, as CloudFormation attaches it."""

# --- the service's messages -------------------------------------------------------------------

NOT_FOUND_MESSAGE = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION_MESSAGE = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
NAME_SCHEDULED_FOR_DELETION_MESSAGE = (
    "You can't create this secret because a secret with this name is already scheduled "
    "for deletion."
)
INVALID_NAME_MESSAGE = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)


# A resource policy any syntax check accepts: the account's root may read the value.
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ],
    }
)


def system_tag_message(key: str) -> str:
    """The refusal of a call that would change or remove the system tag `key`."""
    return f"You can't modify system tags. Tag key: '{key}'."


# --- clients ----------------------------------------------------------------------------------


def sm_client(region: str = REGION, *, own_session: bool = False, **kwargs: Any) -> Any:
    """A boto3 Secrets Manager client, for tests that need several clients, a client in
    another region, or one made outside any fixture (before a mock starts, say).

    `own_session=True` builds it from a new boto3 Session: boto3's default session is not
    thread-safe to create clients from, and a client made at import time should not share it.
    `kwargs` go to `client()` as they are (`endpoint_url`, `config`, ...).
    """
    session = boto3.session.Session() if own_session else boto3
    return session.client("secretsmanager", region_name=region, **kwargs)


def request_token() -> str:
    """A fresh ClientRequestToken (the model asks for 32-64 characters)."""
    return str(uuid.uuid4())


# --- errors -----------------------------------------------------------------------------------


class ErrorReply(NamedTuple):
    """What a refused call answered: compare with a 3-tuple, or read one field."""

    code: str
    message: str
    status: int


def _client_error(error: ClientError | pytest.ExceptionInfo[ClientError]) -> ClientError:
    return error.value if isinstance(error, pytest.ExceptionInfo) else error


def error_of(error: ClientError | pytest.ExceptionInfo[ClientError]) -> ErrorReply:
    """The code, message and HTTP status of a service error (or of `pytest.raises`' catch)."""
    response = _client_error(error).response
    return ErrorReply(
        str(response["Error"]["Code"]),
        str(response["Error"]["Message"]),
        int(response["ResponseMetadata"]["HTTPStatusCode"]),
    )


def error_code(error: ClientError | pytest.ExceptionInfo[ClientError]) -> str:
    """Only the code: `error_of(error).code`."""
    return error_of(error).code


# --- tags -------------------------------------------------------------------------------------


def tag_list(tags: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Tags in their wire form, `[{"Key": ..., "Value": ...}]`, in the given order.

    Pairs may repeat a key (a request may); a mapping cannot.
    """
    pairs = tags.items() if isinstance(tags, Mapping) else tags
    return [{"Key": key, "Value": value} for key, value in pairs]


def described_tags(client: Any, secret_id: str) -> list[tuple[str, str]]:
    """The secret's tags as DescribeSecret lists them, in order; [] when it has none.

    (Whether the reply has a `Tags` member at all is asserted on the reply itself.)
    """
    reply = client.describe_secret(SecretId=secret_id)
    return [(tag["Key"], tag["Value"]) for tag in reply.get("Tags", [])]


def tag_dict(tags: list[dict[str, str]] | None) -> dict[str, str]:
    """Wire-form tags (a reply's `Tags`, possibly absent) as a dict."""
    return {tag["Key"]: tag["Value"] for tag in tags or []}


def has_aws_prefix(text: str) -> bool:
    """Whether a tag key or value starts with `aws:` in any case (reserved for AWS)."""
    return text[:4].lower() == "aws:"


def numbered_tags(count: int, prefix: str = "k") -> dict[str, str]:
    """`count` distinct tags k00=v0, k01=v1, ... for the 50-tag limit."""
    return {f"{prefix}{i:02d}": f"v{i}" for i in range(count)}


# --- secrets, versions, listings --------------------------------------------------------------


def partial_arn(arn: str) -> str:
    """The ARN without its random six-character suffix, which also finds the secret."""
    return arn[: -len("-XXXXXX")]


def stages_of(client: Any, secret_id: str) -> dict[str, list[str]]:
    """VersionIdsToStages with each label list sorted (the order of labels is not specified);
    {} for a secret without versions."""
    described = client.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})
    return {version: sorted(labels) for version, labels in described.items()}


def three_versions(client: Any, name: str = "s") -> tuple[str, str, str]:
    """A secret whose value was set three times: one, two, three (current); the version ids."""
    first = client.create_secret(Name=name, SecretString="one")["VersionId"]
    second = client.put_secret_value(SecretId=name, SecretString="two")["VersionId"]
    third = client.put_secret_value(SecretId=name, SecretString="three")["VersionId"]
    return first, second, third


def listed_names(client: Any, **kwargs: Any) -> list[str]:
    """The names ListSecrets returns, in order, following NextToken to the end."""
    names: list[str] = []
    while True:
        page = client.list_secrets(**kwargs)
        names += [entry["Name"] for entry in page["SecretList"]]
        if "NextToken" not in page:
            return names
        kwargs["NextToken"] = page["NextToken"]


# --- botocore as stubtags leaves it -----------------------------------------------------------

ORIGINAL_MAKE_API_CALL = BaseClient.__dict__["_make_api_call"]
"""botocore's own method, captured when the test session starts, before any mock."""


def stubtags_handlers(
    client: Any, event: str = "before-call.secrets-manager.DescribeSecret"
) -> list[Any]:
    """stubtags' handlers on the client's own emitter for `event` (a Secrets Manager
    before-call unless told).

    Looks at botocore internals, because a handler left behind while no mock is active would
    answer None and so be invisible from outside.
    """
    emitter = client.meta.events
    emitter = getattr(emitter, "_emitter", emitter)  # EventAliaser wraps the real emitter
    handlers = emitter._handlers.prefix_search(event)
    # A handler is stubtags' own function, or one bound to its route (a partial).
    return [
        h
        for h in handlers
        if str(getattr(getattr(h, "func", h), "__module__", "")).startswith("stubtags")
    ]


def assert_inactive() -> None:
    """No mock is active and botocore's client method is its own again."""
    with pytest.raises(NotActiveError):
        active_backend()
    assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL
