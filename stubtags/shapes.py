"""Secrets Manager's botocore model, and converting between wire form and boto3's form.

The handle gives tests what a boto3 client gives them (datetimes, bytes), and a canned
reply is written in that same form; both conversions go through the model's shapes,
and reading goes through botocore's own parser, so the two views cannot drift apart.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
from collections.abc import Mapping
from typing import Any, TypedDict

SERVICE_NAME = "secretsmanager"


class Tag(TypedDict):
    Key: str
    Value: str


class SecretDescription(TypedDict, total=False):
    """What `Backend.describe()` returns: DescribeSecret's reply as boto3 gives it."""

    ARN: str
    Name: str
    Description: str
    KmsKeyId: str
    LastChangedDate: datetime.datetime
    LastAccessedDate: datetime.datetime
    DeletedDate: datetime.datetime
    Tags: list[Tag]
    VersionIdsToStages: dict[str, list[str]]
    OwningService: str
    CreatedDate: datetime.datetime
    PrimaryRegion: str


@functools.cache
def service_model(service_name: str = SERVICE_NAME) -> Any:
    """botocore's model of Secrets Manager (or of another API stubtags answers, by its
    botocore name), loaded once (a few milliseconds)."""
    from botocore.loaders import create_loader
    from botocore.model import ServiceModel

    data = create_loader().load_service_model(service_name, "service-2")
    return ServiceModel(data, service_name=service_name)


@functools.cache
def operation_names(service_name: str = SERVICE_NAME) -> dict[str, str]:
    """Every API name, keyed by itself and by its boto3 method name (snake_case)."""
    from botocore import xform_name

    names = service_model(service_name).operation_names
    return {**{xform_name(name): name for name in names}, **{name: name for name in names}}


def as_boto(operation: str, reply: Mapping[str, Any]) -> dict[str, Any]:
    """A wire-form reply as a boto3 client would return it, without ResponseMetadata."""
    from stubtags.responses import parse_like_botocore

    model = service_model().operation_model(operation)
    body = json.dumps(reply, separators=(",", ":")).encode()
    parsed = parse_like_botocore(model, 200, {}, body)
    parsed.pop("ResponseMetadata", None)
    return parsed


def as_wire(value: Any, shape: Any) -> Any:
    """A boto3-form value of `shape` in the service's JSON form (epoch seconds, base64)."""
    kind = shape.type_name
    if kind == "structure":
        return {
            name: as_wire(value[name], member)
            for name, member in shape.members.items()
            if name in value
        }
    if kind == "list":
        return [as_wire(item, shape.member) for item in value]
    if kind == "map":
        return {key: as_wire(item, shape.value) for key, item in value.items()}
    if kind == "timestamp" and not isinstance(value, (int, float)):
        from botocore.utils import parse_to_aware_datetime  # naive means UTC, as botocore

        return parse_to_aware_datetime(value).timestamp()
    if kind == "blob":
        raw = value.encode() if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode()
    return value
