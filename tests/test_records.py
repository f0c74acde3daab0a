"""The records written out by hand (`stubtags.records` says why) keep what their
dataclasses gave: the fields in order with their defaults, `==` over the compared
fields, the dataclass's text, and a record shown inside itself as `...`."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from stubtags.pipeline import Call
from stubtags.records import compared, record_eq, record_repr, shown
from stubtags.service.model import Secret, Version
from stubtags.service.store import Snapshot


@pytest.mark.parametrize("cls", [Version, Secret])
def test_init_takes_the_declared_fields_in_order(cls: type[Any]) -> None:
    # `__init__` is written out beside the field declarations: a field added to one
    # and not the other would go unnoticed until a snapshot compared wrong.
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields, strict=True):
        if field.default is not dataclasses.MISSING:
            assert parameter.default == field.default, field.name
        elif field.default_factory is not dataclasses.MISSING:
            assert parameter.default is None, field.name  # None: a fresh container
        else:
            assert parameter.default is inspect.Parameter.empty, field.name


def test_a_fresh_container_per_record() -> None:
    first, second = Version("v1", 1.0, []), Version("v2", 1.0, [])
    assert first.kms_key_ids == [] and first.kms_key_ids is not second.kms_key_ids
    one = Secret("arn", "a", "123456789012", "us-east-1", 1.0, 0, 1.0)
    other = Secret("arn", "b", "123456789012", "us-east-1", 1.0, 1, 1.0)
    assert one.versions == {} and one.versions is not other.versions
    assert one.replicas == {} and one.replicas is not other.replicas


def test_call_takes_its_fields_in_order() -> None:
    parameters = list(inspect.signature(Call.__init__).parameters)[1:]
    assert tuple(parameters) == Call._FIELDS == Call.__slots__


def test_equality_is_the_compared_fields_of_the_same_class() -> None:
    a = Version("v1", 1.0, ["AWSCURRENT"], secret_string="x")
    assert a == Version("v1", 1.0, ["AWSCURRENT"], secret_string="x")
    assert a != Version("v1", 1.0, ["AWSCURRENT"], secret_string="y")
    assert a != ("v1", 1.0, ["AWSCURRENT"], "x", None, [], None)  # another class: not equal
    assert Version.__hash__ is None  # unhashable, as a mutable dataclass with ==
    call = Call("TagResource", {"SecretId": "s"}, "us-east-1", "id-1")
    assert call == Call("TagResource", {"SecretId": "s"}, "us-east-1", "id-1")
    assert call != Call("TagResource", {"SecretId": "s"}, "us-east-1", "id-2")


def test_text_is_the_dataclass_text() -> None:
    version = Version("v1", 1.0, ["AWSCURRENT"])
    assert repr(version) == (
        "Version(version_id='v1', created=1.0, stages=['AWSCURRENT'], secret_string=None, "
        "secret_binary=None, kms_key_ids=[], last_accessed=None)"
    )
    assert repr(Snapshot({})) == "Snapshot(regions={})"


def test_a_record_inside_itself_shows_as_dots() -> None:
    call = Call("TagResource", {}, "us-east-1", "id-1")
    call.caller = call
    assert "caller=...," in repr(call)


def test_with_request_id_changes_only_the_request_id() -> None:
    call = Call("TagResource", {"SecretId": "s"}, "eu-west-1", "id-1", body=b"{}")
    attempt = call.with_request_id("id-2")
    assert attempt.request_id == "id-2" and call.request_id == "id-1"
    assert attempt == Call("TagResource", {"SecretId": "s"}, "eu-west-1", "id-2", body=b"{}")


@dataclasses.dataclass
class _Generated:
    a: int
    b: list[int] = dataclasses.field(default_factory=list)
    c: str = dataclasses.field(default="x", compare=False, repr=False)


class _Written:
    def __init__(self, a: int, b: list[int], c: str) -> None:
        self.a, self.b, self.c = a, b, c

    def __eq__(self, other: object) -> bool:
        return record_eq(self, other, compared(_Generated))

    def __repr__(self) -> str:
        return record_repr(self, shown(_Generated)).replace("_Written", "_Generated")


@pytest.mark.parametrize(
    ("left", "right"),
    [((1, [2], "x"), (1, [2], "y")), ((1, [2], "x"), (1, [3], "x")), ((1, [], "x"), (2, [], "x"))],
)
def test_the_helpers_agree_with_dataclasses(
    left: tuple[int, list[int], str], right: tuple[int, list[int], str]
) -> None:
    assert (_Written(*left) == _Written(*right)) == (_Generated(*left) == _Generated(*right))
    assert repr(_Written(*left)) == repr(_Generated(*left))
