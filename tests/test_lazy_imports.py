"""What `from stubtags import mock_tags` loads, and what waits for first use (issue #10).

A test that creates, tags and describes a secret must not pay for rotation, replication,
listing, the tagging API, canned replies, seeding or the notebook views: each is imported
by the first call that needs it. One fresh interpreter runs the steps in order and
reports the stubtags modules loaded after each; nothing here times anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from stubtags.operations import OPERATIONS, OnFirstCall, lazy_table
from stubtags.service.store import Store
from tests.helpers import REGION

ROOT = Path(__file__).resolve().parents[1]

# step -> the modules its first use loads; the steps run in this order, after the import
# and a create/tag/describe test, so each step's modules must be new at that step.
FEATURES: dict[str, tuple[str, ...]] = {
    "Backend.tags": ("stubtags.seeding",),  # its argument checks: every helper's
    "Backend.fail": ("stubtags.canned",),
    "repr(backend)": ("stubtags.notebook",),
    "Backend.register_lambda": ("stubtags.lambdas",),
    "Backend.principal": ("stubtags.access", "stubtags.iam"),
    "GetSecretValue": ("stubtags.operations.values",),
    "ListSecrets": (
        "stubtags.operations.listing",
        "stubtags.service.listing.filters",
        "stubtags.service.listing.ordering",
    ),
    "GetResourcePolicy": ("stubtags.operations.policies", "stubtags.service.policies"),
    "GetRandomPassword": ("stubtags.operations.passwords", "stubtags.service.passwords"),
    "CancelRotateSecret": (
        "stubtags.operations.rotation",
        "stubtags.service.rotation",
        "stubtags.service.cron",
    ),
    "ReplicateSecretToRegions": ("stubtags.operations.replication", "stubtags.service.replication"),
    "GetResources": ("stubtags.operations.tagging_api", "stubtags.service.tagging_api"),
}
LAZY = sorted({module for modules in FEATURES.values() for module in modules})

SCRIPT = """
import json, sys

steps = {}

def loaded(step):
    steps[step] = sorted(m for m in sys.modules if m.split(".")[0] == "stubtags")

import botocore.client
from stubtags import mock_tags
loaded("import")

import boto3
from botocore.exceptions import ClientError

keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
with mock_tags() as backend:
    client = boto3.client("secretsmanager", region_name=REGION, **keys)
    client.create_secret(Name="s", SecretString="x")
    client.tag_resource(SecretId="s", Tags=[{"Key": "k", "Value": "v"}])
    client.describe_secret(SecretId="s")
    loaded("create, tag, describe")

    def call(operation, **params):
        try:
            getattr(client, operation)(**params)
        except ClientError:
            pass  # loading the operation is what counts, not its outcome

    tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION, **keys)
    role = "arn:aws:iam::123456789012:role/reader"
    steps_to_run = {
        "Backend.tags": lambda: backend.tags("s"),
        "Backend.fail": lambda: backend.fail("ListSecrets", "ThrottlingException").cancel(),
        "repr(backend)": lambda: repr(backend),
        "Backend.register_lambda": lambda: backend.register_lambda(
            "arn:aws:lambda:us-east-1:123456789012:function:rotate", lambda event, context: None
        ),
        "Backend.principal": lambda: backend.principal(role),
        "GetSecretValue": lambda: call("get_secret_value", SecretId="s"),
        "ListSecrets": lambda: call("list_secrets"),
        "GetResourcePolicy": lambda: call("get_resource_policy", SecretId="s"),
        "GetRandomPassword": lambda: call("get_random_password"),
        "CancelRotateSecret": lambda: call("cancel_rotate_secret", SecretId="s"),
        "ReplicateSecretToRegions": lambda: call(
            "replicate_secret_to_regions", SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1"}]
        ),
        "GetResources": lambda: tagging.get_resources(),
    }
    for step, run in steps_to_run.items():
        run()
        loaded(step)

print(json.dumps(steps))
"""


@pytest.fixture(scope="module")
def steps() -> dict[str, list[str]]:
    """The stubtags modules loaded after each step, in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    script = textwrap.dedent(SCRIPT).replace("REGION", repr(REGION))
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_subprocess_imports_this_checkout(steps: dict[str, list[str]]) -> None:
    assert list(steps) == ["import", "create, tag, describe", *FEATURES]
    assert "stubtags.lifecycle" in steps["import"]


@pytest.mark.parametrize("step", ["import", "create, tag, describe"])
def test_no_feature_module_is_loaded_before_its_first_use(
    steps: dict[str, list[str]], step: str
) -> None:
    assert sorted(set(LAZY) & set(steps[step])) == []


@pytest.mark.parametrize("feature", FEATURES)
def test_first_use_loads_the_feature(steps: dict[str, list[str]], feature: str) -> None:
    order = list(steps)
    before = set(steps[order[order.index(feature) - 1]])
    after = set(steps[feature])
    assert set(FEATURES[feature]) <= after
    assert not set(FEATURES[feature]) & before  # this step loaded them, no earlier one


def test_every_operation_is_listed_before_any_is_imported() -> None:
    names = {"CreateSecret", "TagResource", "RotateSecret", "ReplicateSecretToRegions"}
    assert names <= set(OPERATIONS)
    assert all(callable(operation) for operation in OPERATIONS.values())
    assert OPERATIONS.get("NoSuchOperation") is None


def test_the_first_call_puts_the_function_in_the_table() -> None:
    from stubtags.operations.secrets import create_secret, describe_secret

    table = lazy_table({"CreateSecret": "secrets:create_secret"})
    entry = table["CreateSecret"]
    assert isinstance(entry, OnFirstCall)
    assert "secrets:create_secret" in repr(entry)
    region = Store().account_region("123456789012", REGION)
    reply: Any = entry(region, {"Name": "lazy", "ClientRequestToken": "t" * 32})
    assert reply["Name"] == "lazy"
    assert table["CreateSecret"] is create_secret
    assert entry(region, {"Name": "again", "ClientRequestToken": "u" * 32}) is not None
    # The function's attributes read through the entry, loading it if need be.
    fresh = lazy_table({"DescribeSecret": "secrets:describe_secret"})["DescribeSecret"]
    assert getattr(fresh, "fresh_reply", False) is getattr(describe_secret, "fresh_reply", False)
    assert getattr(entry, "no_such_attribute", None) is None
    # An entry a test replaced meanwhile stays replaced.
    table = lazy_table({"DescribeSecret": "secrets:describe_secret"})
    first = table["DescribeSecret"]
    table["DescribeSecret"] = create_secret
    assert isinstance(first, OnFirstCall)
    assert first.load() is describe_secret
    assert table["DescribeSecret"] is create_secret
