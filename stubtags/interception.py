"""Interception: answer the calls of the APIs in `stubtags.services` (Secrets Manager,
the Resource Groups Tagging API) from the backend, inside botocore.

Why this design. botocore copies its list of built-in handlers into each session
when the session is made, and each client copies its session's emitter, so a
handler added to the built-ins later never reaches a client that already exists
(a module-level client in the code under test, say). Instead, while a mock is
active, each client class gets a catcher: botocore makes one class per client, a
subclass of `BaseClient`, and the catcher is that class's `_make_api_call`. The
first call of the client registers our `before-call` handler for its service on
the client's own emitter (or, for another service, does nothing), then removes
the catcher: later calls find botocore's own method, with no frame of ours in
between, and whatever wraps `BaseClient._make_api_call` later (a tracer, a
test's patch) still sees them. Classes that exist when the mock starts get one
from a walk of `BaseClient`'s subclasses, classes made while it runs from
`BaseClient.__init_subclass__` and, those botocore makes for its clients, from
`ClientCreator._create_client_class`. Classes that define their own `_make_api_call`
(aiobotocore's `AioBaseClient`, a test's subclass) are wrapped for good instead,
hooking each client at its first call, at two dict lookups per call after that.
A call that steps around all of it still meets `stubtags.endpoint_net` before it
could be sent.

The handler answers at `before-call`, after botocore validated and serialised the
request, so the backend sees the members exactly as AWS would receive them (the
decoded JSON body, including botocore's generated ClientRequestToken), and botocore
then maps an error reply to its modeled exception class as it would for AWS.
Returning a response there skips credentials, signing, retries and the network.
A call with a canned answer queued (`Backend.fail`/`respond`) is the exception: it
is answered one attempt at a time at `before-send`, so botocore retries it
(`stubtags.faults` says why and how).

When the last mock stops, the catchers still waiting go, the class attributes are
put back and the handler is unregistered from every client it was added to:
botocore is as if never touched (unless a tracer wrapped ours meanwhile; ours
then stays under it, inert).
"""

from __future__ import annotations

import functools
import inspect
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient, ClientCreator
from botocore.validate import ParamValidationDecorator

from stubtags import faults, pipeline, responses
from stubtags.backend import Backend
from stubtags.endpoint_net import EndpointNet
from stubtags.patching import AttributePatch, in_chain
from stubtags.services import SECRETS_MANAGER, SERVICES, AnsweredService

# Secrets Manager's entry of the table, under the names this module had before it.
EVENT = SECRETS_MANAGER.event
SERVICE_NAME = SECRETS_MANAGER.name
_UNIQUE_ID = "stubtags-answer"

Handler = Callable[..., "tuple[AWSResponse, dict[str, Any]] | None"]


class Interceptor:
    """The botocore patches, and which backend answers through them.

    Invariant: `backend` is the innermost running mock's backend (the top of
    lifecycle's activation stack), or None when no mock runs. Lifecycle owns that
    stack and is the only caller of `answer_with`, under `lock`, which it shares;
    the pointer is copied here because every intercepted call reads it.
    """

    def __init__(self) -> None:
        self.backend: Backend | None = None
        self.lock = threading.RLock()
        # class -> (its own _make_api_call, our wrapper of it). A class stays listed
        # while our wrapper is in its chain: see `_restore_botocore` for why it may stay.
        self._wrapped: dict[type[Any], tuple[Any, Any]] = {}
        # client base class -> the response class its clients' replies are made of
        self._response_classes: dict[type[Any], type[AWSResponse]] = {}
        # weak reference to a client -> (the service it was hooked for, the handler).
        # Not a WeakKeyDictionary: every call of every client asks whether it is hooked,
        # and `weakref.ref(client) in` this dict answers in C (the weak references of
        # one live object hash and compare as the object), where WeakKeyDictionary's
        # Python-level `__contains__` cost 3.5 µs a call inside botocore's loop.
        self._hooked: dict[weakref.ref[Any], tuple[AnsweredService, Handler]] = {}
        self._watch: classmethod[Any, Any, Any] | None = None
        # client class -> its catcher, while it waits for the class's first call
        # (`_catch`). Weak: a client's class goes with its client.
        self._catching: weakref.WeakKeyDictionary[type[Any], Any] = weakref.WeakKeyDictionary()
        self._armed = False  # catchers in place, new classes watched
        # botocore's ClientCreator._create_client_class, wrapped while armed
        self._creator = AttributePatch(ClientCreator, "_create_client_class")
        self._net = EndpointNet(self)  # calls that stepped around every hook

    def answer_with(self, backend: Backend | None) -> None:
        """Make `backend` answer every call of an answered service; None puts botocore back."""
        with self.lock:
            if backend is None:
                self.backend = None
                self._restore_botocore()
                return
            previous = self.backend
            try:
                if not self._armed:
                    self._arm()
                aio_client = getattr(sys.modules.get("aiobotocore.client"), "AioBaseClient", None)
                if aio_client is not None:
                    self._wrap_aio(aio_client)
            except BaseException:
                if previous is None:
                    self._restore_botocore()  # nothing else is running: undo it all
                raise
            self.backend = backend  # last: answering starts only once all is in place

    def _arm(self) -> None:
        """Catch the first call of every client: of the classes there are, and to come."""
        self._response_classes[BaseClient] = responses.response_class_for(AWSResponse)
        if "__init_subclass__" in BaseClient.__dict__:
            # Someone else watches class creation: catch at `BaseClient`, on every call.
            self._wrap(BaseClient, AWSResponse)
        else:
            self._watch_client_classes()
            self._watch_client_creator()
            for cls in _subclasses(BaseClient):
                self._catch(cls)
        self._net.install()
        self._armed = True

    def _watch_client_creator(self) -> None:
        """Catch each class botocore makes for a client, as it makes it.

        `__init_subclass__` alone can miss one: a class a `creating-client-class`
        handler put in front whose own `__init_subclass__` does not call `super()`, or
        someone replacing `BaseClient.__init_subclass__` while the mock runs. Called
        once per client made, never per call.
        """

        def wrap(original: Any) -> Any:
            @functools.wraps(original)
            def create_client_class(creator: Any, *args: Any, **kwargs: Any) -> Any:
                cls = original(creator, *args, **kwargs)
                with self.lock:
                    if self._armed:
                        self._catch(cls)
                return cls

            return create_client_class

        self._creator.install(wrap)

    def _watch_client_classes(self) -> None:
        """Catch the clients of classes made from now on (botocore makes one per client).

        An aiobotocore client class made meanwhile is caught too, which spares
        importing aiobotocore (and aiohttp) in suites that never use it. A plain
        function: classmethod over a bound method loses `cls` on Python 3.10.
        """

        def watch(cls: type[Any], /, **kwargs: Any) -> None:
            super(BaseClient, cls).__init_subclass__(**kwargs)  # keep the chain intact
            self._on_client_subclass(cls)

        self._watch = classmethod(watch)
        BaseClient.__init_subclass__ = self._watch

    def _catch(self, cls: type[Any]) -> None:
        """Make sure the first call of a client of `cls` hooks it.

        A class that takes `_make_api_call` from `BaseClient` gets a catcher that
        hooks the client and then removes itself. A class defining its own (aiobotocore's,
        a test's subclass) is wrapped instead, for as long as the mock runs.
        """
        defining = next(
            (k for k in cls.__mro__ if "_make_api_call" in k.__dict__ and k not in self._catching),
            None,
        )
        if defining is None or cls in self._catching:
            return
        if defining is not BaseClient:
            if defining.__name__ == "AioBaseClient" and defining.__module__ == "aiobotocore.client":
                self._wrap_aio(defining)
            else:
                # A mixin's replies are those of the client base under it (botocore's or
                # aiobotocore's), found further down the client's MRO: none of its own.
                self._wrap(defining, None)
            return
        if cls is BaseClient or BaseClient in self._wrapped:
            return
        # Weak: `_catching` holds the catcher, which must not keep its (weak) key alive.
        # The class is alive whenever the catcher runs: it is in the client's MRO.
        cls_ref = weakref.ref(cls)

        def catcher(client: Any, *args: Any, **kwargs: Any) -> Any:
            owner: Any = cls_ref()
            self._caught(client, owner)
            return super(owner, client)._make_api_call(*args, **kwargs)  # type: ignore[misc]

        self._catching[cls] = catcher
        cls._make_api_call = catcher

    def _caught(self, client: Any, cls: type[Any]) -> None:
        """The first call of a client of `cls`: hook it, then take the catcher away.

        A second client of the same class with an emitter of its own would then go
        unhooked here; botocore never makes one, and `endpoint_net` answers it anyway.
        The client of a subclass passing through leaves the catcher to the class's own.
        """
        with self.lock:
            if self.backend is not None and client._service_model.service_name in SERVICES:
                self._hook(client)
            if type(client) is not cls:
                return
            catcher = self._catching.pop(cls, None)
            if catcher is not None and cls.__dict__.get("_make_api_call") is catcher:
                del cls._make_api_call

    def _restore_botocore(self) -> None:
        if self._watch is not None and BaseClient.__dict__.get("__init_subclass__") is self._watch:
            del BaseClient.__init_subclass__
        self._watch = None
        for cls, catcher in list(self._catching.items()):
            if cls.__dict__.get("_make_api_call") is catcher:
                del cls._make_api_call
        self._catching.clear()
        self._creator.remove()
        self._net.remove()
        self._armed = False
        for cls, (original, wrapper) in list(self._wrapped.items()):
            # Put the original back only if nobody wrapped ours meanwhile (a tracer,
            # say): removing ours would remove theirs too. Left in place, ours is a
            # pass-through while no backend is set.
            if cls.__dict__.get("_make_api_call") is wrapper:
                cls._make_api_call = original
                del self._wrapped[cls]
        for client_ref, (service, handler) in list(self._hooked.items()):
            client = client_ref()
            if client is None:  # collected since: its emitter went with it
                continue
            client.meta.events.unregister(service.event, handler, unique_id=_UNIQUE_ID)
            faults.unhook(client.meta.events, service.service_id)
        self._hooked.clear()

    # -- botocore patching ------------------------------------------------------------

    def _wrap(self, cls: type[Any], response_class: type[AWSResponse] | None) -> None:
        entry = self._wrapped.get(cls)
        if entry is not None and in_chain(cls.__dict__.get("_make_api_call"), entry[1]):
            return  # ours is still in place, under someone else's wrapper
        self._wrapped.pop(cls, None)
        original = cls.__dict__["_make_api_call"]
        wrapper = self._wrapper_of(original)
        if response_class is not None:
            self._response_classes[cls] = responses.response_class_for(response_class)
        self._wrapped[cls] = (original, wrapper)
        cls._make_api_call = wrapper

    def _wrap_aio(self, aio_client_class: type[Any]) -> None:
        from aiobotocore.awsrequest import AioAWSResponse

        self._wrap(aio_client_class, AioAWSResponse)

    def _on_client_subclass(self, cls: type[Any]) -> None:
        """BaseClient.__init_subclass__ while active: catches the new class's clients."""
        with self.lock:
            if self._armed:
                self._catch(cls)

    def _wrapper_of(self, original: Callable[..., Any]) -> Any:
        """Our `_make_api_call`: hook the client if it needs it, then call the original.

        botocore's method is a plain function: a plain function wraps it, at no import
        cost. aiobotocore's is a coroutine function: wrapt's proxy keeps it one for
        introspection (`inspect.iscoroutinefunction`), and importing wrapt, which
        imports asyncio, costs nothing more once aiobotocore is loaded.
        """
        hooked = self._hooked  # locals: read on every call of every client
        services = SERVICES
        ref = weakref.ref
        if not inspect.iscoroutinefunction(original):

            @functools.wraps(original)
            def make_api_call(client: Any, *args: Any, **kwargs: Any) -> Any:
                if (
                    client._service_model.service_name in services
                    and self.backend is not None
                    and ref(client) not in hooked
                ):
                    self._hook(client)
                return original(client, *args, **kwargs)

            return make_api_call
        import wrapt

        def hook_then_call(wrapped: Callable[..., Any], client: Any, args: Any, kw: Any) -> Any:
            if client is None:  # called unbound, as `cls.__dict__[...](client, ...)`
                client = args[0]
            if client._service_model.service_name in services and ref(client) not in hooked:
                self._hook(client)
            return wrapped(*args, **kw)

        return wrapt.FunctionWrapper(original, hook_then_call)

    def _hook(self, client: Any) -> None:
        """Register our `before-call` handler for the client's service on its own emitter."""
        with self.lock:
            if self.backend is None or weakref.ref(client) in self._hooked:
                return
            response_class = self._response_class_for(type(client))
            if response_class is not None:
                service = SERVICES[client._service_model.service_name]
                handler = self._handler_for(client, response_class, service)
                client.meta.events.register(service.event, handler, unique_id=_UNIQUE_ID)
                self._hooked[weakref.ref(client, self._forget)] = (service, handler)

    def _forget(self, client_ref: weakref.ref[Any]) -> None:
        """A hooked client was collected: its entry goes (its weak reference is the key)."""
        self._hooked.pop(client_ref, None)

    def _response_class_for(self, client_class: type[Any]) -> type[AWSResponse] | None:
        for cls in client_class.__mro__:
            found = self._response_classes.get(cls)
            if found is not None:
                return found
        return None

    def _handler_for(
        self, client: Any, response_class: type[AWSResponse], service: AnsweredService
    ) -> Handler:
        """The `before-call` handler of one client: its route fixed, the backend read per call.

        A client made with Config(parameter_validation=False) has a bare serializer;
        its requests get the checks the service would make. Replies follow the
        client's parser settings: botocore makes each reply's parser from the
        endpoint's factory, so a session's `set_parser_defaults` (a timestamp parser,
        say) applies, even when made later.
        """
        route = pipeline.Route(
            response_class,
            isinstance(client._serializer, ParamValidationDecorator),
            service,
            self,
            getattr(getattr(client, "_endpoint", None), "_response_parser_factory", None),
            # Canned replies, answered inside botocore's retry loop: hooked when needed.
            faults.ClientHooks(client.meta.events, service.service_id),
        )
        # The pipeline's entry bound to the route in C: no frame of ours between
        # botocore's emitter and the pipeline.
        return functools.partial(pipeline.answer, route)


def _subclasses(root: type[Any]) -> list[type[Any]]:
    """Every class under `root`, parents before their children."""
    found: list[type[Any]] = []
    seen = {root}
    stack = [root]
    while stack:
        for sub in type.__subclasses__(stack.pop()):
            if sub not in seen:
                seen.add(sub)
                found.append(sub)
                stack.append(sub)
    return found


INTERCEPTOR = Interceptor()
