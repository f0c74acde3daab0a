"""DescribeSecret end to end through boto3: the members it leaves out, and the error for a
missing secret. Every operation's reply shape is checked in test_response_shapes.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import (
    NOT_FOUND_MESSAGE,
    error_of,
)


def test_never_tagged_secret_has_no_tags_member(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="plain")
    assert "Tags" not in secretsmanager.describe_secret(SecretId="plain")


def test_describe_does_not_count_as_an_access(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    secretsmanager.describe_secret(SecretId="s")
    secretsmanager.list_secrets()
    assert "LastAccessedDate" not in secretsmanager.describe_secret(SecretId="s")


def test_missing_secret_message(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException) as error:
        secretsmanager.describe_secret(SecretId="nowhere")
    assert error_of(error) == ("ResourceNotFoundException", NOT_FOUND_MESSAGE, 400)
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
