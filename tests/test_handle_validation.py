"""The handle checks what it is given: a bad argument is refused at the call that passed it,
naming the argument, and nothing invalid enters the store (where it would surface later as
a raw TypeError inside the code under test). Also: repr and reset are one account's,
describe() gives what boto3 gives, and tags may be passed in boto3's list shape.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

import stubtags as package
from stubtags import Backend, SecretDescription, Snapshot, mock_tags
from stubtags.service.errors import ServiceError

STACK = "aws:cloudformation:stack-name"


def everything(secretsmanager: Any) -> list[dict[str, Any]]:
    """ListSecrets with a tag-value filter: where a corrupt tag used to blow up."""
    listed = secretsmanager.list_secrets(Filters=[{"Key": "tag-value", "Values": ["x"]}])
    return list(listed["SecretList"])


# --- add_system_tag --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "error", "words"),
    [
        (STACK, None, TypeError, "value of tag .* must be a string; got NoneType"),
        (STACK, 5, TypeError, "must be a string; got int 5"),
        (None, "v", TypeError, "tag key must be a string"),
        ("team", "v", ValueError, "system tag keys start with 'aws:'"),
        ("aws:" + "k" * 124, "v", ValueError, "at most 127 characters"),
        (STACK, "v" * 256, ValueError, "at most 255 characters"),
    ],
)
def test_add_system_tag_refuses_bad_tags(
    secretsmanager: Any, stubtags: Backend, key: Any, value: Any, error: type, words: str
) -> None:
    secretsmanager.create_secret(Name="app", Tags=[{"Key": "k", "Value": "x"}])
    with pytest.raises(error, match=words) as raised:
        stubtags.add_system_tag("app", key, value)
    assert "add_system_tag" in str(raised.value)
    assert stubtags.tags("app") == {"k": "x"}
    assert [s["Name"] for s in everything(secretsmanager)] == ["app"]


def test_add_system_tag_at_the_limits(secretsmanager: Any, stubtags: Backend) -> None:
    secretsmanager.create_secret(Name="app")
    key, value = "aws:" + "k" * 123, "v" * 255
    stubtags.add_system_tag("app", key, value)
    assert secretsmanager.describe_secret(SecretId="app")["Tags"] == [{"Key": key, "Value": value}]


def test_add_system_tag_refuses_a_secret_id_that_is_not_a_string(stubtags: Backend) -> None:
    with pytest.raises(TypeError, match="secret_id must be"):
        stubtags.add_system_tag(None, STACK, "v")  # type: ignore[arg-type]


# --- create_secret ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"system_tags": {STACK: None}}, TypeError, "system_tags: the value of tag"),
        ({"system_tags": {"team": "x"}}, ValueError, "system_tags: system tag keys start"),
        ({"system_tags": {STACK: "v" * 256}}, ValueError, "system_tags: a tag value has at most"),
        ({"tags": {"team": None}}, TypeError, "tags: the value of tag 'team' must be a string"),
        ({"tags": {"team": 7}}, TypeError, "got int 7"),
        ({"tags": {1: "x"}}, TypeError, "tags: a tag key must be a string"),
        ({"tags": "team=core"}, TypeError, "tags must be a dict .* or a list"),
        ({"tags": 5}, TypeError, "tags must be a dict"),
        ({"tags": [{"Key": "k", "Val": "v"}]}, TypeError, "got the item"),
        ({"tags": [("k", "v")]}, TypeError, "got the item"),
        ({"description": 5}, TypeError, "description must be a string or None; got int"),
        ({"secret_string": b"x"}, TypeError, "secret_string must be a string"),
        ({"secret_binary": "x"}, TypeError, "secret_binary must be bytes"),
        ({"kms_key_id": 1}, TypeError, "kms_key_id must be"),
        ({"region": 1}, TypeError, "region must be"),
        ({"primary_region": 1}, TypeError, "primary_region must be"),
        ({"owning_service": 1}, TypeError, "owning_service must be"),
    ],
)
def test_create_secret_refuses_bad_arguments(
    secretsmanager: Any, stubtags: Backend, kwargs: dict[str, Any], error: type, words: str
) -> None:
    with pytest.raises(error, match=words):
        stubtags.create_secret("app", **kwargs)
    assert stubtags.names() == []
    assert everything(secretsmanager) == []


def test_create_secret_refuses_a_name_that_is_not_a_string(stubtags: Backend) -> None:
    with pytest.raises(TypeError, match="name must be a string; got NoneType"):
        stubtags.create_secret(None)  # type: ignore[arg-type]


def test_user_tags_keep_create_secrets_rules(stubtags: Backend) -> None:
    """Lengths and the aws: prefix of user tags are judged as a boto3 CreateSecret's."""
    with pytest.raises(ServiceError, match=r"tags\.1\.member\.key"):
        stubtags.create_secret("app", tags=[{"Key": "k" * 128, "Value": "v"}])
    with pytest.raises(ServiceError, match="system tags"):
        stubtags.create_secret("app", tags=[{"Key": "aws:x", "Value": "v"}])
    assert stubtags.names() == []


def test_tags_in_boto3_list_shape(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret(
        "app",
        tags=[{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "prod"}],
        system_tags=[{"Key": STACK, "Value": "stack-1"}],
    )
    assert stubtags.tags("app") == {"team": "core", "env": "prod", STACK: "stack-1"}
    found = secretsmanager.list_secrets(Filters=[{"Key": "tag-value", "Values": ["stack-1"]}])
    assert [s["Name"] for s in found["SecretList"]] == ["app"]
    # A tuple of dicts and a generator are lists too; a missing Value is "", as on the wire.
    stubtags.create_secret("gen", tags=({"Key": k} for k in ("a", "b")))
    assert stubtags.tags("gen") == {"a": "", "b": ""}


# --- load -----------------------------------------------------------------------------------


def test_a_json_null_tag_value_is_refused_naming_the_entry(
    secretsmanager: Any, stubtags: Backend, tmp_path: Path
) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "secrets": [
                    {"name": "fine", "tags": {"team": "x"}},
                    {"name": "broken", "tags": {"team": None}},
                ]
            }
        )
    )
    with pytest.raises(TypeError) as raised:
        stubtags.load(seed)
    assert "seed entry 2 ('broken'): tags" in str(raised.value)
    assert "'team' must be a string; got NoneType None" in str(raised.value)
    assert stubtags.names() == []
    assert everything(secretsmanager) == []


@pytest.mark.parametrize(
    ("entry", "error", "words"),
    [
        ({"name": None}, TypeError, "seed entry 1: name must be a string"),
        ({"name": "a", "system_tags": {"team": "x"}}, ValueError, "system tag keys start"),
        ({"name": "a", "system_tags": [{"Key": STACK, "Value": 3}]}, TypeError, "got int 3"),
        ({"name": "a", "description": 3}, TypeError, r"seed entry 1 \('a'\): description"),
        ({"name": "a", "region": ["eu-west-1"]}, TypeError, "region must be"),
        ("a", TypeError, "seed entry 1 must be a dict"),
    ],
)
def test_load_refuses_bad_entries(stubtags: Backend, entry: Any, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        stubtags.load([entry])
    assert stubtags.names() == []


def test_load_takes_json_null_for_an_optional_field_as_not_given(
    secretsmanager: Any, stubtags: Backend
) -> None:
    stubtags.load([{"name": "a", "description": None, "tags": [{"Key": "k", "Value": "v"}]}])
    described = secretsmanager.describe_secret(SecretId="a")
    assert "Description" not in described
    assert described["Tags"] == [{"Key": "k", "Value": "v"}]


def test_load_refuses_what_is_not_a_list(stubtags: Backend) -> None:
    with pytest.raises(TypeError, match="load\\(\\) takes a list"):
        stubtags.load({"secrets": 5})


# --- tags(), describe(): what they take and give --------------------------------------------


@pytest.mark.parametrize("method", ["tags", "describe"])
def test_secret_id_must_be_a_string(stubtags: Backend, method: str) -> None:
    with pytest.raises(TypeError, match="secret_id must be a secret's name or ARN") as raised:
        getattr(stubtags, method)(None)
    assert "NoneType None" in str(raised.value)
    with pytest.raises(TypeError, match="region must be"):
        getattr(stubtags, method)("app", region=1)


def test_describe_gives_datetimes_as_boto3_does(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret("app", tags={"k": "v"}, description="d", secret_string="s")
    secretsmanager.get_secret_value(SecretId="app")
    secretsmanager.delete_secret(SecretId="app")
    described: SecretDescription = stubtags.describe("app")
    dates = [described[m] for m in ("CreatedDate", "LastChangedDate", "LastAccessedDate")]
    dates.append(described["DeletedDate"])
    assert all(isinstance(date, datetime.datetime) for date in dates), dates
    from_boto3 = secretsmanager.describe_secret(SecretId="app")
    del from_boto3["ResponseMetadata"]
    assert described == from_boto3


def test_snapshot_and_description_types_are_exported() -> None:
    assert "Snapshot" in package.__all__ and "SecretDescription" in package.__all__
    with mock_tags() as backend:
        assert isinstance(backend.snapshot(), Snapshot)


# --- repr and reset are the handle's account's ------------------------------------------------


def test_repr_counts_only_its_own_accounts_secrets() -> None:
    with mock_tags() as default:
        default.create_secret("a")
        default.create_secret("b", region="eu-west-1")
        with mock_tags(account_id="111122223333") as other:
            other.create_secret("c")
            assert repr(other) == (
                "<stubtags Backend account=111122223333 regions=us-east-1 secrets=1>"
            )
            assert repr(default) == (
                "<stubtags Backend account=123456789012 regions=eu-west-1,us-east-1 secrets=2>"
            )


def test_reset_forgets_only_its_own_accounts_secrets() -> None:
    with mock_tags() as default:
        default.create_secret("a")
        default.create_secret("b", region="eu-west-1")
        with mock_tags(account_id="111122223333") as other:
            other.create_secret("c")
            other.create_secret("d", region="eu-west-1")
            other.reset()
            assert other.names() == [] and other.names(region="eu-west-1") == []
            assert repr(other).endswith("secrets=0>")
            other.create_secret("c")  # the name is free again
        assert default.names() == ["a"]
        assert default.names(region="eu-west-1") == ["b"]
        default.reset()
        assert repr(default).endswith("secrets=0>")
