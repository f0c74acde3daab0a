"""Code under test: it creates its client at import time, as real code often does."""

from __future__ import annotations

import boto3

CLIENT = boto3.client("secretsmanager", region_name="eu-west-1")


def label_secret(name: str, team: str) -> None:
    CLIENT.tag_resource(SecretId=name, Tags=[{"Key": "team", "Value": team}])


def team_of(name: str) -> str | None:
    tags = CLIENT.describe_secret(SecretId=name).get("Tags", [])
    return next((t["Value"] for t in tags if t["Key"] == "team"), None)
