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

This module holds what every running mock needs: the queues and those two hooks. The
answers a test queues, and the checks of its arguments, are `stubtags.canned`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse

    from stubtags.canned import DEFAULT_MESSAGE as DEFAULT_MESSAGE
    from stubtags.canned import CannedReply as CannedReply
    from stubtags.canned import Deferred as Deferred
    from stubtags.canned import InjectedError as InjectedError
    from stubtags.canned import fail as fail
    from stubtags.canned import respond as respond

MARK = "stubtags.deferred"  # key in botocore's request context: a call answered at before-send


class CannedReplies:
    """The queues of canned answers, per (account, operation), first queued first used."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Public because every call reads it: the pipeline asks `pending` only when a
        # queue exists. Changed under `_lock` only.
        self.queues: dict[tuple[str, str], list[CannedReply]] = {}

    def add(self, canned: CannedReply) -> CannedReply:
        with self._lock:
            canned._owner = self
            self.queues.setdefault((canned.account, canned.operation), []).append(canned)
        return canned

    def pending(self, account: str, operation: str) -> bool:
        """Whether a canned answer waits for this account's `operation`: a dict lookup."""
        return bool(self.queues) and (account, operation) in self.queues

    def take(self, account: str, operation: str) -> CannedReply | None:
        """Use up one answer of the first queued entry, or None if none is left."""
        with self._lock:
            queue = self.queues.get((account, operation))
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
            queue = self.queues.get((canned.account, canned.operation), [])
            if canned in queue:
                self._drop(queue, canned)

    def clear(self, account: str) -> None:
        with self._lock:
            for key in [key for key in self.queues if key[0] == account]:
                del self.queues[key]

    def _drop(self, queue: list[CannedReply], canned: CannedReply) -> None:
        queue.remove(canned)
        if not queue:
            del self.queues[(canned.account, canned.operation)]


# -- answering at before-send ----------------------------------------------------------------


def defer(context: dict[str, Any], deferred: Deferred) -> None:
    context[MARK] = deferred


class ClientHooks:
    """`hooks` for one client's emitter, registered at its first deferred call.

    Registering a botocore handler costs 0.1-0.2 ms (event aliasing, a check of its
    signature), and most clients never meet a canned answer: a hooked client pays for
    these two only when one of its calls is deferred. Registered while botocore emits
    that call's `before-call`, they are in place for its `choose-signer` and
    `before-send`, which come later in the same call.
    """

    __slots__ = ("_emitter", "_service_id", "registered")

    def __init__(self, emitter: Any, service_id: str) -> None:
        self._emitter = emitter
        self._service_id = service_id
        self.registered = False

    def register(self) -> None:
        if not self.registered:
            for event, hook, unique_id in hooks(self._service_id):
                self._emitter.register(event, hook, unique_id=unique_id)
            self.registered = True


def unhook(emitter: Any, service_id: str) -> None:
    """Take `hooks` off a client's emitter; those never registered are skipped."""
    for event, hook, unique_id in hooks(service_id):
        emitter.unregister(event, hook, unique_id=unique_id)


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


def hooks(service_id: str) -> tuple[tuple[str, Callable[..., Any], str], ...]:
    """(event, handler, unique id) for a client of the service botocore names `service_id`
    in its events ("secrets-manager"): registered at its first deferred call
    (`ClientHooks`). The more specific event name puts ours ahead of botocore's
    generic `choose-signer` ones."""
    return (
        (f"choose-signer.{service_id}", unsigned, "stubtags-unsigned"),
        (f"before-send.{service_id}", answer_attempt, "stubtags-attempt"),
    )


# What a test queues lives in `stubtags.canned`, imported once a test queues an answer:
# every running mock needs the queue and the hooks above, few tests need the rest.
_CANNED = frozenset(
    {"DEFAULT_MESSAGE", "CannedReply", "Deferred", "InjectedError", "fail", "respond"}
)


def __getattr__(name: str) -> Any:
    if name not in _CANNED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from stubtags import canned

    value = getattr(canned, name)
    globals()[name] = value  # looked up once
    return value
