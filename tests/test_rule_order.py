"""Which error wins when a request has several faults, and refused calls change nothing."""

from __future__ import annotations

import boto3
import pytest

from stubtags import Backend


@pytest.fixture
def sm() -> object:
    return boto3.client("secretsmanager", region_name="us-east-1")


def test_missing_secret_wins_over_a_reserved_key(stubtags: Backend, sm: object) -> None:
    with pytest.raises(sm.exceptions.ResourceNotFoundException):  # type: ignore[attr-defined]
        sm.tag_resource(  # type: ignore[attr-defined]
            SecretId="missing", Tags=[{"Key": "aws:x", "Value": "v"}]
        )


def test_scheduled_deletion_wins_over_a_reserved_key(stubtags: Backend, sm: object) -> None:
    sm.create_secret(Name="s")  # type: ignore[attr-defined]
    sm.delete_secret(SecretId="s")  # type: ignore[attr-defined]
    with pytest.raises(sm.exceptions.InvalidRequestException):  # type: ignore[attr-defined]
        sm.tag_resource(SecretId="s", Tags=[{"Key": "aws:x", "Value": "v"}])  # type: ignore[attr-defined]
    with pytest.raises(sm.exceptions.InvalidRequestException):  # type: ignore[attr-defined]
        sm.untag_resource(SecretId="s", TagKeys=["aws:x"])  # type: ignore[attr-defined]


def test_refused_update_secret_changes_nothing(stubtags: Backend, sm: object) -> None:
    token = "t" * 32
    sm.create_secret(  # type: ignore[attr-defined]
        Name="s", SecretString="a", Description="old", ClientRequestToken=token
    )
    before = stubtags.describe("s")
    with pytest.raises(sm.exceptions.ResourceExistsException):  # type: ignore[attr-defined]
        sm.update_secret(  # type: ignore[attr-defined]
            SecretId="s", Description="NEW", SecretString="b", ClientRequestToken=token
        )
    assert stubtags.describe("s") == before


def test_update_secret_retry_is_a_no_op(stubtags: Backend, sm: object) -> None:
    sm.create_secret(Name="s", SecretString="a")  # type: ignore[attr-defined]
    token = "u" * 32
    first = sm.update_secret(SecretId="s", SecretString="b", ClientRequestToken=token)  # type: ignore[attr-defined]
    changed = stubtags.describe("s")["LastChangedDate"]
    again = sm.update_secret(SecretId="s", SecretString="b", ClientRequestToken=token)  # type: ignore[attr-defined]
    assert again["VersionId"] == first["VersionId"]
    assert stubtags.describe("s")["LastChangedDate"] == changed


def test_handle_lookup_error_names_account_and_region(stubtags: Backend) -> None:
    boto3.client("secretsmanager", region_name="eu-west-1").create_secret(Name="db")
    with pytest.raises(Exception, match="region us-east-1") as error:
        stubtags.tags("db", region="us-east-1")
    assert "123456789012" in str(error.value)
    assert stubtags.tags("db", region="eu-west-1") == {}


def test_default_region_follows_the_environment(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("secretsmanager", region_name="ap-south-1").create_secret(Name="a")
    boto3.client("secretsmanager", region_name="eu-north-1").create_secret(Name="b")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    assert stubtags.names() == ["a"]
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    assert stubtags.names() == ["b"]
