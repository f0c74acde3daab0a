"""Where one call's time goes: botocore alone, stubtags' interception, stubtags' own work.

Four ways to answer the same TagResource calls on one client, in short alternating
chunks (minimum per call of each, steadier than medians on a shared machine):

* a before-call handler registered on the client that returns a ready reply: botocore's
  own work and nothing else;
* the Stubber (the floor of section 1);
* stubtags' interception with the pipeline swapped for that ready reply: what reaching
  every client costs;
* stubtags.

Printed for the README's account of the per-operation target; no verdict.
"""

from __future__ import annotations

import gc
import time
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
    pipeline.answer = lambda *_: reply
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


WAYS: dict[str, Callable[[Any], Any]] = {
    "botocore + a ready reply": plain_handler,
    "botocore's Stubber": stubber,
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
