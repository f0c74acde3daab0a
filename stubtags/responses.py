"""Turn a backend reply into what botocore would have made of the real HTTP reply.

The reply is encoded as the service's JSON body and handed to botocore's own JSON
parser with the operation's output shape, so types (timestamps become timezone-aware
datetimes, blobs become bytes), member names and `ResponseMetadata` are exactly
those of a real call. The parser is the code path a real reply takes; writing the
parsed dict by hand would drift from it.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from email.utils import formatdate
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.model import OperationModel
from botocore.parsers import create_parser

from stubtags.service.errors import ServiceError

_PARSER = create_parser("json")
_EMPTY = b"{}"
_CONTENT_TYPE = "application/x-amz-json-1.1"
_date_cache: tuple[int, str] = (0, "")
# Request ids look like the service's (UUID text) and are unique in the process:
# a random per-process prefix and a counter cost far less than uuid4() per call.
_ID_PREFIX = os.urandom(10).hex()
_ID_PREFIX = f"{_ID_PREFIX[:8]}-{_ID_PREFIX[8:12]}-4{_ID_PREFIX[13:16]}-a{_ID_PREFIX[17:20]}"
_id_counter = itertools.count(1)


def new_request_id() -> str:
    """A RequestId for one call: UUID-shaped, unique in the process."""
    return f"{_ID_PREFIX}-{next(_id_counter):012x}"


def _http_date() -> str:
    """The Date header, formatted once per second rather than once per call."""
    global _date_cache
    second = int(time.time())
    if _date_cache[0] != second:
        _date_cache = (second, formatdate(second, usegmt=True))
    return _date_cache[1]


class LazyHeaders(AWSResponse):  # type: ignore[misc]
    """An AWSResponse whose body is already known and whose headers are built on use.

    Mixed into botocore's or aiobotocore's response class (`response_class_for`),
    so `.content` works as each one's callers expect (plain or awaited), while the
    HeadersDict, which few callers ever read, costs nothing until read.
    """

    def __init__(self, url: str | None, status: int, headers: dict[str, str], body: bytes) -> None:
        self.url = url
        self.status_code = status
        self.raw = None
        self._content = body  # `.content` returns it without reading `raw`
        self._plain_headers = headers

    @property
    def headers(self) -> HeadersDict:
        built = self.__dict__.get("_headers")
        if built is None:
            built = self.__dict__["_headers"] = HeadersDict(self._plain_headers)
        return built

    @headers.setter
    def headers(self, value: HeadersDict) -> None:
        self.__dict__["_headers"] = value


def response_class_for(base: type[AWSResponse]) -> type[AWSResponse]:
    """The lazy-headers variant of `base` (AWSResponse or aiobotocore's AioAWSResponse)."""
    if issubclass(base, LazyHeaders):
        return base
    return type(f"Stubtags{base.__name__}", (LazyHeaders, base), {})


def build(
    model: OperationModel,
    status: int,
    body: bytes,
    response_class: type[AWSResponse] = AWSResponse,
    request_id: str | None = None,
) -> tuple[AWSResponse, dict[str, Any]]:
    request_id = request_id or new_request_id()
    headers = {
        "x-amzn-requestid": request_id,
        "content-type": _CONTENT_TYPE,
        "content-length": str(len(body)),
        "date": _http_date(),
    }
    if body is _EMPTY:
        # What the parser makes of `{}` for an operation with no output shape,
        # without the walk: the hot path of TagResource and UntagResource.
        parsed: dict[str, Any] = {
            "ResponseMetadata": {
                "RequestId": request_id,
                "HTTPStatusCode": status,
                "HTTPHeaders": headers,
            }
        }
    else:
        parsed = _PARSER.parse(
            {"status_code": status, "headers": headers, "body": body}, model.output_shape
        )
    parsed["ResponseMetadata"]["RetryAttempts"] = 0
    return response_class(None, status, headers, body), parsed


def success(
    model: OperationModel,
    reply: dict[str, Any] | None,
    response_class: type[AWSResponse],
    request_id: str | None = None,
) -> tuple[AWSResponse, dict[str, Any]]:
    body = _EMPTY if reply is None else json.dumps(reply, separators=(",", ":")).encode()
    return build(model, 200, body, response_class, request_id)


def failure(
    model: OperationModel,
    error: ServiceError,
    response_class: type[AWSResponse],
    request_id: str | None = None,
) -> tuple[AWSResponse, dict[str, Any]]:
    body = json.dumps({"__type": error.code, "Message": error.message}).encode()
    return build(model, error.status, body, response_class, request_id)
