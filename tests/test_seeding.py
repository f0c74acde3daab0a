"""Setting up and inspecting state through the Backend handle, checked through boto3.

Seeding must obey the same rules as CreateSecret, and what it creates must look to
boto3 exactly like a secret made with boto3. The handle looks names up in the region a
new client would use, and ARNs in the region they name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

from stubtags import Backend, SecretNotFoundError, mock_tags
from stubtags.service.errors import ServiceError
from tests.helpers import (
    OTHER_REGION,
    REGION,
    STACK_TAG,
    described_tags,
    listed_names,
    partial_arn,
    sm_client,
)

SEED_FILE = Path(__file__).parent / "data" / "seed_secrets.json"


# --- create_secret ----------------------------------------------------------------------------


def test_create_secret_is_visible_through_boto3(secretsmanager: Any, stubtags: Backend) -> None:
    arn = stubtags.create_secret(
        "app/db",
        tags={"Team": "core", "Env": "test"},
        description="seeded",
        secret_string="s3cret",
    )
    described = secretsmanager.describe_secret(SecretId="app/db")
    assert described["ARN"] == arn
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-")
    assert described["Description"] == "seeded"
    assert described["Tags"] == [
        {"Key": "Team", "Value": "core"},
        {"Key": "Env", "Value": "test"},
    ]
    assert secretsmanager.get_secret_value(SecretId=arn)["SecretString"] == "s3cret"
    assert listed_names(secretsmanager) == ["app/db"]


def test_create_secret_in_another_region(secretsmanager: Any, stubtags: Backend) -> None:
    arn = stubtags.create_secret("regional", region="ap-southeast-2", secret_string="v")
    assert ":ap-southeast-2:" in arn
    other = sm_client("ap-southeast-2")
    assert other.get_secret_value(SecretId="regional")["SecretString"] == "v"
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="regional")


def test_create_secret_binary_and_kms_key(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret("bin", secret_binary=b"\x00\xff", kms_key_id="alias/k")
    assert secretsmanager.get_secret_value(SecretId="bin")["SecretBinary"] == b"\x00\xff"
    assert secretsmanager.describe_secret(SecretId="bin")["KmsKeyId"] == "alias/k"


def test_create_secret_without_tags_has_no_tags_member(
    secretsmanager: Any, stubtags: Backend
) -> None:
    stubtags.create_secret("plain")
    assert "Tags" not in secretsmanager.describe_secret(SecretId="plain")
    stubtags.create_secret("empty-tags", tags={})
    assert secretsmanager.describe_secret(SecretId="empty-tags").get("Tags", []) == []


def test_boto3_changes_are_visible_to_the_handle(secretsmanager: Any, stubtags: Backend) -> None:
    secretsmanager.create_secret(Name="made-by-boto3", SecretString="v")
    secretsmanager.tag_resource(SecretId="made-by-boto3", Tags=[{"Key": "k", "Value": "v"}])
    assert stubtags.tags("made-by-boto3") == {"k": "v"}
    assert stubtags.names() == ["made-by-boto3"]


# --- seeding rules ----------------------------------------------------------------------------


def test_seeding_51_tags_is_refused(secretsmanager: Any, stubtags: Backend) -> None:
    too_many = {f"k{n}": "v" for n in range(51)}
    with pytest.raises(ServiceError) as error:
        stubtags.create_secret("crowded", tags=too_many)
    assert error.value.code == "InvalidParameterException"
    assert stubtags.names() == []
    stubtags.create_secret("full", tags={f"k{n}": "v" for n in range(50)})
    assert len(dict(described_tags(secretsmanager, "full"))) == 50


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"name": "bad name"}, "ValidationException"),
        ({"name": "x" * 513}, "ValidationException"),
        ({"name": "ok", "tags": {"aws:mine": "v"}}, "InvalidParameterException"),
        ({"name": "ok", "tags": {"k" * 128: "v"}}, "ValidationException"),
        ({"name": "ok", "secret_string": "v", "secret_binary": b"v"}, "InvalidParameterException"),
    ],
)
def test_seeding_obeys_create_secret_rules(
    stubtags: Backend, kwargs: dict[str, Any], code: str
) -> None:
    name = kwargs.pop("name")
    with pytest.raises(ServiceError) as error:
        stubtags.create_secret(name, **kwargs)
    assert error.value.code == code
    assert stubtags.names() == []


def test_seeding_a_duplicate_name_is_refused(stubtags: Backend) -> None:
    stubtags.create_secret("dup", secret_string="first")
    with pytest.raises(ServiceError) as error:
        stubtags.create_secret("dup", secret_string="second")
    assert error.value.code == "ResourceExistsException"


# --- load -------------------------------------------------------------------------------------


def test_load_from_a_dict(secretsmanager: Any, stubtags: Backend) -> None:
    arns = stubtags.load(
        {
            "secrets": [
                {"name": "one", "tags": {"Team": "core"}, "secret_string": "1"},
                {"name": "two", "description": "second"},
            ]
        }
    )
    assert len(arns) == 2
    assert [secretsmanager.describe_secret(SecretId=arn)["Name"] for arn in arns] == ["one", "two"]
    assert dict(described_tags(secretsmanager, "one")) == {"Team": "core"}
    assert secretsmanager.get_secret_value(SecretId="one")["SecretString"] == "1"
    assert secretsmanager.describe_secret(SecretId="two")["Description"] == "second"


def test_load_from_a_list(secretsmanager: Any, stubtags: Backend) -> None:
    arns = stubtags.load([{"name": "a"}, {"name": "b", "tags": {"x": "y"}}])
    assert listed_names(secretsmanager) == ["a", "b"]
    assert secretsmanager.describe_secret(SecretId="b")["ARN"] == arns[1]
    assert dict(described_tags(secretsmanager, "b")) == {"x": "y"}


@pytest.mark.parametrize("as_text", [False, True], ids=["Path", "str"])
def test_load_from_the_json_file(secretsmanager: Any, stubtags: Backend, as_text: bool) -> None:
    arns = stubtags.load(str(SEED_FILE) if as_text else SEED_FILE)
    expected = json.loads(SEED_FILE.read_text(encoding="utf-8"))["secrets"]
    assert len(arns) == len(expected) == 3

    db = secretsmanager.describe_secret(SecretId="seed/db-password")
    assert db["ARN"] == arns[0]
    assert db["Description"] == "Seeded database password"
    assert dict(described_tags(secretsmanager, "seed/db-password")) == {
        "Team": "core",
        "Environment": "test",
    }
    password = json.loads(
        secretsmanager.get_secret_value(SecretId="seed/db-password")["SecretString"]
    )
    assert password == {"user": "app", "password": "hunter2"}

    eu = sm_client("eu-west-1")
    api = eu.describe_secret(SecretId="seed/api-key")
    assert api["ARN"] == arns[1]
    assert ":eu-west-1:" in arns[1]
    assert api["KmsKeyId"] == "alias/seed"
    assert dict(described_tags(eu, "seed/api-key")) == {"Team": "payments", STACK_TAG: "seed-stack"}
    with pytest.raises(eu.exceptions.InvalidParameterException):
        eu.untag_resource(SecretId="seed/api-key", TagKeys=[STACK_TAG])
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="seed/api-key")

    assert "Tags" not in secretsmanager.describe_secret(SecretId="seed/untagged")
    assert listed_names(secretsmanager) == ["seed/db-password", "seed/untagged"]


def test_load_refuses_an_unknown_field(stubtags: Backend) -> None:
    with pytest.raises(ValueError) as error:
        stubtags.load([{"name": "x", "tag": {"a": "b"}}])
    message = str(error.value)
    assert "tag" in message
    assert "'x'" in message
    assert stubtags.names() == []


def test_load_refuses_an_entry_without_a_name(stubtags: Backend) -> None:
    with pytest.raises(ValueError, match="name"):
        stubtags.load([{"tags": {"a": "b"}}])
    assert stubtags.names() == []


def test_load_does_not_silently_ignore_a_dict_without_secrets(stubtags: Backend) -> None:
    """A dict not shaped as {"secrets": [...]} is either a mistake or one secret: never a no-op."""
    try:
        stubtags.load({"name": "single"})
    except ValueError:
        assert stubtags.names() == []
    else:
        assert stubtags.names() == ["single"]


def test_load_obeys_the_tag_limit(stubtags: Backend) -> None:
    with pytest.raises(ServiceError) as error:
        stubtags.load([{"name": "crowded", "tags": {f"k{n}": "v" for n in range(51)}}])
    assert error.value.code == "InvalidParameterException"
    assert stubtags.names() == []


def test_load_refuses_an_invalid_name(stubtags: Backend) -> None:
    with pytest.raises(ServiceError) as error:
        stubtags.load([{"name": "bad name"}])
    assert error.value.code == "ValidationException"


# --- inspection -------------------------------------------------------------------------------


def test_names_lists_creation_order_per_region(secretsmanager: Any, stubtags: Backend) -> None:
    for name in ("m", "a", "z"):
        stubtags.create_secret(name)
    stubtags.create_secret("west", region="us-west-2")
    secretsmanager.delete_secret(SecretId="a")
    assert stubtags.names() == ["m", "a", "z"]
    assert stubtags.names(region=REGION) == ["m", "a", "z"]
    assert stubtags.names(include_deleted=False) == ["m", "z"]
    assert stubtags.names(region="us-west-2") == ["west"]
    assert stubtags.names(region="eu-north-1") == []


def test_tags_by_name_and_by_arn_of_any_region(secretsmanager: Any, stubtags: Backend) -> None:
    east = stubtags.create_secret("t", tags={"side": "east"})
    west = stubtags.create_secret("t", tags={"side": "west"}, region="us-west-2")
    assert stubtags.tags("t") == {"side": "east"}
    assert stubtags.tags(east) == {"side": "east"}
    assert stubtags.tags(west) == {"side": "west"}
    assert stubtags.tags("t", region="us-west-2") == {"side": "west"}
    secretsmanager.untag_resource(SecretId="t", TagKeys=["side"])
    assert stubtags.tags("t") == {}


def test_tags_keep_insertion_order(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret("o", tags={"b": "1", "a": "2"})
    secretsmanager.tag_resource(
        SecretId="o", Tags=[{"Key": "c", "Value": "3"}, {"Key": "b", "Value": "new"}]
    )
    assert list(stubtags.tags("o").items()) == [("b", "new"), ("a", "2"), ("c", "3")]


def test_tags_of_a_missing_secret_raise_an_exported_lookup_error(stubtags: Backend) -> None:
    with pytest.raises(SecretNotFoundError) as error:
        stubtags.tags("missing")
    assert isinstance(error.value, LookupError)
    assert "'missing'" in str(error.value) and "us-east-1" in str(error.value)
    assert (error.value.secret_id, error.value.region) == ("missing", "us-east-1")


def test_describe_gives_what_boto3_gives(secretsmanager: Any, stubtags: Backend) -> None:
    arn = stubtags.create_secret("d", tags={"k": "v"}, description="desc", secret_string="x")
    described = stubtags.describe("d")
    assert described["ARN"] == arn
    assert described["Name"] == "d"
    assert described["Description"] == "desc"
    assert described["Tags"] == [{"Key": "k", "Value": "v"}]
    assert list(described["VersionIdsToStages"].values()) == [["AWSCURRENT"]]
    boto_view = secretsmanager.describe_secret(SecretId="d")
    del boto_view["ResponseMetadata"]
    assert described == boto_view
    assert boto_view["VersionIdsToStages"] == described["VersionIdsToStages"]
    assert stubtags.describe(arn) == described


# --- snapshot / restore -----------------------------------------------------------------------


def test_restore_brings_back_the_snapshot(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret("keep", tags={"v": "1"}, secret_string="one")
    stubtags.create_secret("doomed", secret_string="d")
    stubtags.create_secret("west", region="us-west-2", tags={"w": "1"})
    snapshot = stubtags.snapshot()
    before = {name: stubtags.describe(name) for name in stubtags.names()}

    secretsmanager.tag_resource(SecretId="keep", Tags=[{"Key": "v", "Value": "2"}])
    secretsmanager.put_secret_value(SecretId="keep", SecretString="two")
    secretsmanager.delete_secret(SecretId="doomed", ForceDeleteWithoutRecovery=True)
    secretsmanager.create_secret(Name="added", SecretString="x")
    sm_client("us-west-2").untag_resource(SecretId="west", TagKeys=["w"])

    stubtags.restore(snapshot)
    assert stubtags.names() == ["keep", "doomed"]
    assert {name: stubtags.describe(name) for name in stubtags.names()} == before
    assert stubtags.tags("keep") == {"v": "1"}
    assert secretsmanager.get_secret_value(SecretId="keep")["SecretString"] == "one"
    assert secretsmanager.get_secret_value(SecretId="doomed")["SecretString"] == "d"
    assert stubtags.tags("west", region="us-west-2") == {"w": "1"}
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="added")


def test_snapshot_is_not_changed_by_later_calls(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret("s", tags={"v": "1"})
    snapshot = stubtags.snapshot()
    secretsmanager.tag_resource(SecretId="s", Tags=[{"Key": "v", "Value": "2"}])
    stubtags.restore(snapshot)
    secretsmanager.tag_resource(SecretId="s", Tags=[{"Key": "v", "Value": "3"}])
    # Restoring twice from the same snapshot gives the same state both times.
    stubtags.restore(snapshot)
    assert stubtags.tags("s") == {"v": "1"}


def test_secrets_created_after_restore_do_not_collide(
    secretsmanager: Any, stubtags: Backend
) -> None:
    for name in ("a", "b"):
        stubtags.create_secret(name)
    snapshot = stubtags.snapshot()
    for name in ("c", "d", "e"):
        stubtags.create_secret(name)
    stubtags.restore(snapshot)
    for name in ("c", "x", "y"):
        secretsmanager.create_secret(Name=name, SecretString="v")
    assert stubtags.names() == ["a", "b", "c", "x", "y"]

    # Paging one at a time depends on each secret having its own position.
    seen = listed_names(secretsmanager, MaxResults=1)
    assert seen == ["a", "b", "c", "x", "y"]
    arns = [secretsmanager.describe_secret(SecretId=name)["ARN"] for name in seen]
    assert len(set(arns)) == len(arns)


def test_reset_empties_every_region(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.create_secret("a", tags={"k": "v"})
    stubtags.create_secret("b", region="eu-west-1")
    secretsmanager.delete_secret(SecretId="a")
    stubtags.reset()
    assert stubtags.names() == []
    assert stubtags.names(region="eu-west-1") == []
    assert secretsmanager.list_secrets(IncludePlannedDeletion=True)["SecretList"] == []
    assert sm_client("eu-west-1").list_secrets()["SecretList"] == []
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="a")
    # The scheduled name is free again.
    secretsmanager.create_secret(Name="a", SecretString="again")
    assert "Tags" not in secretsmanager.describe_secret(SecretId="a")


# --- system tags through the handle -----------------------------------------------------------


def test_system_tag_is_visible(secretsmanager: Any, stubtags: Backend) -> None:
    secretsmanager.create_secret(
        Name="s", SecretString="v", Tags=[{"Key": "team", "Value": "core"}]
    )
    stubtags.add_system_tag("s", STACK_TAG, "my-stack")
    assert dict(described_tags(secretsmanager, "s")) == {"team": "core", STACK_TAG: "my-stack"}
    assert stubtags.tags("s") == {"team": "core", STACK_TAG: "my-stack"}


def test_system_tags_seeded_with_create_secret(secretsmanager: Any, stubtags: Backend) -> None:
    arn = stubtags.create_secret(
        "seeded", tags={"team": "core"}, system_tags={STACK_TAG: "stack-1"}
    )
    assert dict(described_tags(secretsmanager, arn)) == {"team": "core", STACK_TAG: "stack-1"}
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.untag_resource(SecretId=arn, TagKeys=[STACK_TAG])


def test_add_system_tag_requires_the_aws_prefix(secretsmanager: Any, stubtags: Backend) -> None:
    secretsmanager.create_secret(Name="s", SecretString="v")
    with pytest.raises(ValueError, match="aws:"):
        stubtags.add_system_tag("s", "team", "core")
    assert "Tags" not in secretsmanager.describe_secret(SecretId="s")


# --- which region the handle looks in ---------------------------------------------------------


def test_backend_tags_by_name_and_by_arn_of_another_region() -> None:
    with mock_tags() as backend:
        client = sm_client(OTHER_REGION)
        arn = client.create_secret(Name="regional")["ARN"]
        client.tag_resource(SecretId="regional", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags(arn) == {"k": "v"}  # the ARN names its region
        assert backend.tags(partial_arn(arn)) == {"k": "v"}
        assert backend.tags("regional", region=OTHER_REGION) == {"k": "v"}
        with pytest.raises(SecretNotFoundError):
            backend.tags("regional")  # a name is looked up in the default region


def test_backend_region_defaults_to_aws_default_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    with mock_tags() as backend:
        client = boto3.client("secretsmanager")  # takes the same default
        assert client.meta.region_name == "ap-southeast-2"
        client.create_secret(Name="defaulted", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("defaulted") == {"k": "v"}
        assert backend.names() == ["defaulted"]


def test_backend_region_falls_back_to_us_east_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    assert botocore.session.Session().get_config_variable("region") is None
    with mock_tags() as backend:
        sm_client("us-east-1").create_secret(Name="east", Tags=[{"Key": "k", "Value": "v"}])
        sm_client(OTHER_REGION).create_secret(Name="west")
        assert backend.tags("east") == {"k": "v"}
        assert backend.names() == ["east"]
        with pytest.raises(SecretNotFoundError):
            backend.tags("west")


def test_backend_default_region_is_the_one_a_new_client_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """botocore reads AWS_DEFAULT_REGION, not AWS_REGION; the handle must agree with it."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    with mock_tags() as backend:
        client = boto3.client("secretsmanager")
        client.create_secret(Name="where", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("where") == {"k": "v"}
        assert backend.names() == ["where"]


def test_handle_lookup_error_names_account_and_region(stubtags: Backend) -> None:
    sm_client("eu-west-1").create_secret(Name="db")
    with pytest.raises(Exception, match="region us-east-1") as error:
        stubtags.tags("db", region="us-east-1")
    assert "123456789012" in str(error.value)
    assert stubtags.tags("db", region="eu-west-1") == {}


def test_default_region_follows_the_environment(
    stubtags: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    sm_client("ap-south-1").create_secret(Name="a")
    sm_client("eu-north-1").create_secret(Name="b")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    assert stubtags.names() == ["a"]
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    assert stubtags.names() == ["b"]
