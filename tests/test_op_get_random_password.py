"""GetRandomPassword end to end through boto3: length, character classes, exclusions and the
each-type rule.
"""

from __future__ import annotations

import string
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from tests.helpers import (
    error_code,
)

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def test_random_password_default_is_32_chars_without_space(secretsmanager: Any) -> None:
    password = secretsmanager.get_random_password()["RandomPassword"]
    assert len(password) == 32
    assert " " not in password
    assert set(password) <= set(string.ascii_letters + string.digits + PUNCTUATION)


@pytest.mark.parametrize("length", [1, 4, 17, 128, 4096])
def test_random_password_length(secretsmanager: Any, length: int) -> None:
    reply = secretsmanager.get_random_password(PasswordLength=length, RequireEachIncludedType=False)
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
def test_random_password_exclude_switches(secretsmanager: Any, option: str, forbidden: str) -> None:
    for _ in range(5):
        password = secretsmanager.get_random_password(PasswordLength=200, **{option: True})[
            "RandomPassword"
        ]
        assert len(password) == 200
        assert not set(password) & set(forbidden)


def test_random_password_exclude_characters(secretsmanager: Any) -> None:
    excluded = "aeiouAEIOU0123!@#"
    for _ in range(5):
        password = secretsmanager.get_random_password(
            PasswordLength=300, ExcludeCharacters=excluded
        )
        assert not set(password["RandomPassword"]) & set(excluded)


def test_random_password_include_space_with_each_type_required(secretsmanager: Any) -> None:
    for _ in range(5):
        password = secretsmanager.get_random_password(
            PasswordLength=4, IncludeSpace=True, RequireEachIncludedType=True
        )["RandomPassword"]
        assert len(password) == 4


def test_random_password_requires_each_included_type(secretsmanager: Any) -> None:
    groups = [string.ascii_uppercase, string.ascii_lowercase, string.digits, PUNCTUATION]
    for _ in range(20):
        password = secretsmanager.get_random_password(
            PasswordLength=4, RequireEachIncludedType=True
        )["RandomPassword"]
        assert all(set(password) & set(group) for group in groups), password


def test_random_password_only_one_type_left(secretsmanager: Any) -> None:
    password = secretsmanager.get_random_password(
        PasswordLength=50,
        ExcludeUppercase=True,
        ExcludeLowercase=True,
        ExcludePunctuation=True,
    )["RandomPassword"]
    assert password.isdigit()
    assert len(password) == 50


def test_random_password_length_limits(secretsmanager: Any) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.get_random_password(PasswordLength=4097)
    assert error_code(error) == "ValidationException"
    with pytest.raises(ParamValidationError):
        secretsmanager.get_random_password(PasswordLength=0)
