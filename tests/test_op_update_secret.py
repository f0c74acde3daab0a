"""UpdateSecret end to end through boto3: metadata-only updates, new values and the
AWSCURRENT/AWSPREVIOUS hand-over, and the idempotent ClientRequestToken.
"""

from __future__ import annotations

from typing import Any

import pytest

from stubtags import Backend
from tests.helpers import (
    request_token,
    stages_of,
)

# --- metadata and values ----------------------------------------------------------------------


def test_update_description_only_creates_no_version(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v", Description="old")
    versions = stages_of(secretsmanager, "s")
    changed_before = secretsmanager.describe_secret(SecretId="s")["LastChangedDate"]
    reply = secretsmanager.update_secret(SecretId="s", Description="new")
    assert "VersionId" not in reply
    described = secretsmanager.describe_secret(SecretId="s")
    assert described["Description"] == "new"
    assert described["VersionIdsToStages"] == versions
    assert described["LastChangedDate"] >= changed_before


def test_update_kms_key_id(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    secretsmanager.update_secret(SecretId="s", KmsKeyId="alias/other")
    assert secretsmanager.describe_secret(SecretId="s")["KmsKeyId"] == "alias/other"
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_update_value_adds_a_version_and_moves_awsprevious(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    second = secretsmanager.update_secret(SecretId="s", SecretString="two")["VersionId"]
    assert second != first
    assert stages_of(secretsmanager, "s") == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}
    third = secretsmanager.update_secret(SecretId="s", SecretBinary=b"\x00three")["VersionId"]
    # The oldest version lost its last label: it is deprecated and hidden.
    assert stages_of(secretsmanager, "s") == {second: ["AWSPREVIOUS"], third: ["AWSCURRENT"]}
    assert secretsmanager.get_secret_value(SecretId="s")["SecretBinary"] == b"\x00three"
    previous = secretsmanager.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == "two"


def test_update_of_a_missing_secret_is_not_found(secretsmanager: Any) -> None:
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.update_secret(SecretId="never-created", Description="d")


# --- ClientRequestToken -----------------------------------------------------------------------


def test_update_secret_retry_with_same_token_and_value_is_ignored(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    request = request_token()
    first = secretsmanager.update_secret(
        SecretId="s", SecretString="two", ClientRequestToken=request
    )
    versions = stages_of(secretsmanager, "s")
    again = secretsmanager.update_secret(
        SecretId="s", SecretString="two", ClientRequestToken=request
    )
    assert first["VersionId"] == again["VersionId"] == request
    assert stages_of(secretsmanager, "s") == versions


def test_update_secret_retry_is_a_no_op(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="a")
    token = "u" * 32
    first = secretsmanager.update_secret(SecretId="s", SecretString="b", ClientRequestToken=token)
    changed = stubtags.describe("s")["LastChangedDate"]
    again = secretsmanager.update_secret(SecretId="s", SecretString="b", ClientRequestToken=token)
    assert again["VersionId"] == first["VersionId"]
    assert stubtags.describe("s")["LastChangedDate"] == changed


def test_update_secret_same_token_other_value_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="one")
    request = request_token()
    secretsmanager.update_secret(SecretId="s", SecretString="two", ClientRequestToken=request)
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException):
        secretsmanager.update_secret(SecretId="s", SecretString="three", ClientRequestToken=request)
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "two"


def test_refused_update_secret_changes_nothing(stubtags: Backend, secretsmanager: Any) -> None:
    token = "t" * 32
    secretsmanager.create_secret(
        Name="s", SecretString="a", Description="old", ClientRequestToken=token
    )
    before = stubtags.describe("s")
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException):
        secretsmanager.update_secret(
            SecretId="s", Description="NEW", SecretString="b", ClientRequestToken=token
        )
    assert stubtags.describe("s") == before
