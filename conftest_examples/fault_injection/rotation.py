"""Code under test: tags a batch of secrets, and rotates one."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


def label_all(client: Any, names: list[str], team: str) -> list[str]:
    """Tag each secret; return the names left untagged because AWS kept throttling."""
    failed = []
    for name in names:
        try:
            client.tag_resource(SecretId=name, Tags=[{"Key": "team", "Value": team}])
        except ClientError as error:
            if error.response["Error"]["Code"] != "ThrottlingException":
                raise
            failed.append(name)
    return failed


def rotate_now(client: Any, name: str) -> str:
    return str(client.rotate_secret(SecretId=name, RotateImmediately=True)["VersionId"])
