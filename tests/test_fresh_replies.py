"""Replies converted in place (`fresh_reply` operations) equal the rebuilding walk's.

DescribeSecret and ListSecrets build their replies for the one call, in the output
shape's order, so the reply stage converts only their timestamps where they stand.
Over secrets in any state (rotation, deletion, replication, tags or none), the result
must be what the rebuilding walk makes of the same wire reply, member for member, type
for type, in the same key order, and must share no container with the stored secret.
"""

from __future__ import annotations

import copy
from typing import Any

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.model import ShapeResolver
from botocore.parsers import ResponseParserFactory
from hypothesis import given
from hypothesis import strategies as st

from stubtags import reply_shapes, responses
from stubtags.operations.common import describe
from stubtags.operations.listing import list_secrets
from stubtags.operations.secrets import describe_secret
from stubtags.operations.tagging_api import get_resources
from stubtags.service.model import ReplicaStatus, Rotation, Secret, Version
from tests.test_responses_equivalence import (
    assert_nothing_shared,
    assert_same,
    botocore_reading,
    containers,
)

MODEL = botocore.session.get_session().get_service_model("secretsmanager")
RESPONSE_CLASS = responses.response_class_for(AWSResponse)
DESCRIBE = MODEL.operation_model("DescribeSecret")
LIST = MODEL.operation_model("ListSecrets")

stamps = st.floats(min_value=1.5e9, max_value=2.1e9, allow_nan=False)
texts = st.text(min_size=1, max_size=12)
rotations = st.builds(
    Rotation,
    lambda_arn=st.sampled_from(["", "arn:aws:lambda:us-east-1:123456789012:function:r"]),
    enabled=st.booleans(),
    after_days=st.one_of(st.none(), st.integers(1, 1000)),
    schedule=st.sampled_from([None, "rate(4 hours)", "rate(10 days)", "cron(0 12 * * ? *)"]),
    duration=st.sampled_from([None, "2h", "3h"]),
    scheduled_from=stamps,
    last_rotated=st.one_of(st.none(), stamps),
)
versions = st.lists(
    st.builds(
        Version,
        version_id=st.uuids().map(str),
        created=stamps,
        stages=st.lists(st.sampled_from(["AWSCURRENT", "AWSPREVIOUS", "X"]), unique=True),
    ),
    max_size=3,
)
replicas = st.lists(
    st.builds(
        ReplicaStatus,
        region=st.sampled_from(["eu-west-1", "eu-west-2", "ap-south-1"]),
        kms_key_id=st.one_of(st.none(), texts),
        status=st.sampled_from(["InSync", "Failed"]),
        message=st.one_of(st.none(), texts),
        last_accessed=st.one_of(st.none(), stamps),
    ),
    max_size=2,
)


@st.composite
def secrets(draw: st.DrawFn) -> Secret:
    secret = Secret(
        arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        name="db",
        account="123456789012",
        region="us-east-1",
        created=draw(stamps),
        seq=1,
        last_changed=draw(stamps),
        description=draw(st.one_of(st.none(), st.text(max_size=20))),
        kms_key_id=draw(st.one_of(st.none(), texts)),
        tags=draw(st.one_of(st.none(), st.dictionaries(texts, st.text(max_size=8), max_size=4))),
        deleted_date=draw(st.one_of(st.none(), stamps)),
        last_accessed=draw(st.one_of(st.none(), stamps)),
        primary_region=draw(st.sampled_from([None, "eu-west-1"])),
        owning_service=draw(st.sampled_from([None, "rds"])),
        rotation=draw(st.one_of(st.none(), rotations)),
    )
    secret.versions = {v.version_id: v for v in draw(versions)}
    secret.replicas = {r.region: r for r in draw(replicas)}
    return secret


def both_ways(model: Any, wire: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(in place, rebuilt) parsed replies of the same wire reply, without metadata."""
    factory = ResponseParserFactory()
    rebuilt = responses.success(model, copy.deepcopy(wire), RESPONSE_CLASS, "id", factory)[1]
    http, in_place = responses.success(model, wire, RESPONSE_CLASS, "id", factory, fresh=True)
    assert_same(in_place, botocore_reading(model, http, factory))  # its body reads the same
    del rebuilt["ResponseMetadata"], in_place["ResponseMetadata"]
    return in_place, rebuilt


def stored_containers(secret: Secret) -> list[Any]:
    held: list[Any] = [secret.tags, secret.versions, secret.replicas]
    held += [version.stages for version in secret.versions.values()]
    return [c for c in held if c is not None]


@given(secrets())
def test_describe_secret_in_place_equals_the_rebuilding_walk(secret: Secret) -> None:
    in_place, rebuilt = both_ways(DESCRIBE, describe(secret, "VersionIdsToStages"))
    assert_same(in_place, rebuilt)
    assert_nothing_shared(in_place, stored_containers(secret))


@given(st.lists(secrets(), max_size=3))
def test_list_entries_in_place_equal_the_rebuilding_walk(page: list[Secret]) -> None:
    wire = {"SecretList": [describe(s, "SecretVersionsToStages", replication=False) for s in page]}
    in_place, rebuilt = both_ways(LIST, wire)
    assert_same(in_place, rebuilt)
    for secret in page:
        assert_nothing_shared(in_place, stored_containers(secret))


def test_the_marked_operations_convert_in_place() -> None:
    assert getattr(describe_secret, "fresh_reply", False)
    assert getattr(list_secrets, "fresh_reply", False)
    assert getattr(get_resources, "fresh_reply", False)


def test_a_custom_timestamp_parser_takes_the_rebuilding_walk() -> None:
    """The body is made back from the parsed form, which a custom parser may have made
    unreadable: with one set, the wire reply is rebuilt and left as it was."""
    factory = ResponseParserFactory()
    factory.set_parser_defaults(timestamp_parser=str)
    wire = {"ARN": "a", "Name": "n", "CreatedDate": 1700000000.5}
    http, parsed = responses.success(DESCRIBE, wire, RESPONSE_CLASS, "id", factory, fresh=True)
    assert parsed["CreatedDate"] == "1700000000.5"
    assert wire["CreatedDate"] == 1700000000.5  # not converted in place
    assert not {id(c) for c in containers(parsed)} & {id(wire)}
    assert http.content == b'{"ARN":"a","Name":"n","CreatedDate":1700000000.5}'


def test_a_shape_without_timestamps_or_blobs_is_kept_whatever_the_parser() -> None:
    """Nothing in it changes type, so no parser setting can make its parsed form differ
    from the wire form: it stays where it is, as the rebuilding walk would make it."""
    factory = ResponseParserFactory()
    factory.set_parser_defaults(timestamp_parser=str, blob_parser=str)
    model = MODEL.operation_model("PutSecretValue")
    wire = {"ARN": "a", "Name": "n", "VersionId": "v", "VersionStages": ["AWSCURRENT"]}
    rebuilt_http, rebuilt = responses.success(
        model, copy.deepcopy(wire), RESPONSE_CLASS, "id", factory
    )
    http, parsed = responses.success(model, wire, RESPONSE_CLASS, "id", factory, fresh=True)
    assert parsed is wire
    for reply in (parsed, rebuilt):
        reply["ResponseMetadata"]["HTTPHeaders"].pop("date")  # may be a second apart
    assert_same(parsed, rebuilt)
    assert http.content == rebuilt_http.content


def test_a_shape_without_timestamps_converts_nothing() -> None:
    shape = MODEL.operation_model("GetRandomPassword").output_shape
    convert = reply_shapes.in_place_converter(shape)
    reply = {"RandomPassword": "x"}
    assert convert is not None and convert(reply) is reply


def test_lists_and_maps_of_every_kind_convert_in_place_as_rebuilt() -> None:
    """The generated conversion's loops the service's shapes do not reach: a list of
    timestamps, of lists, sparse (None) items, a map of timestamps, of structures."""
    resolver = ShapeResolver(
        {
            "Out": {
                "type": "structure",
                "members": {
                    "Stamps": {"shape": "Stamps"},
                    "Nested": {"shape": "Nested"},
                    "ByKey": {"shape": "ByKey"},
                    "Entries": {"shape": "Entries"},
                    "Name": {"shape": "Text"},
                },
            },
            "Stamps": {"type": "list", "member": {"shape": "Stamp"}},
            "Nested": {"type": "list", "member": {"shape": "Stamps"}},
            "ByKey": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Stamp"}},
            "Entries": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Entry"}},
            "Entry": {
                "type": "structure",
                "members": {"When": {"shape": "Stamp"}, "Data": {"shape": "Data"}},
            },
            "Stamp": {"type": "timestamp"},
            "Data": {"type": "blob"},
            "Text": {"type": "string"},
        }
    )
    shape = resolver.get_shape_by_name("Out")
    wire = {
        "Stamps": [1700000000.5, None, 1600000000],
        "Nested": [[1700000000.5], [], None],
        "ByKey": {"a": 1700000000.5, "b": 1600000000},
        "Entries": {"x": {"When": 1600000000, "Data": "aGk="}, "y": {}},
        "Name": "n",
    }
    rebuilt = reply_shapes.structure_converter(shape, reply_shapes.DEFAULT)
    convert = reply_shapes.in_place_converter(shape)
    assert rebuilt is not None and convert is not None
    expected = rebuilt(copy.deepcopy(wire))
    in_place = convert(wire)
    assert in_place is wire
    assert_same(in_place, expected)


def test_clients_of_one_session_share_converters_and_other_model_texts_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each client has its own shape objects; clients of one session read them from
    the same model text, so the second client's converters are the first's, with no
    walk of its shapes (0.2-0.5 ms an operation, in every test that makes a client)."""
    session = botocore.session.get_session()
    first, second = (
        session.create_client("secretsmanager", region_name="us-east-1") for _ in range(2)
    )
    shapes = [
        client.meta.service_model.operation_model("DescribeSecret").output_shape
        for client in (first, second)
    ]
    assert shapes[0] is not shapes[1]
    in_place = reply_shapes.in_place_converter(shapes[0])
    rebuilt = reply_shapes.structure_converter(shapes[0], reply_shapes.DEFAULT)

    def no_walk(*_: Any) -> Any:
        raise AssertionError("the shape was walked again")

    monkeypatch.setattr(reply_shapes, "_in_place", no_walk)
    monkeypatch.setattr(reply_shapes, "_structure", no_walk)
    assert reply_shapes.in_place_converter(shapes[1]) is in_place
    assert reply_shapes.structure_converter(shapes[1], reply_shapes.DEFAULT) is rebuilt
    # Another text with the same shape name (a model loaded anew, or changed) is its own.
    text = copy.deepcopy(shapes[1]._shape_model)
    text["members"] = {"Name": text["members"]["Name"]}
    other = ShapeResolver(
        {"DescribeSecretResponse": text, "SecretNameType": {"type": "string"}}
    ).get_shape_by_name("DescribeSecretResponse")
    with pytest.raises(AssertionError, match="walked again"):
        reply_shapes.in_place_converter(other)
