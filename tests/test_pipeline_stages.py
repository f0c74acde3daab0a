"""The call pipeline's stages, seen through a real secretsmanager: authorize runs before the
operation and can refuse it; record sees every answered call, reply or error, with the
RequestId the secretsmanager saw."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend, UnsupportedOperationError, pipeline
from stubtags.operations import OPERATIONS
from stubtags.service.errors import ServiceError


class AccessDenied(ServiceError):
    code = "AccessDeniedException"


def test_authorize_refuses_before_the_operation_sees_the_request(
    secretsmanager: Any, stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def deny_tagging(backend: Backend, call: pipeline.Call) -> None:
        seen.append(call.operation)
        if call.operation == "TagResource":
            raise AccessDenied("no")

    monkeypatch.setattr(pipeline, "authorize", deny_tagging)
    secretsmanager.create_secret(Name="db")
    with pytest.raises(ClientError) as error:
        # A missing secret: authorization is judged first, so the answer is the denial.
        secretsmanager.tag_resource(SecretId="missing", Tags=[{"Key": "k", "Value": "v"}])
    assert error.value.response["Error"]["Code"] == "AccessDeniedException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert seen == ["CreateSecret", "TagResource"]
    assert stubtags.tags("db") == {}


def test_record_sees_every_answered_call_with_the_clients_request_id(
    secretsmanager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    records: list[tuple[str, str, Any, str | None]] = []

    def keep(
        backend: Backend,
        call: pipeline.Call,
        reply: dict[str, Any] | None,
        error: ServiceError | None,
    ) -> None:
        records.append((call.operation, call.request_id, reply, error.code if error else None))

    monkeypatch.setattr(pipeline, "record", keep)
    created = secretsmanager.create_secret(Name="db")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException) as missing:
        secretsmanager.describe_secret(SecretId="missing")
    assert [(op, code) for op, _, _, code in records] == [
        ("CreateSecret", None),
        ("DescribeSecret", "ResourceNotFoundException"),
    ]
    assert records[0][1] == created["ResponseMetadata"]["RequestId"]
    assert records[0][2]["Name"] == "db"
    assert records[1][1] == missing.value.response["ResponseMetadata"]["RequestId"]


def test_an_unsupported_operation_is_neither_authorized_nor_recorded(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(OPERATIONS, "RotateSecret")  # every model operation is supported
    stages: list[str] = []
    monkeypatch.setattr(pipeline, "authorize", lambda *_: stages.append("authorize"))
    monkeypatch.setattr(pipeline, "record", lambda *_: stages.append("record"))
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    with pytest.raises(UnsupportedOperationError):
        sm.rotate_secret(SecretId="db")
    assert stages == []
