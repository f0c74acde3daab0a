"""Rotation functions: a test's Python callables standing in for Lambda functions.

`Backend.register_lambda(arn, handler)` registers a `handler(event, context)`, the
signature of a Lambda handler, so a team's real rotation module is registered as it
is. RotateSecret calls it synchronously, as Lambda would call the function, with a
context object like Lambda's and the environment a Lambda sees (AWS_REGION,
AWS_DEFAULT_REGION, SECRETS_MANAGER_ENDPOINT, which AWS's rotation templates read),
set for the duration of the call only.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[dict[str, Any], Any], Any]

_FUNCTION_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):lambda:(?P<region>[a-z]+(?:-[a-z]+)+-\d+):"
    r"(?P<account>\d{12}):function:(?P<name>[A-Za-z0-9_-]{1,140})(?::[A-Za-z0-9$_-]{1,128})?"
)
TIMEOUT_MS = 15 * 60 * 1000  # the longest a Lambda function may run


def check_registration(function_arn: object, handler: object) -> None:
    """Refuse what could never be invoked, naming the argument at fault."""
    if not isinstance(function_arn, str):
        raise TypeError(f"function_arn must be a str, got {type(function_arn).__name__}")
    if not _FUNCTION_ARN.fullmatch(function_arn):
        raise ValueError(
            f"function_arn must be a Lambda function ARN "
            f"(arn:aws:lambda:<region>:<account>:function:<name>), got {function_arn!r}"
        )
    if not callable(handler):
        raise TypeError(
            f"handler must be a callable handler(event, context), got {type(handler).__name__}"
        )


@dataclass
class LambdaContext:
    """The members of Lambda's context object that handlers commonly read."""

    function_name: str
    invoked_function_arn: str
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""
    _deadline: float = field(default_factory=lambda: time.monotonic() + TIMEOUT_MS / 1000)

    def __post_init__(self) -> None:
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def invoke(handler: Handler, function_arn: str, event: dict[str, Any]) -> None:
    """Call `handler` as Lambda would call the function `function_arn` with `event`."""
    match = _FUNCTION_ARN.fullmatch(function_arn)
    region = match["region"] if match else ""
    name = match["name"] if match else function_arn
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    environment = {
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "SECRETS_MANAGER_ENDPOINT": f"https://secretsmanager.{region}{suffix}",
    }
    with _environment(environment):
        handler(dict(event), LambdaContext(name, function_arn))


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
