"""`python -m stubtags demo`: the example of the TagResource API reference, run against the mock."""

from __future__ import annotations

import sys
from typing import Any

DEMO_SECRET = "MyTestDatabaseSecret"


def _client() -> Any:
    """boto3's client if boto3 is installed, else botocore's (stubtags needs only it)."""
    try:
        import boto3
    except ImportError:
        import botocore.session

        return botocore.session.get_session().create_client(
            "secretsmanager", region_name="us-west-2"
        )
    return boto3.client("secretsmanager", region_name="us-west-2")


def demo() -> int:
    from stubtags import mock_tags

    with mock_tags() as backend:
        # No credentials, no network: the client is answered in memory.
        client = _client()
        client.create_secret(Name=DEMO_SECRET, SecretString='{"username":"david"}')
        response = client.tag_resource(
            SecretId=DEMO_SECRET,
            Tags=[
                {"Key": "FirstTag", "Value": "SomeValue"},
                {"Key": "SecondTag", "Value": "AnotherValue"},
            ],
        )
        print("tag_resource returned:", response)
        described = client.describe_secret(SecretId=DEMO_SECRET)
        print("DescribeSecret Tags:", described["Tags"])
        print("backend.tags():", backend.tags(DEMO_SECRET, region="us-west-2"))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["demo"]:
        return demo()
    print("usage: python -m stubtags demo", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
