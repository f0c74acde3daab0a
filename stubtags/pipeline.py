"""One intercepted call, top to bottom: decode, authorize, operate, record, reply.

Every call that stubtags answers (Secrets Manager's, the Resource Groups Tagging
API's: `stubtags.services`) goes through `answer`, and only through it, so each
concern has one stage to live in:

* decode: the serialised request back into the members the service receives;
* authorize: who is calling and whether they may (`stubtags.access`, once a test
  registered a principal; until then everyone may, at no cost);
* operate: the operation against the state, under the state's lock;
* record: what happened, as a CloudTrail record for tests to assert on (`events`);
* reply: the outcome as the HTTP response and parsed dict botocore expects.

A `ServiceError` raised by authorize or operate is an outcome like a reply: it is
recorded and answered. Anything else (an unsupported operation, a bug) propagates
to the caller unrecorded, because no AWS reply would carry it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from botocore.validate import ParamValidator

from stubtags import faults, responses
from stubtags.aws_config import FALLBACK_REGION
from stubtags.backend import Backend
from stubtags.errors import UnsupportedOperationError
from stubtags.records import record_eq, record_repr
from stubtags.sensitive import SCREENED, screen
from stubtags.service.errors import ServiceError, ValidationException
from stubtags.service.gate import Gate

if TYPE_CHECKING:
    from botocore.awsrequest import AWSResponse
    from botocore.model import OperationModel

    from stubtags.services import AnsweredService

SECRETS_MANAGER_SOURCE = "secretsmanager.amazonaws.com"
# The body is botocore's own json.dumps output: one value, no whitespace around it, so
# the decoder's scanner reads it without json.loads' checks around (a third cheaper).
_read_json: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


class Call:
    """One API call as the stages see it.

    Compared and shown as the dataclass it was (a test's stage hook receives it).
    Written out because the dataclass cost 1.6 ms at every import (`stubtags.records`).
    """

    _FIELDS = (
        "operation",
        "request",
        "region",
        "request_id",
        "signer",
        "caller",
        "user_agent",
        "event_source",
        "account",
        "gate",
        "body",
    )
    __slots__ = _FIELDS

    def __init__(
        self,
        operation: str,
        request: dict[str, Any],
        region: str,
        request_id: str,
        signer: Any = None,
        caller: Any = None,
        user_agent: str | None = None,
        event_source: str = SECRETS_MANAGER_SOURCE,
        account: str | None = None,
        gate: Gate | None = None,
        body: bytes | None = None,
    ) -> None:
        self.operation = operation  # the API name, e.g. "TagResource"
        self.request = request  # the members as the service receives them
        self.region = region  # the region the client talks to
        self.request_id = request_id  # the RequestId the client will see
        self.signer = signer  # the client's request signer: its credentials name the caller
        # Set by authorize when principals are in play (else None: the account's root
        # user): arn, account_id, kind ("Root" | "IAMUser" | "AssumedRole"), access_key,
        # name, and for AssumedRole role_arn and session_name.
        self.caller = caller
        self.user_agent = user_agent  # the client's User-Agent header
        # CloudTrail's eventSource: "secretsmanager.amazonaws.com", "tagging.amazonaws.com"
        self.event_source = event_source
        self.account = account  # the account the call lands in; None: the handle's
        self.gate = gate  # what the operation asks itself (per-secret checks, lock-out)
        self.body = body  # the request as serialised: what the call record keeps

    def __eq__(self, other: object) -> bool:
        return record_eq(self, other, self._FIELDS)

    def __repr__(self) -> str:
        return record_repr(self, self._FIELDS)

    def with_request_id(self, request_id: str) -> Call:
        """The same call under another RequestId (a retried attempt)."""
        attempt = copy.copy(self)
        attempt.request_id = request_id
        return attempt

    @property
    def access_key(self) -> str | None:
        """The access key id of the client's credentials, or None without credentials.

        (The call record reads it the same way, written out: `EventLog.record`.)
        """
        try:  # attribute reads, not getattr with defaults: cheaper on every recorded call
            key: str | None = self.signer._credentials.access_key
        except AttributeError:  # no signer, or a signer without credentials
            return None
        return key


class Route:
    """What one hooked client's calls share: fixed when the client is first seen.

    Never changed once made (its `user_agent` list is updated in place); shown in
    botocore's debug log, as the dataclass it was. Written out because the frozen
    dataclass cost 1.5 ms at every import (`stubtags.records`).
    """

    __slots__ = (
        "answering",
        "fault_hooks",
        "parser_factory",
        "response_class",
        "service",
        "user_agent",
        "validated",
    )

    def __init__(
        self,
        response_class: type[AWSResponse],
        validated: bool,
        service: AnsweredService,
        answering: Answering,
        parser_factory: object = None,
        fault_hooks: faults.ClientHooks | None = None,
    ) -> None:
        self.response_class = response_class  # botocore's or aiobotocore's, lazy variant
        self.validated = validated  # whether botocore validated the request client side
        self.service = service
        # Whose `backend` answers, read per call (the interceptor): None once stopped.
        self.answering = answering
        self.parser_factory = parser_factory  # the client's: its parser settings shape the reply
        # The client's before-send and choose-signer hooks, registered at its first
        # deferred call (`faults.ClientHooks`); None: a call with no client to hook.
        self.fault_hooks = fault_hooks
        # The client's User-Agent as last seen: botocore makes the same text anew for every
        # call, and the call record keeps this one copy of it rather than one per call.
        self.user_agent: list[str | None] = [None]

    def __eq__(self, other: object) -> bool:
        # Neither the client's own hooks nor the User-Agent seen are compared.
        return record_eq(self, other, _ROUTE_FIELDS[:-2])

    def __repr__(self) -> str:
        return record_repr(self, _ROUTE_FIELDS)


_ROUTE_FIELDS = (
    "response_class",
    "validated",
    "service",
    "answering",
    "parser_factory",
    "fault_hooks",
    "user_agent",
)


class Answering(Protocol):
    """What a route reads per call: the running mock's backend, or None when stopped."""

    backend: Backend | None


def answer(
    route: Route,
    model: OperationModel,
    params: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any = None,
    **_: Any,
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """Answer one call made by a client of `route.service`, at its `before-call` event.

    The client's handler is this function bound to its route (`functools.partial`):
    botocore passes the rest by keyword. None lets the call go on: with no mock
    running (stopped between registration and this call), or with a canned answer
    queued, to `before-send`, where each attempt is answered inside botocore's
    retry loop (see `stubtags.faults`).
    """
    backend = route.answering.backend
    if backend is None:
        return None
    call = decode(model, params, context, request_signer, route)
    replies = backend.state.replies
    if replies.queues and replies.pending(backend.account_id, call.operation):

        def attempt(canned: faults.CannedReply | None) -> AWSResponse:
            return answer_attempt(backend, call, model, route, canned)

        deferred = faults.Deferred(
            backend.state.replies, backend.account_id, call.operation, attempt
        )
        if route.fault_hooks is not None:
            route.fault_hooks.register()
        faults.defer(context, deferred)
        return None
    return operate(backend, call, model, route)


def answer_attempt(
    backend: Backend,
    call: Call,
    model: OperationModel,
    route: Route,
    canned: faults.CannedReply | None,
) -> AWSResponse:
    """One attempt of a deferred call: the canned answer if one is left, else the backend's."""
    call = call.with_request_id(responses.new_request_id())  # one per attempt
    if canned is None:
        return operate(backend, call, model, route)[0]
    response_class = route.response_class
    if canned.error is not None:
        record(backend, call, None, canned.error)
        return responses.failure(model, canned.error, response_class, call.request_id)[0]
    record(backend, call, canned.reply, None)
    return responses.success(model, canned.reply, response_class, call.request_id)[0]


def operate(
    backend: Backend, call: Call, model: OperationModel, route: Route
) -> tuple[AWSResponse, dict[str, Any]]:
    """validate, authorize, operate, record, reply: the backend's answer to one call."""
    operation = route.service.operations.get(call.operation)
    if operation is None:  # refused before any check: we could not judge it anyway
        raise UnsupportedOperationError(
            call.operation, list(route.service.operations), route.service.title
        )
    try:
        if not route.validated:
            validate_like_the_service(call.request, model)
        authorize(backend, call)
        reply = backend.run(operation, call.request, call.region, call.account, call.gate)
    except ServiceError as error:
        record(backend, call, None, error)
        return responses.failure(
            model, error, route.response_class, call.request_id, route.parser_factory
        )
    record(backend, call, reply, None)
    return responses.success(
        model,
        reply,
        route.response_class,
        call.request_id,
        route.parser_factory,
        fresh=getattr(operation, "fresh_reply", False),
    )


def decode(
    model: OperationModel,
    params: dict[str, Any],
    context: dict[str, Any],
    signer: Any,
    route: Route,
) -> Call:
    """The serialised request (botocore's request dict) as the service would read it."""
    body = params.get("body")
    if isinstance(body, str):
        body = body.encode()
    user_agent = params["headers"].get("User-Agent")
    seen = route.user_agent
    last = seen[0]
    if user_agent == last:  # compared, not hashed: cheaper than interning
        user_agent = last
    else:
        seen[0] = user_agent
    return Call(
        model.name,
        _read_json(body.decode(), 0)[0] if body else {},
        context.get("client_region") or FALLBACK_REGION,
        responses.new_request_id(),
        signer,
        None,
        user_agent,
        route.service.event_source,
        None,
        None,
        body or None,
    )


def validate_like_the_service(request: dict[str, Any], model: OperationModel) -> None:
    """With botocore's client-side validation turned off, the service still checks.

    Missing required members and wrong types reach the service then, which refuses
    them; every operation relies on a well-formed request, so this is the one place
    a request's types are checked.
    """
    if model.input_shape is None:
        return
    report = ParamValidator().validate(request, model.input_shape)
    if report.has_errors():
        raise ValidationException(report.generate_report())


def authorize(backend: Backend, call: Call) -> None:
    """The authorize stage: raise the service's error to refuse the call.

    Without a registered principal every caller is the account's root user and may do
    everything: return at once, so calls cost what they did before permissions existed.
    """
    access = backend.state.access
    if access is None or not access.by_key:  # no principal ever registered
        return
    (_authorize_call or _load_permissions())(backend, call, access)


_authorize_call: Any = None


def _load_permissions() -> Any:
    """`stubtags.access` is imported on the first call with principals in play."""
    global _authorize_call
    from stubtags.access.authorize import authorize_call

    _authorize_call = authorize_call
    return authorize_call


def record(
    backend: Backend, call: Call, reply: dict[str, Any] | None, error: ServiceError | None
) -> None:
    """The record stage: sees every answered call, its reply or its error.

    It appends the call to the shared call record (`Backend.events`) and, after a
    successful write of tags or a description, runs the sensitive-data check.
    """
    backend.state.events.record(backend.account_id, call, reply, error)
    if error is None and call.operation in SCREENED:
        screen(backend, call)
