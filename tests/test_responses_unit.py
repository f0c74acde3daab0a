"""The reply builder must give exactly what botocore's parser gives for the same bytes."""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.parsers import create_parser

from stubtags import responses
from stubtags.service.errors import ResourceNotFoundException

MODEL = botocore.session.get_session().get_service_model("secretsmanager")


def parsed_by_botocore(
    operation: str, status: int, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    shape = MODEL.operation_model(operation).output_shape
    return create_parser("json").parse(
        {"status_code": status, "headers": dict(headers), "body": body}, shape
    )


def test_no_output_fast_path_equals_the_parser() -> None:
    model = MODEL.operation_model("TagResource")
    http, parsed = responses.success(model, None, responses.response_class_for(AWSResponse))
    expected = parsed_by_botocore("TagResource", 200, dict(http.headers.items()), http.content)
    expected["ResponseMetadata"]["RetryAttempts"] = 0
    assert parsed == expected
    assert http.status_code == 200
    assert http.content == b"{}"


def test_reply_with_members_is_built_as_the_parser_builds_it() -> None:
    model = MODEL.operation_model("DescribeSecret")
    reply = {
        "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf",
        "Name": "a",
        "CreatedDate": 1700000000.25,
        "Tags": [{"Key": "k", "Value": "v"}],
    }
    http, parsed = responses.success(model, reply, responses.response_class_for(AWSResponse))
    assert parsed["CreatedDate"].timestamp() == 1700000000.25
    assert parsed["CreatedDate"].tzinfo is not None
    assert parsed["Tags"] == [{"Key": "k", "Value": "v"}]
    expected = parsed_by_botocore("DescribeSecret", 200, dict(http.headers.items()), http.content)
    expected["ResponseMetadata"]["RetryAttempts"] = 0
    assert parsed == expected
    assert list(parsed) == list(expected)  # the shape's member order, then ResponseMetadata


def test_error_reply_is_parsed_as_botocore_parses_an_error() -> None:
    model = MODEL.operation_model("TagResource")
    http, parsed = responses.failure(
        model, ResourceNotFoundException(), responses.response_class_for(AWSResponse)
    )
    expected = parsed_by_botocore("TagResource", 400, dict(http.headers.items()), http.content)
    expected["ResponseMetadata"]["RetryAttempts"] = 0
    # botocore's endpoint then reads the body again with the modeled error's own shape.
    expected["Message"] = "Secrets Manager can't find the specified secret."
    assert parsed == expected
    assert parsed["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Secrets Manager can't find the specified secret.",
    }
    assert http.status_code == 400


def test_request_ids_are_unique_and_uuid_shaped() -> None:
    import uuid

    model = MODEL.operation_model("TagResource")
    cls = responses.response_class_for(AWSResponse)
    ids = {
        responses.success(model, None, cls)[1]["ResponseMetadata"]["RequestId"] for _ in range(500)
    }
    assert len(ids) == 500
    for request_id in ids:
        assert str(uuid.UUID(request_id)) == request_id


def test_headers_are_a_botocore_headers_dict_on_demand() -> None:
    model = MODEL.operation_model("TagResource")
    http, _ = responses.success(model, None, responses.response_class_for(AWSResponse))
    assert http.headers["Content-Type"] == "application/x-amz-json-1.1"  # case-insensitive
    assert isinstance(http, AWSResponse)
