"""Turn a backend reply into what botocore would have made of the real HTTP reply.

The parsed reply is built straight from the operation's output shape
(`reply_shapes`), in exactly the types and shapes botocore's JSON parser gives
for the same body: timestamps become the datetimes the client's timestamp parser
makes, blobs bytes, absent members stay absent, and an error carries `Error` plus
its modeled members, as botocore's endpoint adds them. Going through the parser
instead (`parse_like_botocore`, kept for the equivalence test and for shapes the
walk does not model) makes the reply stage five to eight times as costly.

The JSON body is made only when someone reads the HTTP response's `.content` (an
`after-call` handler, say): encoding it cost more than the rest of the reply for a
reply with tags or a list page, for no reader. So no `content-length` header is
announced either: its value would have been the length of stubtags' own body,
which no test can compare with AWS's (the service writes its numbers differently).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from email.utils import formatdate
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.model import OperationModel, StructureShape
from botocore.parsers import ResponseParserFactory

from stubtags import reply_shapes
from stubtags.service.errors import ServiceError

# The body of a reply: compact, as the service writes it; no cycle check (replies are trees).
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)
_EMPTY = b"{}"
_CONTENT_TYPE = "application/x-amz-json-1.1"
# The Date header, and the second [from, until) it was made for: floats, so that
# telling whether `time.time()` is still in it takes two float comparisons, no int().
_date_from, _date_until, _date_text = 0.0, 0.0, ""
# Request ids look like the service's (UUID text) and are unique in the process:
# a random per-process prefix and a counter cost far less than uuid4() per call.
_ID_PREFIX = os.urandom(10).hex()
_ID_HEAD = f"{_ID_PREFIX[:8]}-{_ID_PREFIX[8:12]}-4{_ID_PREFIX[13:16]}-a{_ID_PREFIX[17:20]}-"
# The counter's last 12 hex digits end the id: counting from 2**48, hex() gives "0x1"
# and then those digits, already zero-padded, through a cheaper path than a format spec.
_ID_BASE = 1 << 48
_id_counter = itertools.count(_ID_BASE + 1)
_new = object.__new__


def new_request_id() -> str:
    """A RequestId for one call: UUID-shaped, unique in the process."""
    return _ID_HEAD + hex(next(_id_counter))[3:]


def _http_date() -> str:
    """The Date header, formatted once per second rather than once per call."""
    global _date_from, _date_until, _date_text
    now = time.time()
    if not _date_from <= now < _date_until:
        second = int(now)
        _date_text = formatdate(second, usegmt=True)
        _date_from, _date_until = float(second), float(second + 1)
    return _date_text


class LazyResponse(AWSResponse):  # type: ignore[misc]
    """An AWSResponse whose body and headers are built on first use.

    Mixed into botocore's or aiobotocore's response class (`response_class_for`),
    so `.content` works as each one's callers expect (plain or awaited): both read
    `_content`, which encodes the reply the first time; the HeadersDict, which few
    callers ever read, costs nothing until read either.
    """

    url = None  # nothing was sent: no URL and no raw stream, for every reply
    raw = None

    # Made by `lazy_response`, not by a constructor of its own.
    status_code: int
    _reply: Any  # the members in wire form, encoded on first read
    _plain_headers: dict[str, str]
    # Set when `_reply` is the parsed form (a fresh reply converted in place): the
    # body is then made back from it with this output shape.
    _parsed_shape: StructureShape | None = None

    @property
    def _content(self) -> bytes:
        body = self.__dict__.get("_body")
        if body is None:
            reply = self._reply
            if self._parsed_shape is not None:  # the wire form was converted in place
                from stubtags.shapes import as_wire  # rarely read: loaded when it is

                reply = as_wire(reply, self._parsed_shape)
            body = self.__dict__["_body"] = _EMPTY if reply is None else encode(reply)
        return body

    @_content.setter
    def _content(self, value: bytes) -> None:
        self.__dict__["_body"] = value

    @property
    def headers(self) -> HeadersDict:
        built = self.__dict__.get("_headers")
        if built is None:
            built = self.__dict__["_headers"] = HeadersDict(self._plain_headers)
        return built

    @headers.setter
    def headers(self, value: HeadersDict) -> None:
        self.__dict__["_headers"] = value


def lazy_response(
    response_class: type[AWSResponse],
    status: int,
    headers: dict[str, str],
    reply: Any,
    parsed_shape: StructureShape | None = None,
) -> AWSResponse:
    """A `response_class` (a LazyResponse) for one reply: its members in wire form, or
    in parsed form with their `parsed_shape`.

    Made without a constructor: calling a class whose __init__ is Python code is the
    costliest call there is, and every reply makes one (`success` writes this out:
    a Python call fewer on every successful reply).
    """
    response: Any = _new(response_class)
    response.status_code = status
    response._reply = reply
    response._plain_headers = headers
    if parsed_shape is not None:
        response._parsed_shape = parsed_shape
    return response


def encode(members: dict[str, Any]) -> bytes:
    """The JSON body of a reply, compact, as the service sends it."""
    return _ENCODER.encode(members).encode()


def response_class_for(base: type[AWSResponse]) -> type[AWSResponse]:
    """The lazy variant of `base` (AWSResponse or aiobotocore's AioAWSResponse)."""
    if issubclass(base, LazyResponse):
        return base
    return type(f"Stubtags{base.__name__}", (LazyResponse, base), {})


def _headers(request_id: str | None) -> dict[str, str]:
    return {
        "x-amzn-requestid": request_id or new_request_id(),
        "content-type": _CONTENT_TYPE,
        "date": _http_date(),
    }


def _metadata(status: int, headers: dict[str, str]) -> dict[str, Any]:
    """`ResponseMetadata` as the parser and the endpoint fill it (no retries here)."""
    return {
        "RequestId": headers["x-amzn-requestid"],
        "HTTPStatusCode": status,
        "HTTPHeaders": headers.copy(),  # the parser's lower-cased copy
        "RetryAttempts": 0,
    }


def success(
    model: OperationModel,
    reply: dict[str, Any] | None,
    response_class: type[AWSResponse],
    request_id: str | None = None,
    parser_factory: object = None,
    *,
    via_parser: bool = False,
    fresh: bool = False,
) -> tuple[AWSResponse, dict[str, Any]]:
    """The answer to a call that succeeded; `reply` holds the members in wire form.

    `parser_factory` is the client's (see `reply_shapes.scalars_for`): its timestamp
    and blob parsers apply as they would to a reply from AWS. `via_parser` takes
    the slow road, botocore's parser on the body, as the equivalence test does.
    `fresh`: the operation built `reply` for this call alone (`fresh_reply`), so
    it may become the parsed reply itself.
    """
    # As `_headers` and `_http_date`, written out: every reply makes them.
    request_id = request_id or new_request_id()
    date = _date_text if _date_from <= time.time() < _date_until else _http_date()
    headers = {"x-amzn-requestid": request_id, "content-type": _CONTENT_TYPE, "date": date}
    if via_parser:
        body = _EMPTY if reply is None else encode(reply)
        return _parsed(model, 200, headers, body, response_class, parser_factory)
    shape = model.output_shape
    parsed_shape = None  # set when `reply` becomes the parsed reply
    # In place only with botocore's own scalars, or when nothing in the shape changes
    # type (`fresh_converter`): the body is made back from the parsed form, which a
    # custom timestamp parser may have made unreadable.
    if shape is None or reply is None:
        parsed: dict[str, Any] = {}
    elif fresh and (in_place := reply_shapes.fresh_converter(shape, parser_factory)) is not None:
        parsed = reply if in_place is reply_shapes.UNCHANGED else in_place(reply)
        parsed_shape = shape
    else:
        scalars = reply_shapes.scalars_for(parser_factory)
        convert = reply_shapes.structure_converter(shape, scalars)
        if convert is None:
            return _parsed(model, 200, headers, encode(reply), response_class, parser_factory)
        parsed = convert(reply)
    # ResponseMetadata as the parser and the endpoint fill it (no retries here), with
    # the parser's own lower-cased copy of the headers (a literal: no dict.copy call).
    parsed["ResponseMetadata"] = {
        "RequestId": request_id,
        "HTTPStatusCode": 200,
        "HTTPHeaders": {
            "x-amzn-requestid": request_id,
            "content-type": _CONTENT_TYPE,
            "date": date,
        },
        "RetryAttempts": 0,
    }
    # As `lazy_response`, written out.
    response: Any = _new(response_class)
    response.status_code = 200
    response._reply = reply
    response._plain_headers = headers
    if parsed_shape is not None:
        response._parsed_shape = parsed_shape
    return response, parsed


def failure(
    model: OperationModel,
    error: ServiceError,
    response_class: type[AWSResponse],
    request_id: str | None = None,
    parser_factory: object = None,
    *,
    via_parser: bool = False,
) -> tuple[AWSResponse, dict[str, Any]]:
    """The answer to a call the service refuses: `Error`, plus the modeled members.

    As botocore reads a JSON error body: the code is `__type` cut before any ':'
    and after any '#'; then, as its endpoint does for a code the model declares,
    the body is read again with that error's shape and the members (for Secrets
    Manager, `Message`) join the top level.
    """
    members = {"__type": error.code, "Message": error.message}
    headers = _headers(request_id)
    status = error.status
    if via_parser or status < 301:  # below 301 the parser reads a success: let it
        return _parsed(model, status, headers, encode(members), response_class, parser_factory)
    code = error.code
    if ":" in code:
        code = code.split(":", 1)[0]
    if "#" in code:
        code = code.rsplit("#", 1)[1]
    parsed: dict[str, Any] = {
        "Error": {"Message": error.message, "Code": code},
        "ResponseMetadata": _metadata(status, headers),
    }
    error_shape = model.service_model.shape_for_error_code(code)
    if error_shape is not None:
        scalars = reply_shapes.scalars_for(parser_factory)
        convert = reply_shapes.structure_converter(error_shape, scalars)
        if convert is None:
            return _parsed(model, status, headers, encode(members), response_class, parser_factory)
        parsed.update(convert(members))
    return lazy_response(response_class, status, headers, members), parsed


def parse_like_botocore(
    model: OperationModel,
    status: int,
    headers: dict[str, str],
    body: bytes,
    parser_factory: object = None,
) -> dict[str, Any]:
    """What botocore makes of an HTTP reply: its JSON parser, given the options of
    `parser_factory`, with the output shape; then, for an error, its endpoint's
    second pass with the error's own shape."""
    factory = ResponseParserFactory()
    factory.set_parser_defaults(**reply_shapes.parser_options(parser_factory))
    parser = factory.create_parser("json")
    response = {"status_code": status, "headers": headers, "body": body}
    parsed: dict[str, Any] = parser.parse(response, model.output_shape)
    if status >= 300:
        code = parsed.get("Error", {}).get("Code")
        error_shape = None if code is None else model.service_model.shape_for_error_code(code)
        if error_shape is not None:
            parsed.update(parser.parse(response, error_shape))
    parsed["ResponseMetadata"]["RetryAttempts"] = 0
    return parsed


def _parsed(
    model: OperationModel,
    status: int,
    headers: dict[str, str],
    body: bytes,
    response_class: type[AWSResponse],
    parser_factory: object,
) -> tuple[AWSResponse, dict[str, Any]]:
    parsed = parse_like_botocore(model, status, headers, body, parser_factory)
    response = lazy_response(response_class, status, headers, None)
    response._content = body
    return response, parsed
