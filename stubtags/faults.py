"""Canned replies and injected errors: `Backend.respond()` and `Backend.fail()`.

Why they are answered where they are. A reply given at `before-call` short-circuits
botocore's whole request path, retries included, so a throttle answered there would
never be retried. A call that has a canned answer queued therefore goes on past
`before-call`, and each attempt is answered at `before-send`, inside the endpoint's
retry loop: botocore parses the reply and its `needs-retry` handlers (legacy,
standard or adaptive mode) judge it exactly as one from AWS, back-off, retry quota,
`RetryAttempts` and the final exception included. Signing runs between the two
events and would need credentials: a `choose-signer` handler makes those calls
unsigned. The `before-send` handler answers every attempt of such a call, so none of
them reaches the network: a queued answer while one is left, then the backend.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stubtags import shapes
from stubtags.service.errors import ServiceError

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse

MARK = "stubtags.deferred"  # key in botocore's request context: a call answered at before-send
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


class CannedReplies:
    """The queues of canned answers, per (account, operation), first queued first used."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[tuple[str, str], list[CannedReply]] = {}

    def add(self, canned: CannedReply) -> CannedReply:
        with self._lock:
            canned._owner = self
            self._queues.setdefault((canned.account, canned.operation), []).append(canned)
        return canned

    def pending(self, account: str, operation: str) -> bool:
        """Asked on every call: a dict lookup, and nothing at all while no queue exists."""
        return bool(self._queues) and (account, operation) in self._queues

    def take(self, account: str, operation: str) -> CannedReply | None:
        """Use up one answer of the first queued entry, or None if none is left."""
        with self._lock:
            queue = self._queues.get((account, operation))
            if not queue:
                return None
            canned = queue[0]
            canned.calls += 1
            if canned.remaining is not None:
                canned.remaining -= 1
                if canned.remaining == 0:
                    self._drop(queue, canned)
            return canned

    def discard(self, canned: CannedReply) -> None:
        with self._lock:
            queue = self._queues.get((canned.account, canned.operation), [])
            if canned in queue:
                self._drop(queue, canned)

    def clear(self, account: str) -> None:
        with self._lock:
            for key in [key for key in self._queues if key[0] == account]:
                del self._queues[key]

    def _drop(self, queue: list[CannedReply], canned: CannedReply) -> None:
        queue.remove(canned)
        if not queue:
            del self._queues[(canned.account, canned.operation)]


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
    name = _operation(operation)
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
    name = _operation(operation)
    shape = shapes.service_model().operation_model(name).output_shape
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


def _operation(operation: object) -> str:
    if not isinstance(operation, str):
        raise TypeError(
            f"operation must be a Secrets Manager operation name like 'TagResource' or "
            f"'tag_resource'; got {type(operation).__name__} {operation!r}"
        )
    name = shapes.operation_names().get(operation)
    if name is None:
        known = sorted(set(shapes.operation_names().values()))
        raise ValueError(
            f"operation must be a Secrets Manager operation, like 'TagResource' or "
            f"'tag_resource'; got {operation!r}. Operations: {', '.join(known)}"
        )
    return name


def _times(times: object) -> int | None:
    if times is None:
        return None
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be a positive int, or None for every call; got {times!r}")
    return times


# -- answering at before-send ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deferred:
    """A call let past before-call; `answer(canned)` builds one attempt's HTTP response."""

    replies: CannedReplies
    account: str
    operation: str
    answer: Callable[[CannedReply | None], AWSResponse]


def defer(context: dict[str, Any], deferred: Deferred) -> None:
    context[MARK] = deferred


def unsigned(context: dict[str, Any] | None = None, **_: Any) -> Any:
    """choose-signer: a deferred call is never signed, so it needs no credentials."""
    if context is not None and MARK in context:
        import botocore

        return botocore.UNSIGNED
    return None


def answer_attempt(request: Any = None, **_: Any) -> AWSResponse | None:
    """before-send: answer one attempt of a deferred call, in place of the network."""
    deferred: Deferred | None = (getattr(request, "context", None) or {}).get(MARK)
    if deferred is None:
        return None
    return deferred.answer(deferred.replies.take(deferred.account, deferred.operation))


# (event, handler, unique id): registered on each hooked client beside the before-call one.
# The more specific event name puts ours ahead of botocore's generic `choose-signer` ones.
HOOKS: tuple[tuple[str, Callable[..., Any], str], ...] = (
    ("choose-signer.secrets-manager", unsigned, "stubtags-unsigned"),
    ("before-send.secrets-manager", answer_attempt, "stubtags-attempt"),
)
