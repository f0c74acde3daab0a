"""GetSecretValue end to end through boto3: reading by version id and by staging label,
binary values, and LastAccessedDate.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tests.helpers import (
    request_token,
    stages_of,
    three_versions,
)

# --- which version ----------------------------------------------------------------------------


def test_get_by_version_id_and_by_stage(secretsmanager: Any) -> None:
    _, second, third = three_versions(secretsmanager)
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "three"
    current = secretsmanager.get_secret_value(SecretId="s", VersionStage="AWSCURRENT")
    assert (current["VersionId"], current["SecretString"]) == (third, "three")
    assert current["VersionStages"] == ["AWSCURRENT"]
    previous = secretsmanager.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    assert (previous["VersionId"], previous["SecretString"]) == (second, "two")
    assert previous["VersionStages"] == ["AWSPREVIOUS"]
    by_id = secretsmanager.get_secret_value(SecretId="s", VersionId=second)
    assert by_id["SecretString"] == "two"
    both = secretsmanager.get_secret_value(
        SecretId="s", VersionId=second, VersionStage="AWSPREVIOUS"
    )
    assert both["SecretString"] == "two"


def test_deprecated_version_is_still_readable_by_id(secretsmanager: Any) -> None:
    first, _, _ = three_versions(secretsmanager)
    assert first not in stages_of(secretsmanager, "s")
    assert secretsmanager.get_secret_value(SecretId="s", VersionId=first)["SecretString"] == "one"


def test_version_id_with_a_stage_it_does_not_carry_is_refused(secretsmanager: Any) -> None:
    _, second, _ = three_versions(secretsmanager)
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
        secretsmanager.get_secret_value(SecretId="s", VersionId=second, VersionStage="AWSCURRENT")


def test_missing_version_or_stage_is_not_found(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_secret_value(SecretId="s", VersionId=request_token())
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_secret_value(SecretId="s", VersionStage="NOPE")


def test_get_of_a_missing_secret_is_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.get_secret_value(SecretId="never-created")


# --- values and access dates ------------------------------------------------------------------


@pytest.mark.parametrize("payload", [b"\x00\x01\xfe\xff", bytes(range(256)), b"plain"])
def test_secret_binary_round_trips_as_bytes(secretsmanager: Any, payload: bytes) -> None:
    secretsmanager.create_secret(Name="bin", SecretBinary=payload)
    reply = secretsmanager.get_secret_value(SecretId="bin")
    assert reply["SecretBinary"] == payload
    assert isinstance(reply["SecretBinary"], bytes)
    assert "SecretString" not in reply
    secretsmanager.put_secret_value(SecretId="bin", SecretBinary=payload[::-1])
    assert secretsmanager.get_secret_value(SecretId="bin")["SecretBinary"] == payload[::-1]


def test_string_reply_has_no_binary(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    assert "SecretBinary" not in secretsmanager.get_secret_value(SecretId="s")


def test_last_accessed_date_is_set_by_a_read_and_rounded_to_the_day(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    assert "LastAccessedDate" not in secretsmanager.describe_secret(SecretId="s")
    day_before = datetime.now(timezone.utc).date()
    secretsmanager.get_secret_value(SecretId="s")
    day_after = datetime.now(timezone.utc).date()
    accessed = secretsmanager.describe_secret(SecretId="s")["LastAccessedDate"].astimezone(
        timezone.utc
    )
    assert accessed.date() in {day_before, day_after}
    assert (accessed.hour, accessed.minute, accessed.second, accessed.microsecond) == (0, 0, 0, 0)
    listed = secretsmanager.list_secrets()["SecretList"][0]
    assert listed["LastAccessedDate"] == accessed
