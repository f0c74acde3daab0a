from __future__ import annotations

import boto3
import pytest

from stubtags import Backend


def test_find_by_team(secrets: Backend) -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    found = sm.list_secrets(Filters=[{"Key": "tag-value", "Values": ["orders"]}])
    assert [s["Name"] for s in found["SecretList"]] == ["orders-db"]


def test_system_tags_are_protected(secrets: Backend) -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    with pytest.raises(sm.exceptions.InvalidParameterException):
        sm.untag_resource(SecretId="search-key", TagKeys=["aws:cloudformation:stack-name"])
    assert secrets.tags("search-key")["aws:cloudformation:stack-name"] == "search-stack"


def test_changes_do_not_leak(secrets: Backend) -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    sm.delete_secret(SecretId="orders-db", ForceDeleteWithoutRecovery=True)
    assert secrets.names() == ["search-key"]
