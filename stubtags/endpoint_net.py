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
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.endpoint import Endpoint

from stubtags import faults, pipeline, responses
from stubtags.services import SERVICES


class EndpointNet:
    """`Endpoint.make_request` wrapped while a mock runs; inert under someone else's wrapper."""

    def __init__(self, answering: pipeline.Answering) -> None:
        self._answering = answering
        self._installed: tuple[Any, Any] | None = None  # (botocore's, ours)

    def install(self) -> None:
        if self._installed is not None:
            return  # ours is still in place, maybe under someone else's wrapper
        original = Endpoint.__dict__["make_request"]
        response_class = responses.response_class_for(AWSResponse)
        answering = self._answering

        @functools.wraps(original)
        def make_request(endpoint: Any, operation_model: Any, request_dict: Any) -> Any:
            service = SERVICES.get(operation_model.service_model.service_name)
            context = request_dict.get("context") or {}
            if (
                service is not None
                and answering.backend is not None
                and faults.MARK not in context
                and not inspect.iscoroutinefunction(type(endpoint)._send_request)
            ):
                route = pipeline.Route(
                    response_class,
                    False,
                    service,
                    answering,
                    getattr(endpoint, "_response_parser_factory", None),
                    faults.ClientHooks(endpoint._event_emitter, service.service_id),
                )
                answered = pipeline.answer(route, operation_model, request_dict, context)
                if answered is not None:
                    return answered
            return original(endpoint, operation_model, request_dict)

        self._installed = (original, make_request)
        Endpoint.make_request = make_request

    def remove(self) -> None:
        if self._installed is not None:
            original, ours = self._installed
            if Endpoint.__dict__.get("make_request") is ours:
                Endpoint.make_request = original
                self._installed = None
