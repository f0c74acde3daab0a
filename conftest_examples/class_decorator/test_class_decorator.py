"""Decorating a class: each test method runs inside its own, empty mock."""

from __future__ import annotations

import unittest

import boto3

from stubtags import active_backend, mock_tags


def client():  # type: ignore[no-untyped-def]
    return boto3.client("secretsmanager", region_name="us-east-1")


@mock_tags
class TestPlainClass:
    def test_create_and_tag(self) -> None:
        sm = client()
        sm.create_secret(Name="api-key")
        sm.tag_resource(SecretId="api-key", Tags=[{"Key": "env", "Value": "test"}])
        assert active_backend().tags("api-key") == {"env": "test"}

    def test_state_is_fresh(self) -> None:
        assert client().list_secrets()["SecretList"] == []


@mock_tags(account_id="111122223333")
class TestWithUnittest(unittest.TestCase):
    def setUp(self) -> None:
        # setUp runs inside the same mock as the test: this secret is there for it.
        self.sm = client()
        self.arn = self.sm.create_secret(Name="from-setup")["ARN"]

    def test_secret_from_setup_is_visible(self) -> None:
        self.assertIn(":111122223333:", self.arn)
        self.sm.tag_resource(SecretId=self.arn, Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(active_backend().tags(self.arn), {"k": "v"})

    def test_only_this_tests_secret_exists(self) -> None:
        names = [s["Name"] for s in self.sm.list_secrets()["SecretList"]]
        self.assertEqual(names, ["from-setup"])
