"""ListSecretVersionIds and UpdateSecretVersionStage end to end through boto3: which versions
are listed and paged, and how staging labels move between versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.helpers import (
    request_token,
    stages_of,
    three_versions,
)

# --- ListSecretVersionIds ---------------------------------------------------------------------


def test_list_versions_hides_deprecated_unless_asked(secretsmanager: Any) -> None:
    first, second, third = three_versions(secretsmanager)
    listed = secretsmanager.list_secret_version_ids(SecretId="s")
    assert {v["VersionId"]: v["VersionStages"] for v in listed["Versions"]} == {
        second: ["AWSPREVIOUS"],
        third: ["AWSCURRENT"],
    }
    assert listed["Name"] == "s"
    everything = secretsmanager.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)[
        "Versions"
    ]
    assert {v["VersionId"] for v in everything} == {first, second, third}
    deprecated = next(v for v in everything if v["VersionId"] == first)
    assert "VersionStages" not in deprecated or deprecated["VersionStages"] == []
    for version in everything:
        assert isinstance(version["CreatedDate"], datetime)


def test_list_versions_pages(secretsmanager: Any) -> None:
    ids = set(three_versions(secretsmanager))
    ids.add(secretsmanager.put_secret_value(SecretId="s", SecretString="four")["VersionId"])
    seen: list[str] = []
    kwargs: dict[str, Any] = {"SecretId": "s", "IncludeDeprecated": True, "MaxResults": 1}
    while True:
        page = secretsmanager.list_secret_version_ids(**kwargs)
        assert len(page["Versions"]) <= 1
        seen += [v["VersionId"] for v in page["Versions"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(seen) == sorted(ids)


def test_list_versions_garbage_token_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(secretsmanager.exceptions.InvalidNextTokenException):
        secretsmanager.list_secret_version_ids(SecretId="s", NextToken="garbage")


def test_list_versions_shows_last_accessed_of_the_version_read(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    second = secretsmanager.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    secretsmanager.get_secret_value(SecretId="s", VersionId=first)
    versions = {
        v["VersionId"]: v for v in secretsmanager.list_secret_version_ids(SecretId="s")["Versions"]
    }
    assert "LastAccessedDate" in versions[first]
    assert "LastAccessedDate" not in versions[second]


# --- UpdateSecretVersionStage -----------------------------------------------------------------


def test_move_awscurrent_with_remove_from_makes_old_one_awsprevious(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    staged = secretsmanager.put_secret_value(
        SecretId="s", SecretString="two", VersionStages=["STAGING"]
    )["VersionId"]
    secretsmanager.update_secret_version_stage(
        SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=staged, RemoveFromVersionId=first
    )
    assert stages_of(secretsmanager, "s") == {
        first: ["AWSPREVIOUS"],
        staged: ["AWSCURRENT", "STAGING"],
    }
    assert secretsmanager.get_secret_value(SecretId="s")["SecretString"] == "two"


def test_roll_back_awscurrent_to_awsprevious(secretsmanager: Any) -> None:
    _, second, third = three_versions(secretsmanager)
    secretsmanager.update_secret_version_stage(
        SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=second, RemoveFromVersionId=third
    )
    assert stages_of(secretsmanager, "s") == {second: ["AWSCURRENT"], third: ["AWSPREVIOUS"]}


def test_moving_awscurrent_without_remove_from_is_refused(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    staged = secretsmanager.put_secret_value(
        SecretId="s", SecretString="two", VersionStages=["STAGING"]
    )["VersionId"]
    before = stages_of(secretsmanager, "s")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.update_secret_version_stage(
            SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=staged
        )
    assert stages_of(secretsmanager, "s") == before == {first: ["AWSCURRENT"], staged: ["STAGING"]}


def test_remove_from_a_version_that_does_not_hold_the_label_is_refused(secretsmanager: Any) -> None:
    _, second, third = three_versions(secretsmanager)
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.update_secret_version_stage(
            SecretId="s",
            VersionStage="AWSCURRENT",
            MoveToVersionId=second,
            RemoveFromVersionId=second,
        )
    assert stages_of(secretsmanager, "s") == {second: ["AWSPREVIOUS"], third: ["AWSCURRENT"]}


def test_attach_and_detach_a_custom_label(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    secretsmanager.update_secret_version_stage(
        SecretId="s", VersionStage="BLUE", MoveToVersionId=first
    )
    assert stages_of(secretsmanager, "s") == {first: ["AWSCURRENT", "BLUE"]}
    assert secretsmanager.get_secret_value(SecretId="s", VersionStage="BLUE")["VersionId"] == first
    secretsmanager.update_secret_version_stage(
        SecretId="s", VersionStage="BLUE", RemoveFromVersionId=first
    )
    assert stages_of(secretsmanager, "s") == {first: ["AWSCURRENT"]}


def test_move_to_a_missing_version_is_not_found(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(Name="s", SecretString="one")["VersionId"]
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.update_secret_version_stage(
            SecretId="s",
            VersionStage="AWSCURRENT",
            MoveToVersionId=request_token(),
            RemoveFromVersionId=first,
        )
    assert stages_of(secretsmanager, "s") == {first: ["AWSCURRENT"]}
