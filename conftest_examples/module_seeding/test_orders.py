from __future__ import annotations

import boto3
import seed

from stubtags import Backend


def test_seeded_once_and_listed(secrets: Backend) -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    found = sm.list_secrets(Filters=[{"Key": "tag-value", "Values": ["orders"]}], MaxResults=100)
    assert len(found["SecretList"]) == 100
    assert seed.RUNS == [1]


def test_changes_here(secrets: Backend) -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    sm.delete_secret(SecretId="orders-000", ForceDeleteWithoutRecovery=True)
    sm.tag_resource(SecretId="orders-001", Tags=[{"Key": "team", "Value": "moved"}])
    assert "orders-000" not in secrets.names()


def test_do_not_leak_into_the_next_test(secrets: Backend) -> None:
    assert secrets.names()[:2] == ["orders-000", "orders-001"]
    assert secrets.tags("orders-001")["team"] == "orders"
    assert seed.RUNS == [1]
