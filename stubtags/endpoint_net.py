"""The last line of interception: botocore's endpoint, where a request would be sent.

A client's calls are answered at `before-call` once its first call has hooked it
(`stubtags.interception`). A test can still step around that hook: a patch of
`_make_api_call` on a client's own class made before the client's first call takes
the catcher's place, and then nothing of ours sees the call until here. The promise
is that nothing is sent, so while a mock runs, `Endpoint.make_request` (reached only
by calls no `before-call` handler answered) gives a call of an answered service the
backend's answer. The call is then checked as the service would (`validated`
False) and made with no signer, so the record names no access key and a registered
principal cannot be told. Calls deferred to `before-send` (a canned answer queued)
and aiobotocore's endpoints (its clients keep a wrapper that always hooks them) go
on to botocore.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.endpoint import Endpoint

from stubtags import faults, pipeline, responses
from stubtags.patching import AttributePatch
from stubtags.services import SERVICES


class EndpointNet:
    """`Endpoint.make_request` wrapped while a mock runs; inert under someone else's wrapper."""

    def __init__(self, answering: pipeline.Answering) -> None:
        self._answering = answering
        self._patch = AttributePatch(Endpoint, "make_request")
        # Emitters given the canned-reply hooks by a call deferred here (service id by
        # emitter id): no client is hooked for them, so `remove` takes them away.
        self._hooked: dict[int, tuple[weakref.ref[Any], str]] = {}

    def install(self) -> None:
        self._patch.install(self._wrapper)

    def _wrapper(self, original: Any) -> Any:
        response_class = responses.response_class_for(AWSResponse)
        answering = self._answering
        hooked = self._hooked

        @functools.wraps(original)
        def make_request(endpoint: Any, operation_model: Any, request_dict: Any) -> Any:
            service = SERVICES.get(operation_model.service_model.service_name)
            context = request_dict.get("context")
            if context is None:
                context = {}  # botocore cannot make a request of it either
            if (
                service is not None
                and answering.backend is not None
                and faults.MARK not in context
                and not inspect.iscoroutinefunction(type(endpoint)._send_request)
            ):
                emitter = endpoint._event_emitter
                client_hooks = faults.ClientHooks(emitter, service.service_id)
                route = pipeline.Route(
                    response_class,
                    False,
                    service,
                    answering,
                    getattr(endpoint, "_response_parser_factory", None),
                    client_hooks,
                )
                answered = pipeline.answer(route, operation_model, request_dict, context)
                if answered is not None:
                    return answered
                if client_hooks.registered:
                    known = hooked.get(id(emitter))
                    if known is None or known[0]() is not emitter:  # an id may be reused
                        hooked[id(emitter)] = (weakref.ref(emitter), service.service_id)
            return original(endpoint, operation_model, request_dict)

        return make_request

    def remove(self) -> None:
        for emitter_ref, service_id in list(self._hooked.values()):
            emitter = emitter_ref()
            if emitter is not None:
                faults.unhook(emitter, service_id)
        self._hooked.clear()
        self._patch.remove()
