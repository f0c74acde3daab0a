"""Interception: answer Secrets Manager calls from the backend, inside botocore.

Why this design. botocore copies its list of built-in handlers into each session
when the session is made, and each client copies its session's emitter, so a
handler added to the built-ins later never reaches a client that already exists
(a module-level client in the code under test, say). Instead, while a mock is
active, `BaseClient._make_api_call` is wrapped at class level (and aiobotocore's
override of it, when aiobotocore is installed): the first call a Secrets Manager
client makes registers our `before-call` handler on that client's own emitter.
That reaches every client, however old, for the price of one set lookup per call.
Clients of other services only pass through the wrapper.

The handler answers at `before-call`, after botocore validated and serialised the
request, so the backend sees the members exactly as AWS would receive them (the
decoded JSON body, including botocore's generated ClientRequestToken), and botocore
then maps an error reply to its modeled exception class as it would for AWS.
Returning a response there skips credentials, signing, retries and the network.

When the last mock stops, the class attributes are put back and the handler is
unregistered from every client it was added to: botocore is as if never touched.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.model import OperationModel

from stubtags import responses
from stubtags.errors import ServiceError

if TYPE_CHECKING:
    from stubtags.handle import Backend

# botocore emits `before-call.<hyphenized service id>.<Operation>`; the service id
# of Secrets Manager is "Secrets Manager", so the prefix below covers every operation.
EVENT = "before-call.secrets-manager"
SERVICE_NAME = "secretsmanager"
_UNIQUE_ID = "stubtags-answer"
_FALLBACK_REGION = "us-east-1"

Handler = Callable[..., "tuple[AWSResponse, dict[str, Any]] | None"]


class Interceptor:
    """Process-wide switch: which backend answers, and the botocore patches."""

    def __init__(self) -> None:
        self.backend: Backend | None = None
        self._lock = threading.Lock()
        self._patched: list[tuple[type[Any], Any]] = []
        self._hooked: weakref.WeakKeyDictionary[Any, Handler] = weakref.WeakKeyDictionary()
        self._handlers: dict[type[Any], Handler] = {}

    @property
    def installed(self) -> bool:
        return bool(self._patched)

    def activate(self, backend: Backend) -> None:
        with self._lock:
            self.backend = backend
            if not self._patched:
                self._install()

    def deactivate(self) -> None:
        with self._lock:
            self.backend = None
            self._uninstall()

    # -- botocore patching ------------------------------------------------------------

    def _client_classes(self) -> list[tuple[type[Any], type[AWSResponse]]]:
        classes: list[tuple[type[Any], type[AWSResponse]]] = [(BaseClient, AWSResponse)]
        if _has_aiobotocore():
            from aiobotocore.awsrequest import AioAWSResponse
            from aiobotocore.client import AioBaseClient

            classes.append((AioBaseClient, AioAWSResponse))
        return classes

    def _install(self) -> None:
        import wrapt

        for cls, response_class in self._client_classes():
            original = cls.__dict__["_make_api_call"]
            handler = self._make_handler(responses.response_class_for(response_class))
            self._handlers[cls] = handler
            cls._make_api_call = wrapt.FunctionWrapper(original, self._hook_client)
            self._patched.append((cls, original))

    def _uninstall(self) -> None:
        for cls, original in reversed(self._patched):
            cls._make_api_call = original
        self._patched.clear()
        for client, handler in list(self._hooked.items()):
            client.meta.events.unregister(EVENT, handler, unique_id=_UNIQUE_ID)
        self._hooked.clear()
        self._handlers.clear()

    def _hook_client(self, wrapped: Callable[..., Any], client: Any, args: Any, kwargs: Any) -> Any:
        """Runs before every API call of every client while a mock is active."""
        if client._service_model.service_name == SERVICE_NAME and client not in self._hooked:
            handler = self._handler_for(type(client))
            if handler is not None:
                client.meta.events.register(EVENT, handler, unique_id=_UNIQUE_ID)
                self._hooked[client] = handler
        return wrapped(*args, **kwargs)

    def _handler_for(self, client_class: type[Any]) -> Handler | None:
        for cls in client_class.__mro__:
            handler = self._handlers.get(cls)
            if handler is not None:
                return handler
        return None

    def _make_handler(self, response_class: type[AWSResponse]) -> Handler:
        def answer(
            model: OperationModel, params: dict[str, Any], context: dict[str, Any], **_: Any
        ) -> tuple[AWSResponse, dict[str, Any]] | None:
            backend = self.backend
            if backend is None:  # stopped between registration and this call
                return None
            body = params.get("body")
            request = json.loads(body.decode() if isinstance(body, bytes) else body or "{}")
            region = context.get("client_region") or _FALLBACK_REGION
            try:
                reply = backend.invoke(model.name, request, region)
            except ServiceError as error:
                return responses.failure(model, error, response_class)
            return responses.success(model, reply, response_class)

        return answer


_aiobotocore_present: bool | None = None


def _has_aiobotocore() -> bool:
    """Whether aiobotocore is installed; looked up once, imported only if present."""
    global _aiobotocore_present
    if _aiobotocore_present is None:
        _aiobotocore_present = importlib.util.find_spec("aiobotocore") is not None
    return _aiobotocore_present


INTERCEPTOR = Interceptor()
