"""Turn a backend reply into what botocore would have made of the real HTTP reply.

The reply is encoded as the service's JSON body and handed to botocore's own JSON
parser with the operation's output shape, so types (timestamps become timezone-aware
datetimes, blobs become bytes), member names and `ResponseMetadata` are exactly
those of a real call. The parser is the code path a real reply takes; writing the
parsed dict by hand would drift from it.
"""

from __future__ import annotations

import json
import time
import uuid
from email.utils import formatdate
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel
from botocore.parsers import create_parser

from stubtags.errors import ServiceError

_PARSER = create_parser("json")
_CONTENT_TYPE = "application/x-amz-json-1.1"
_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    """The Date header, formatted once per second rather than once per call."""
    global _date_cache
    second = int(time.time())
    if _date_cache[0] != second:
        _date_cache = (second, formatdate(second, usegmt=True))
    return _date_cache[1]


def build(
    model: OperationModel,
    status: int,
    body: bytes,
    response_class: type[AWSResponse] = AWSResponse,
) -> tuple[AWSResponse, dict[str, Any]]:
    request_id = str(uuid.uuid4())
    headers = {
        "x-amzn-requestid": request_id,
        "content-type": _CONTENT_TYPE,
        "content-length": str(len(body)),
        "date": _http_date(),
    }
    parsed: dict[str, Any] = _PARSER.parse(
        {"status_code": status, "headers": headers, "body": body}, model.output_shape
    )
    parsed["ResponseMetadata"]["RetryAttempts"] = 0
    http = response_class(None, status, headers, None)
    http._content = body  # read by `.content` without touching `raw`, sync or async
    return http, parsed


def success(
    model: OperationModel, reply: dict[str, Any] | None, response_class: type[AWSResponse]
) -> tuple[AWSResponse, dict[str, Any]]:
    body = b"{}" if reply is None else json.dumps(reply, separators=(",", ":")).encode()
    return build(model, 200, body, response_class)


def failure(
    model: OperationModel, error: ServiceError, response_class: type[AWSResponse]
) -> tuple[AWSResponse, dict[str, Any]]:
    body = json.dumps({"__type": error.code, "Message": error.message}).encode()
    return build(model, error.status, body, response_class)
