"""The parsed reply stubtags builds equals what botocore's parser makes of its JSON body.

For every operation stubtags answers (Secrets Manager's and the Resource Groups
Tagging API's), hypothesis generates reply members in wire form from
the operation's output shape itself (random subsets of members, JSON nulls, members
the model does not have, any key order, sparse lists, timestamps as epoch numbers,
blobs as base64 text) and error replies with any code, modeled or not, any message
and status. The reply is built by `responses.success` / `responses.failure` and
compared, member for member, key order and type included (a datetime's tzinfo too),
with botocore's own reading of the same HTTP reply: `ResponseParserFactory`'s JSON
parser with the output shape, then the endpoint's second pass with the error's shape.
Each example also picks the client's parser settings and the local time zone.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from inspect import signature
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.endpoint import Endpoint
from botocore.exceptions import ClientError
from botocore.hooks import HierarchicalEmitter
from botocore.model import OperationModel, Shape
from botocore.parsers import ResponseParserFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from stubtags import SUPPORTED_OPERATIONS, Backend, responses
from stubtags.service.errors import ServiceError
from stubtags.services import SERVICES
from tests.helpers import POLICY, REGION, sm_client

SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in SERVICES}
MODEL = MODELS["secretsmanager"]
# (botocore service name, operation) for every operation stubtags answers
ANSWERED = [(name, op) for name, service in SERVICES.items() for op in sorted(service.operations)]
RESPONSE_CLASS = responses.response_class_for(AWSResponse)
# Zones without a database: UTC, one with summer time, one east of UTC without.
ZONES = ("UTC0", "CET-1CEST,M3.5.0,M10.5.0/3", "IST-5:30")
UNMODELED_CODES = ("ValidationException", "AccessDeniedException", "ThrottlingException")
UNKNOWN_MEMBER = "NotInTheModel"
SETTINGS = settings(deadline=None)


# --------------------------------------------------------------------------- what botocore does


def botocore_reading(model: OperationModel, http: Any, factory: Any) -> dict[str, Any]:
    """botocore's reading of the HTTP reply, from its own pieces: the parser a client
    with `factory` gets, and the endpoint's pass for modeled error members."""
    parser = factory.create_parser("json")
    status, headers, body = http.status_code, dict(http.headers), http.content
    response = {"status_code": status, "headers": headers, "body": body}
    parsed: dict[str, Any] = parser.parse(response, model.output_shape)
    if http.status_code >= 300:
        endpoint = Endpoint("https://example.invalid", "secretsmanager", HierarchicalEmitter())
        endpoint._add_modeled_error_fields(response, parsed, model, parser)
    parsed["ResponseMetadata"]["RetryAttempts"] = 0  # one attempt, as the endpoint counts
    return parsed


def assert_same(mine: Any, theirs: Any, path: str = "reply") -> None:
    """Equal, and of the same types all the way down; dicts in the same key order."""
    assert type(mine) is type(theirs), f"{path}: {type(mine)} != {type(theirs)}"
    if isinstance(mine, dict):
        assert list(mine) == list(theirs), f"{path}: keys {list(mine)} != {list(theirs)}"
        for key in mine:
            assert_same(mine[key], theirs[key], f"{path}[{key!r}]")
    elif isinstance(mine, list):
        assert len(mine) == len(theirs), f"{path}: length {len(mine)} != {len(theirs)}"
        for n, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert_same(a, b, f"{path}[{n}]")
    elif isinstance(mine, datetime.datetime):
        assert mine == theirs, path
        assert mine.replace(tzinfo=None) == theirs.replace(tzinfo=None), path
        assert type(mine.tzinfo) is type(theirs.tzinfo), f"{path}: tzinfo types differ"
        assert mine.tzinfo == theirs.tzinfo, f"{path}: {mine.tzinfo!r} != {theirs.tzinfo!r}"
        assert mine.utcoffset() == theirs.utcoffset(), path
        assert mine.tzname() == theirs.tzname(), path
    else:
        assert mine == theirs, f"{path}: {mine!r} != {theirs!r}"


def containers(value: Any) -> Iterator[Any]:
    if isinstance(value, (dict, list)):
        yield value
        for item in value.values() if isinstance(value, dict) else value:
            yield from containers(item)


def assert_nothing_shared(parsed: Any, reply: Any) -> None:
    """No dict or list of the reply (the backend's) reaches the caller: a caller who
    edits the parsed reply must not edit the fake service's state."""
    theirs = {id(container) for container in containers(reply)}
    assert not [c for c in containers(parsed) if id(c) in theirs]


# --------------------------------------------------------------------------- replies from shapes


def wire_value(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Any value a JSON reply body can carry for `shape`, as json.loads gives it."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 6:  # a guard for recursive shapes (Secrets Manager has none)
            return st.just({})
        members = {
            member.serialization.get("name", name): st.one_of(
                st.none(), wire_value(member, depth + 1)
            )
            for name, member in shape.members.items()
        }
        members[UNKNOWN_MEMBER] = st.integers()  # a member the model doesn't know: dropped
        return st.fixed_dictionaries({}, optional=members).flatmap(shuffled)
    if kind == "list":
        return st.lists(st.one_of(st.none(), wire_value(shape.member, depth + 1)), max_size=3)
    if kind == "map":
        return st.dictionaries(
            wire_value(shape.key, depth + 1), wire_value(shape.value, depth + 1), max_size=3
        )
    if kind == "string":
        return st.text(max_size=12)
    if kind in ("integer", "long"):
        return st.integers(min_value=-(2**63), max_value=2**63 - 1)
    if kind in ("float", "double"):
        return st.floats(allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.one_of(
            st.floats(min_value=-2e9, max_value=4e9, allow_nan=False),
            st.integers(min_value=-(2 * 10**9), max_value=4 * 10**9),
        )
    if kind == "blob":
        return st.binary(max_size=16).map(lambda raw: base64.b64encode(raw).decode())
    raise AssertionError(f"a {kind} shape: teach wire_value about it")


def shuffled(members: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.permutations(list(members.items())).map(dict)


def error_codes(service: str) -> st.SearchStrategy[str]:
    modeled = st.sampled_from([shape.error_code for shape in MODELS[service].error_shapes])
    known = st.one_of(modeled, st.sampled_from(UNMODELED_CODES))
    # JSON error codes may come qualified: "ns#Code" or "Code:http://..."
    qualified = st.tuples(st.text(max_size=6), known, st.text(max_size=6)).map(
        lambda parts: f"{parts[0]}#{parts[1]}:{parts[2]}"
    )
    return st.one_of(known, qualified, st.text(max_size=20))


# --------------------------------------------------------------------------- client settings


def as_utc_text(value: Any) -> str:
    return datetime.datetime.fromtimestamp(float(value), datetime.timezone.utc).isoformat()


def blob_as_text(value: str) -> str:
    return f"blob:{value}"


def factory_with(**options: Any) -> Callable[[], ResponseParserFactory]:
    def make() -> ResponseParserFactory:
        factory = ResponseParserFactory()
        factory.set_parser_defaults(**options)
        return factory

    return make


FACTORIES = {
    "defaults": ResponseParserFactory,
    "timestamp as UTC text": factory_with(timestamp_parser=as_utc_text),
    "blob as text": factory_with(blob_parser=blob_as_text),
    "both": factory_with(timestamp_parser=as_utc_text, blob_parser=blob_as_text),
    "explicit None": factory_with(timestamp_parser=None),
}


@contextmanager
def local_zone(zone: str) -> Iterator[None]:
    """The process's local time zone switched, as `TZ=... ; time.tzset()` does."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


WITH_OUTPUT = [
    (service, op)
    for service, op in ANSWERED
    if MODELS[service].operation_model(op).output_shape is not None
]


# --------------------------------------------------------------------------- the properties


@pytest.mark.parametrize(("service", "operation"), WITH_OUTPUT)
@SETTINGS
@given(data=st.data())
def test_success_equals_the_parser(service: str, operation: str, data: st.DataObject) -> None:
    model = MODELS[service].operation_model(operation)
    reply = data.draw(wire_value(model.output_shape), label="reply")
    factory = FACTORIES[data.draw(st.sampled_from(sorted(FACTORIES)), label="parser")]()
    with local_zone(data.draw(st.sampled_from(ZONES), label="zone")):
        http, parsed = responses.success(model, reply, RESPONSE_CLASS, parser_factory=factory)
        assert_same(parsed, botocore_reading(model, http, factory))
        assert_nothing_shared(parsed, reply)
        via_parser = responses.parse_like_botocore(
            model, http.status_code, dict(http.headers), http.content, factory
        )
        assert_same(parsed, via_parser)


@pytest.mark.parametrize(("service", "operation"), ANSWERED)
@SETTINGS
@given(
    data=st.data(),
    message=st.text(max_size=30),
    status=st.sampled_from([400, 403, 404, 409, 429, 500, 503]),
    parser=st.sampled_from(sorted(FACTORIES)),
)
def test_error_equals_the_parser(
    service: str, operation: str, data: st.DataObject, message: str, status: int, parser: str
) -> None:
    model = MODELS[service].operation_model(operation)
    code = data.draw(error_codes(service), label="code")
    error = ServiceError(message)
    error.code = code
    error.status = status
    factory = FACTORIES[parser]()

    http, parsed = responses.failure(model, error, RESPONSE_CLASS, parser_factory=factory)
    assert_same(parsed, botocore_reading(model, http, factory))
    assert http.status_code == status


def test_no_output_operations_equal_the_parser() -> None:
    for service, operation in ANSWERED:
        model = MODELS[service].operation_model(operation)
        if model.output_shape is None:
            http, parsed = responses.success(model, None, RESPONSE_CLASS)
            assert_same(parsed, botocore_reading(model, http, ResponseParserFactory()))


def test_the_parser_path_is_still_there() -> None:
    """`via_parser=True`: the old road (encode, then botocore's parser), kept for tests."""
    model = MODEL.operation_model("DescribeSecret")
    reply = {"Name": "a", "CreatedDate": 1700000000.5, "Tags": [{"Key": "k", "Value": "v"}]}
    http, parsed = responses.success(model, reply, RESPONSE_CLASS, via_parser=True)
    assert_same(parsed, botocore_reading(model, http, ResponseParserFactory()))
    error = ServiceError("no")
    http, parsed = responses.failure(model, error, RESPONSE_CLASS, via_parser=True)
    assert_same(parsed, botocore_reading(model, http, ResponseParserFactory()))
    assert parsed["Message"] == "no"  # InternalServiceError is modeled


# --------------------------------------------------------------------------- real calls

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotate"


def without_metadata(parsed: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in parsed.items() if key != "ResponseMetadata"}


def state_containers(backend: Backend) -> Iterator[Any]:
    """Every dict and list the fake service keeps for its secrets, nested ones too."""

    def walk(value: Any) -> Iterator[Any]:
        if isinstance(value, (dict, list)):
            yield value
            for item in value.values() if isinstance(value, dict) else value:
                yield from walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                if field.name not in ("orders", "replica"):  # back-references
                    yield from walk(getattr(value, field.name))

    for secret in backend.store.all_secrets():
        yield from walk(secret)


@pytest.fixture
def checked(stubtags: Backend, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Every reply stubtags builds in the test is also read by botocore and compared:
    the operations' real replies (not only generated ones) parse the same."""
    seen: set[str] = set()

    def checking(build: Callable[..., Any], kind: str) -> Callable[..., Any]:
        def check(model: OperationModel, what: Any, *args: Any, **kwargs: Any) -> Any:
            fresh = kwargs.get("fresh", False)
            if fresh:  # converted in place: first, what the rebuilding walk makes of it
                rebuilt = build(model, copy.deepcopy(what), *args, **{**kwargs, "fresh": False})
            http, parsed = build(model, what, *args, **kwargs)
            factory = (
                signature(build).bind(model, what, *args, **kwargs).arguments.get("parser_factory")
            )
            assert isinstance(factory, ResponseParserFactory)  # the client's, from the seam
            assert_same(parsed, botocore_reading(model, http, factory), model.name)
            if fresh:
                assert_same(without_metadata(parsed), without_metadata(rebuilt[1]), model.name)
                assert_nothing_shared(parsed, list(state_containers(stubtags)))
                seen.add(f"{model.name} fresh")
            elif kind == "success":
                assert_nothing_shared(parsed, what)
            seen.add(f"{model.name} {kind}")
            return http, parsed

        return check

    monkeypatch.setattr(responses, "success", checking(responses.success, "success"))
    monkeypatch.setattr(responses, "failure", checking(responses.failure, "failure"))
    return seen


def rotate_nothing(event: dict[str, Any], context: Any) -> None:
    """A rotation function that leaves every step to the service's own bookkeeping."""


def test_every_operation_through_a_client(stubtags: Backend, checked: set[str]) -> None:
    client = sm_client()
    arn = client.create_secret(
        Name="db", SecretString="s3cret", Description="d", Tags=[{"Key": "team", "Value": "a"}]
    )["ARN"]
    client.create_secret(Name="bin", SecretBinary=b"\x00\xff")
    client.tag_resource(SecretId=arn, Tags=[{"Key": "env", "Value": "prod"}])
    client.untag_resource(SecretId=arn, TagKeys=["env"])
    client.get_secret_value(SecretId="bin")
    new = client.put_secret_value(SecretId=arn, SecretString="v2", VersionStages=["AWSPENDING"])
    client.get_secret_value(SecretId=arn)
    current = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    old = next(v for v, stages in current.items() if "AWSCURRENT" in stages)
    client.update_secret_version_stage(
        SecretId=arn,
        VersionStage="AWSCURRENT",
        MoveToVersionId=new["VersionId"],
        RemoveFromVersionId=old,
    )
    client.list_secret_version_ids(SecretId=arn, IncludeDeprecated=True)
    client.list_secret_version_ids(SecretId=arn, MaxResults=1)  # with a NextToken
    client.update_secret(SecretId=arn, Description="e")
    client.batch_get_secret_value(SecretIdList=[arn, "bin", "missing"])
    client.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["db", "bin"]}], MaxResults=1)
    client.list_secrets(IncludePlannedDeletion=True, MaxResults=1)
    client.put_resource_policy(SecretId=arn, ResourcePolicy=POLICY)
    client.get_resource_policy(SecretId=arn)
    client.validate_resource_policy(SecretId=arn, ResourcePolicy=POLICY)
    client.delete_resource_policy(SecretId=arn)
    client.get_random_password(PasswordLength=12)
    client.delete_secret(SecretId=arn, RecoveryWindowInDays=7)
    client.list_secrets(IncludePlannedDeletion=True)
    client.restore_secret(SecretId=arn)
    stubtags.register_lambda(FUNCTION, rotate_nothing)
    client.rotate_secret(SecretId=arn, RotationLambdaARN=FUNCTION)
    client.cancel_rotate_secret(SecretId=arn)
    client.replicate_secret_to_regions(
        SecretId=arn, AddReplicaRegions=[{"Region": "eu-west-1"}, {"Region": "eu-west-2"}]
    )
    client.remove_regions_from_replication(SecretId=arn, RemoveReplicaRegions=["eu-west-2"])
    # Rotation dates, rules, replication and a replica's view: converted in place.
    client.describe_secret(SecretId=arn)
    client.list_secrets()
    sm_client("eu-west-1").describe_secret(SecretId="db")
    sm_client("eu-west-1").list_secrets()
    sm_client("eu-west-1").stop_replication_to_replica(SecretId="db")

    with pytest.raises(ClientError) as missing:  # modeled
        client.describe_secret(SecretId="nope")
    with pytest.raises(ClientError) as too_long:  # not in the model
        client.create_secret(Name="long", SecretString="x", Description="d" * 2049)

    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # As from AWS: botocore's endpoint adds the modeled error's members at the top.
    assert missing.value.response["Message"] == missing.value.response["Error"]["Message"]
    assert too_long.value.response["Error"]["Code"] == "ValidationException"
    assert "Message" not in too_long.value.response
    assert {f"{op} success" for op in SUPPORTED_OPERATIONS} <= checked
    assert {"DescribeSecret failure", "CreateSecret failure"} <= checked
    fresh = (
        "DescribeSecret",
        "ListSecrets",
        "GetSecretValue",
        "BatchGetSecretValue",
        "ListSecretVersionIds",
        "CreateSecret",
        "UpdateSecret",
        "RestoreSecret",
        "PutSecretValue",
        "UpdateSecretVersionStage",
        "PutResourcePolicy",
        "GetResourcePolicy",
        "DeleteResourcePolicy",
        "GetRandomPassword",
        "ReplicateSecretToRegions",
        "RemoveRegionsFromReplication",
        "CancelRotateSecret",
    )
    assert {f"{op} fresh" for op in fresh} <= checked


def test_every_tagging_api_operation_through_a_client(
    secretsmanager: Any, checked: set[str]
) -> None:
    arn = secretsmanager.create_secret(Name="db", Tags=[{"Key": "team", "Value": "a"}])["ARN"]
    tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION)
    tagging.tag_resources(ResourceARNList=[arn, f"{arn}-gone"], Tags={"env": "prod"})
    tagging.untag_resources(ResourceARNList=[arn], TagKeys=["env"])
    tagging.get_resources(TagFilters=[{"Key": "team"}], ResourcesPerPage=1)
    tagging.get_tag_keys()
    tagging.get_tag_values(Key="team")
    with pytest.raises(ClientError) as refused:
        tagging.get_resources(ResourcesPerPage=0)

    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert refused.value.response["Message"] == refused.value.response["Error"]["Message"]
    assert {f"{op} success" for op in SERVICES["resourcegroupstaggingapi"].operations} <= checked
    assert "GetResources failure" in checked
    assert "GetResources fresh" in checked
