"""What a test queues with `Backend.respond()` and `Backend.fail()`: the answers themselves.

Their arguments are checked here, before anything is queued. Why and where a queued
answer is given is `stubtags.faults`' part, which every running mock needs; this
module (and botocore's model, which `respond` checks a reply against) is imported
only once a test queues an answer (issue #10).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stubtags import shapes
from stubtags.service.errors import ServiceError

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse

    from stubtags.faults import CannedReplies

DEFAULT_MESSAGE = "stubtags injected this error (Backend.fail)."


class InjectedError(ServiceError):
    """The error reply a test asked for, with its own code and HTTP status."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(eq=False)
class CannedReply:
    """One queued answer for an operation; `remaining` None means every call until cancelled.

    `calls` counts the attempts it answered (a retried call counts each attempt).
    """

    operation: str
    account: str
    remaining: int | None
    reply: dict[str, Any] | None = None  # wire form
    error: InjectedError | None = None
    calls: int = 0
    _owner: CannedReplies | None = field(default=None, repr=False)

    def cancel(self) -> None:
        """Take it out of the queue, whatever is left of it."""
        if self._owner is not None:
            self._owner.discard(self)


# -- the handle's API: arguments checked before anything is queued --------------------------


def fail(
    replies: CannedReplies,
    account: str,
    operation: object,
    code: object,
    message: object,
    times: object,
    status: object,
) -> CannedReply:
    _, name = _operation(operation)
    if not isinstance(code, str) or not code or any(c.isspace() for c in code):
        raise TypeError(
            f"code must be an error code string like 'ThrottlingException'; got {code!r}"
        )
    if message is not None and not isinstance(message, str):
        raise TypeError(f"message must be a string or None; got {type(message).__name__}")
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError(f"status must be an HTTP error status, an int 400-599; got {status!r}")
    error = InjectedError(code, DEFAULT_MESSAGE if message is None else message, status)
    return replies.add(CannedReply(name, account, _times(times), error=error))


def respond(
    replies: CannedReplies,
    account: str,
    operation: object,
    reply: Mapping[str, Any] | None,
    times: object,
) -> CannedReply:
    service_name, name = _operation(operation)
    shape = shapes.service_model(service_name).operation_model(name).output_shape
    if not isinstance(reply, (Mapping, type(None))):
        raise TypeError(f"reply must be a dict as boto3 returns it, or None; got {reply!r}")
    given = dict(reply or {})
    given.pop("ResponseMetadata", None)
    if shape is None:
        if given:
            raise ValueError(f"{name} has no reply members; reply must be empty or None")
        return replies.add(CannedReply(name, account, _times(times), reply={}))
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(given, shape)
    if report.has_errors():
        raise ValueError(f"reply is not a valid {name} reply:\n{report.generate_report()}")
    wire = shapes.as_wire(given, shape)
    return replies.add(CannedReply(name, account, _times(times), reply=wire))


def _operation(operation: object) -> tuple[str, str]:
    """(botocore's service name, the API name) of an operation of an API stubtags answers:
    Secrets Manager's, or the Resource Groups Tagging API's (no name is in both)."""
    if not isinstance(operation, str):
        raise TypeError(
            f"operation must be an operation name like 'TagResource' or 'tag_resource'; "
            f"got {type(operation).__name__} {operation!r}"
        )
    from stubtags.services import SERVICES

    for service_name in SERVICES:
        name = shapes.operation_names(service_name).get(operation)
        if name is not None:
            return service_name, name
    lists = "; ".join(
        f"{service.title}: {', '.join(sorted(set(shapes.operation_names(service.name).values())))}"
        for service in SERVICES.values()
    )
    raise ValueError(
        f"operation must be a Secrets Manager or Resource Groups Tagging API operation, "
        f"like 'TagResource' or 'get_resources'; got {operation!r}. Operations: {lists}"
    )


def _times(times: object) -> int | None:
    if times is None:
        return None
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be a positive int, or None for every call; got {times!r}")
    return times


# -- a call answered at before-send (`stubtags.faults`) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Deferred:
    """A call let past before-call; `answer(canned)` builds one attempt's HTTP response."""

    replies: CannedReplies
    account: str
    operation: str
    answer: Callable[[CannedReply | None], AWSResponse]
