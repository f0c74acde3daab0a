"""The request the service receives, copied from the client's params, equals the body read back.

For every operation stubtags answers (both APIs), hypothesis generates API params
from the operation's input shape, as a caller may pass them to a validating client:
random subsets of members in any order, text of `str` subclasses (a str `Enum`),
`IntEnum`s and bools for integers, tuples for lists, dict subclasses, blobs as
bytes, bytearray or text. botocore's JSON serializer writes the body; the copy
(`request_copies.members`) must equal `json.loads` of it, type for type and key
order included, and share no container with the params. Then, through real
clients: the params botocore finally sends are the ones copied (a
`provide-client-params` handler's), and a client without validation reads its body.
"""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from typing import Any

import botocore.config
import botocore.session
import pytest
from botocore.model import OperationModel, Shape
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from stubtags import Backend, pipeline, request_copies
from stubtags.services import SERVICES
from tests.helpers import sm_client
from tests.test_responses_equivalence import assert_same, containers

SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in SERVICES}
ANSWERED = [(name, op) for name, service in SERVICES.items() for op in sorted(service.operations)]
SERIALIZER = create_serializer("json", include_validation=False)


class Text(str):
    """A str subclass: its text is what the service receives."""


class Colour(str, enum.Enum):
    """A str Enum, whose hash is not its text's: a lookup needs the exact str."""

    RED = "red-value"


class Count(enum.IntEnum):
    TEN = 10


class Members(OrderedDict[str, Any]):
    """A dict subclass for a structure's members."""


def param_value(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Any value a caller may pass for `shape` (validation sorts out the invalid ones)."""
    kind = shape.type_name
    low = int(shape.metadata.get("min", 0))
    if kind == "structure":
        if depth > 6:  # a guard for recursive shapes (neither API has one)
            return st.just({})
        members = {name: param_value(member, depth + 1) for name, member in shape.members.items()}
        return (
            st.fixed_dictionaries({}, optional=members)
            .flatmap(lambda found: st.permutations(list(found.items())))
            .flatmap(lambda items: st.sampled_from([dict(items), Members(items)]))
        )
    if kind == "list":
        items = st.lists(param_value(shape.member, depth + 1), min_size=low, max_size=low + 3)
        return st.one_of(items, items.map(tuple))
    if kind == "map":
        return st.dictionaries(
            param_value(shape.key, depth + 1), param_value(shape.value, depth + 1), max_size=3
        )
    if kind == "string":
        text = st.text(min_size=low, max_size=low + 12)
        if "enum" in shape.metadata:
            text = st.sampled_from(shape.metadata["enum"])
        return st.one_of(text, text.map(Text), st.just(Colour.RED))
    if kind in ("integer", "long"):
        high = int(shape.metadata.get("max", 2**31 - 1))
        numbers = st.integers(min_value=low, max_value=high)
        return st.one_of(numbers, st.just(Count.TEN), st.booleans())
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        raw = st.binary(min_size=max(low, 1), max_size=16)
        return st.one_of(raw, raw.map(bytearray), st.text(min_size=1, max_size=8))
    raise AssertionError(f"a {kind} shape: teach param_value about it")


def body_of(model: OperationModel, params: dict[str, Any]) -> Any:
    """What the service receives: botocore's body for `params`, read back."""
    body = SERIALIZER.serialize_to_request(params, model)["body"]
    return json.loads(body)


@pytest.mark.parametrize(("service", "operation"), ANSWERED)
@settings(deadline=None)
@given(data=st.data())
def test_the_copy_equals_the_body_read_back(
    service: str, operation: str, data: st.DataObject
) -> None:
    model = MODELS[service].operation_model(operation)
    if model.input_shape is None:
        assert request_copies.members(model, {}) == {}
        return
    params = data.draw(param_value(model.input_shape))
    if ParamValidator().validate(params, model.input_shape).has_errors():
        reject()  # a validating client would have refused it before any handler
    copied = request_copies.members(model, params)
    assert copied is not None, f"{operation}: no copy"
    assert_same(copied, body_of(model, params), operation)
    assert not {id(c) for c in containers(copied)} & {id(c) for c in _all_containers(params)}


def _all_containers(value: Any) -> list[Any]:
    """Every dict, list and tuple of a caller's params (subclasses included)."""
    found: list[Any] = []
    if isinstance(value, (dict, list, tuple)):
        found.append(value)
        for item in value.values() if isinstance(value, dict) else value:
            found.extend(_all_containers(item))
    return found


def test_a_shape_the_copy_does_not_model_has_its_body_read() -> None:
    """A timestamp member (neither API has one in a request): no copy, the body decides."""
    model = MODELS["secretsmanager"].operation_model("TagResource")
    shape = model.input_shape
    stamped = Shape("Stamped", {"type": "timestamp"})
    members = dict(shape.members, When=stamped)
    model.__dict__.pop("_stubtags_request_copier", None)
    try:
        model.__dict__["input_shape"] = _with_members(shape, members)
        assert request_copies.members(model, {"SecretId": "s"}) is None
    finally:
        model.__dict__.pop("input_shape", None)
        model.__dict__.pop("_stubtags_request_copier", None)


def _with_members(shape: Any, members: dict[str, Shape]) -> Any:
    class Patched:
        name = shape.name
        type_name = "structure"
        is_document_type = False
        is_tagged_union = False

    Patched.members = members  # type: ignore[attr-defined]
    return Patched()


def test_the_service_gets_the_params_a_provide_client_params_handler_returned(
    stubtags: Backend,
) -> None:
    client = sm_client()

    def renamed(params: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**params, "Tags": [{"Key": "from-handler", "Value": "v"}]}

    client.meta.events.register("provide-client-params.secrets-manager.TagResource", renamed)
    client.create_secret(Name="db")
    client.tag_resource(SecretId="db", Tags=[{"Key": "from-caller", "Value": "v"}])
    assert stubtags.tags("db") == {"from-handler": "v"}


def test_the_caller_keeps_its_params_and_the_service_its_state(stubtags: Backend) -> None:
    """A str Enum finds its secret by its text; editing the tags passed afterwards
    edits nothing in the service; bytes, bytearray and text blobs are stored as sent."""
    client = sm_client()
    tags = [{"Key": Colour.RED, "Value": Text("v")}]
    client.create_secret(Name="red-value", SecretBinary=bytearray(b"\x00\x01"))
    client.tag_resource(SecretId=Colour.RED, Tags=tags)
    tags[0]["Key"] = "edited"
    tags.append({"Key": "added", "Value": "v"})
    assert stubtags.tags("red-value") == {"red-value": "v"}
    assert [type(k) for k in stubtags.tags("red-value")] == [str]
    assert client.get_secret_value(SecretId="red-value")["SecretBinary"] == b"\x00\x01"
    client.put_secret_value(SecretId="red-value", SecretBinary="text")
    assert client.get_secret_value(SecretId="red-value")["SecretBinary"] == b"text"


def test_every_answered_call_of_a_validating_client_is_copied(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The body is not read back when the params were copied (the point of the copy)."""
    read: list[str] = []
    real = pipeline._read_json

    def reading(text: str, index: int) -> Any:
        read.append(text)
        return real(text, index)

    monkeypatch.setattr(pipeline, "_read_json", reading)
    client = sm_client()
    client.create_secret(Name="db", SecretString="x", Tags=[{"Key": "k", "Value": "v"}])
    client.tag_resource(SecretId="db", Tags=[{"Key": "k2", "Value": "v"}])
    client.list_secrets(Filters=[{"Key": "tag-key", "Values": ["k"]}], MaxResults=10)
    assert read == []
    unvalidated = sm_client(config=botocore.config.Config(parameter_validation=False))
    unvalidated.describe_secret(SecretId="db")
    assert len(read) == 1
