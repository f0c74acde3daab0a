"""Where one call's time goes: botocore alone, stubtags' interception, stubtags' own work.

Five ways to answer the same TagResource calls on one client, in short alternating
chunks (minimum per call of each, steadier than medians on a shared machine):

* a before-call handler registered on the client that returns a ready reply: botocore's
  own work and nothing else;
* the Stubber (the floor of section 1);
* a minimal hand-written engine: a before-call handler that reads the request body,
  sets the tags on a dict under a lock, logs the call and answers with a parsed reply
  of its own (one HTTP response object serves every call); the least any engine that
  keeps state, records calls and hands each caller its own reply does;
* stubtags' interception with the pipeline swapped for that ready reply: what reaching
  every client costs;
* stubtags.
"""

from __future__ import annotations

import gc
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from stubtags import mock_tags, pipeline
from tests.bench.common import make_client

CHUNKS = 25
CALLS = 100
TAGS = ([{"Key": "k", "Value": "v"}], [{"Key": "k2", "Value": "v2"}])
SECRET = "breakdown"


def _ready() -> tuple[AWSResponse, dict[str, Any]]:
    return AWSResponse(None, 200, {}, None), {"ResponseMetadata": {"HTTPStatusCode": 200}}


@contextmanager
def plain_handler(client: Any) -> Iterator[None]:
    reply = _ready()

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        return reply

    client.meta.events.register("before-call.secrets-manager", answer, unique_id="breakdown")
    try:
        yield
    finally:
        client.meta.events.unregister("before-call.secrets-manager", unique_id="breakdown")


@contextmanager
def stubber(client: Any) -> Iterator[None]:
    with Stubber(client) as stub:
        for _ in range(CALLS):
            stub.add_response("tag_resource", {})
        yield


@contextmanager
def interception_only(client: Any) -> Iterator[None]:
    reply = _ready()
    real = pipeline.answer
    pipeline.answer = lambda *_, **__: reply
    try:
        with mock_tags():
            yield
    finally:
        pipeline.answer = real


@contextmanager
def stubtags(client: Any) -> Iterator[None]:
    with mock_tags():
        client.create_secret(Name=SECRET)
        yield


@contextmanager
def minimal_engine(client: Any) -> Iterator[None]:
    read = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
    lock = threading.Lock()
    secrets: dict[str, dict[str, str]] = {SECRET: {}}
    log: deque[tuple[Any, ...]] = deque(maxlen=10_000)
    ids = itertools.count()
    # One HTTP response for every call, as the Stubber makes its own before the calls:
    # botocore only reads its status code here, and making one costs a few µs.
    http = AWSResponse(None, 200, {}, None)

    def answer(
        model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]]:
        request = read(params["body"].decode(), 0)[0]
        request_id = f"minimal-{next(ids):012x}"
        with lock:
            tags = secrets[request["SecretId"]]
            for tag in request["Tags"]:
                tags[tag["Key"]] = tag["Value"]
        log.append((time.time(), model.name, context["client_region"], params["body"], request_id))
        headers = {"x-amzn-requestid": request_id, "content-type": "application/x-amz-json-1.1"}
        metadata = {
            "RequestId": request_id,
            "HTTPStatusCode": 200,
            "HTTPHeaders": headers,
            "RetryAttempts": 0,
        }
        return http, {"ResponseMetadata": metadata}

    client.meta.events.register("before-call.secrets-manager", answer, unique_id="minimal")
    try:
        yield
    finally:
        client.meta.events.unregister("before-call.secrets-manager", unique_id="minimal")


MINIMAL = "a minimal hand-written engine"
STUBBER = "botocore's Stubber"
WAYS: dict[str, Callable[[Any], Any]] = {
    "botocore + a ready reply": plain_handler,
    STUBBER: stubber,
    MINIMAL: minimal_engine,
    "stubtags' interception + a ready reply": interception_only,
    "stubtags": stubtags,
}


def _chunk(client: Any, way: Callable[[Any], Any]) -> float:
    with way(client):
        calls = [TAGS[i & 1] for i in range(CALLS)]
        client.tag_resource(SecretId=SECRET, Tags=TAGS[0])  # hooks the client
        gc.disable()
        try:
            start = time.perf_counter_ns()
            for tags in calls[1:]:
                client.tag_resource(SecretId=SECRET, Tags=tags)
            return (time.perf_counter_ns() - start) / (CALLS - 1)
        finally:
            gc.enable()


def breakdown(chunks: int = CHUNKS) -> dict[str, float]:
    """Minimum nanoseconds per TagResource call of each way."""
    client = make_client()
    best = dict.fromkeys(WAYS, float("inf"))
    for _ in range(chunks):
        for name, way in WAYS.items():
            best[name] = min(best[name], _chunk(client, way))
    return best


def report(chunks: int = CHUNKS) -> None:
    best = breakdown(chunks)
    base = best["botocore + a ready reply"]
    print(f"  where a TagResource call's time goes (minimum of {chunks} chunks of {CALLS}):")
    for name, ns in best.items():
        print(f"    {name:40s} {ns / 1000:7.1f} us  ({(ns - base) / 1000:+6.1f} us)")
