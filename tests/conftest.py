"""Every test runs as on a machine with no AWS account: no credentials, no config.

If stubtags ever let a request through to botocore's signer, the test would fail
with NoCredentialsError instead of quietly reaching a real account.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import boto3
import pytest

from stubtags import Backend

# tests/compat needs packages the test extra can't hold together with the rest
# (aioboto3 pins an older aiobotocore); `.ci/run` runs it in its own environment.
collect_ignore = [] if importlib.util.find_spec("aioboto3") else ["compat"]


@pytest.fixture(autouse=True)
def _no_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    missing = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(missing / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(missing / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def client(stubtags: Backend) -> Any:
    """A Secrets Manager client in us-east-1, with the mock on for the test."""
    return boto3.client("secretsmanager", region_name="us-east-1")
