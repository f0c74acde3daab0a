from __future__ import annotations

import boto3
import pytest
from app import team_secrets

from stubtags import Backend, mock_tags


def test_with_the_fixture(stubtags: Backend) -> None:
    stubtags.create_secret("orders-db", tags={"team": "orders"})
    stubtags.create_secret("search-key", tags=[{"Key": "team", "Value": "search"}])
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    assert team_secrets(sm, "orders") == ["orders-db"]


@pytest.mark.stubtags(region="eu-west-1")
def test_with_the_marker() -> None:
    sm = boto3.client("secretsmanager", region_name="eu-west-1")
    sm.create_secret(Name="eu-db", Tags=[{"Key": "team", "Value": "eu"}])
    assert team_secrets(sm, "eu") == ["eu-db"]


@mock_tags
def test_with_the_decorator_and_a_fault() -> None:
    from stubtags import active_backend

    sm = boto3.client("secretsmanager", region_name="us-east-1")
    active_backend().fail("ListSecrets", "AccessDeniedException", "not allowed")
    with pytest.raises(sm.exceptions.ClientError, match="AccessDenied"):
        team_secrets(sm, "orders")
