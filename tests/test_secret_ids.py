"""How every operation finds a secret: the SecretId alphabet, full and partial ARNs,
regions, partitions and accounts. Which names CreateSecret accepts is in
test_op_create_secret.py.
"""

from __future__ import annotations

import collections
import os
import re
import string
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from stubtags import Backend, mock_tags
from stubtags.service import identity
from stubtags.service.errors import ValidationException
from stubtags.service.identity import SUFFIXED, new_arn
from tests.helpers import (
    INVALID_NAME_MESSAGE,
    described_tags,
    error_of,
    partial_arn,
    sm_client,
)

# --- the SecretId alphabet --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("describe_secret", {}),
        ("get_secret_value", {}),
        ("tag_resource", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_resource", {"TagKeys": ["k"]}),
        ("delete_secret", {}),
        ("update_secret", {"Description": "d"}),
    ],
)
def test_secret_id_outside_the_alphabet_is_refused(
    secretsmanager: Any, operation: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ClientError) as error:
        getattr(secretsmanager, operation)(SecretId="bad name", **kwargs)
    assert error_of(error) == ("ValidationException", INVALID_NAME_MESSAGE, 400)


# --- ARNs -------------------------------------------------------------------------------------


def test_arn_shape(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="app/db", SecretString="v")["ARN"]
    prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-"
    assert arn.startswith(prefix)
    suffix = arn[len(prefix) :]
    assert len(suffix) == 6
    assert suffix.isalnum()
    assert suffix.isascii()


def test_full_and_partial_arn_find_the_secret(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="app/db", SecretString="v")["ARN"]
    partial = partial_arn(arn)
    assert partial.endswith(":secret:app/db")
    for secret_id in ("app/db", arn, partial):
        assert secretsmanager.describe_secret(SecretId=secret_id)["ARN"] == arn
        assert secretsmanager.get_secret_value(SecretId=secret_id)["SecretString"] == "v"
    secretsmanager.tag_resource(SecretId=partial, Tags=[{"Key": "via", "Value": "partial"}])
    secretsmanager.tag_resource(SecretId=arn, Tags=[{"Key": "also", "Value": "full"}])
    assert dict(described_tags(secretsmanager, "app/db")) == {"via": "partial", "also": "full"}


def test_full_arn_with_a_wrong_suffix_is_not_found(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="app", SecretString="v")["ARN"]
    wrong = arn[:-6] + ("AAAAAA" if not arn.endswith("AAAAAA") else "BBBBBB")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=wrong)


def test_partial_arn_of_a_name_ending_like_a_suffix_is_not_found(secretsmanager: Any) -> None:
    """The documented pitfall: `name-abcdef` reads as a full ARN of `name`."""
    arn = secretsmanager.create_secret(Name="my-secret-abcdef", SecretString="v")["ARN"]
    partial = partial_arn(arn)
    assert partial.endswith(":secret:my-secret-abcdef")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=partial)
    # The name and the full ARN still work.
    assert secretsmanager.describe_secret(SecretId="my-secret-abcdef")["ARN"] == arn
    assert secretsmanager.describe_secret(SecretId=arn)["ARN"] == arn


def test_partial_arn_with_a_shorter_tail_is_fine(secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="my-secret-abc", SecretString="v")["ARN"]
    assert secretsmanager.describe_secret(SecretId=partial_arn(arn))["ARN"] == arn


@pytest.mark.parametrize(
    ("part", "replacement"),
    [(1, "aws-cn"), (3, "eu-west-1"), (4, "210987654321")],
    ids=["partition", "region", "account"],
)
def test_arn_of_another_partition_region_or_account_is_not_found(
    secretsmanager: Any, part: int, replacement: str
) -> None:
    arn = secretsmanager.create_secret(Name="app", SecretString="v")["ARN"]
    parts = arn.split(":")
    parts[part] = replacement
    foreign = ":".join(parts)
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=foreign)
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.tag_resource(SecretId=foreign, Tags=[{"Key": "k", "Value": "v"}])
    partial = partial_arn(foreign)
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=partial)
    assert "Tags" not in secretsmanager.describe_secret(SecretId=arn)


# --- regions and partitions -------------------------------------------------------------------


def test_same_name_in_two_regions_is_two_secrets(secretsmanager: Any) -> None:
    west = sm_client("eu-west-1")
    east_arn = secretsmanager.create_secret(Name="shared", SecretString="east")["ARN"]
    west_arn = west.create_secret(Name="shared", SecretString="west")["ARN"]
    assert east_arn != west_arn
    assert ":us-east-1:" in east_arn
    assert ":eu-west-1:" in west_arn
    assert secretsmanager.get_secret_value(SecretId="shared")["SecretString"] == "east"
    assert west.get_secret_value(SecretId="shared")["SecretString"] == "west"

    secretsmanager.tag_resource(SecretId="shared", Tags=[{"Key": "side", "Value": "east"}])
    assert "Tags" not in west.describe_secret(SecretId="shared")
    secretsmanager.delete_secret(SecretId="shared", ForceDeleteWithoutRecovery=True)
    assert west.describe_secret(SecretId="shared")["ARN"] == west_arn

    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_secret(SecretId=east_arn)
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId=west_arn)


def test_a_secret_is_invisible_from_another_region(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="only-east", SecretString="v")
    west = sm_client("eu-west-1")
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_secret(SecretId="only-east")
    assert west.list_secrets()["SecretList"] == []


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("eu-central-1", "aws"),
    ],
)
def test_partition_follows_the_region(stubtags: Backend, region: str, partition: str) -> None:
    regional = sm_client(region)
    arn = regional.create_secret(Name="p", SecretString="v")["ARN"]
    assert arn.startswith(f"arn:{partition}:secretsmanager:{region}:123456789012:secret:p-")
    assert regional.describe_secret(SecretId=arn)["Name"] == "p"
    assert regional.describe_secret(SecretId=partial_arn(arn))["ARN"] == arn
    aws_arn = arn.replace(f"arn:{partition}:", "arn:aws:", 1)
    if aws_arn != arn:
        with pytest.raises(regional.exceptions.ResourceNotFoundException):
            regional.describe_secret(SecretId=aws_arn)


# --- accounts ---------------------------------------------------------------------------------


def test_account_id_goes_into_arns() -> None:
    with mock_tags(account_id="111111111111") as backend:
        client = sm_client()
        arn = client.create_secret(Name="acct", SecretString="v")["ARN"]
        assert arn.startswith("arn:aws:secretsmanager:us-east-1:111111111111:secret:acct-")
        assert backend.account_id == "111111111111"
        assert backend.names() == ["acct"]
        default_account_arn = arn.replace(":111111111111:", ":123456789012:")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_secret(SecretId=default_account_arn)


def test_nested_mocks_of_two_accounts_keep_their_secrets_apart() -> None:
    with mock_tags() as outer:
        client = sm_client()
        home = client.create_secret(Name="same", SecretString="home")["ARN"]
        with mock_tags(account_id="111111111111") as inner:
            assert client.list_secrets()["SecretList"] == []
            other = client.create_secret(Name="same", SecretString="other")["ARN"]
            assert ":111111111111:" in other
            assert client.get_secret_value(SecretId="same")["SecretString"] == "other"
            assert inner.names() == ["same"]
        assert client.get_secret_value(SecretId="same")["SecretString"] == "home"
        assert client.describe_secret(SecretId="same")["ARN"] == home
        assert outer.names() == ["same"]


def test_invalid_account_id_is_refused() -> None:
    for bad in ("123", "abcdefghijkl", "1234567890123"):
        with pytest.raises(ValueError):
            mock_tags(account_id=bad)


# --- the random suffix of a new ARN -----------------------------------------------------------

ARN_PREFIX = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-"


@pytest.mark.parametrize(
    ("reads", "suffix"),
    [
        ([bytes(8)], "aaaaaa"),
        ([bytes([1, 0, 0, 0, 0, 0, 0, 0])], "baaaaa"),
        ([bytes([61, 62, 123, 124, 185, 247, 0, 0])], "9a9a99"),
        # Bytes 248-255 would favour the first 8 characters: they are dropped.
        ([bytes([248, 255, 25, 26, 51, 52, 61, 0])], "zAZ09a"),
        # Fewer than 6 kept: they are dropped, another read makes the suffix.
        ([bytes([255, 250, 249, 1, 1, 1, 1, 1]), bytes([2] * 6)], "cccccc"),
    ],
)
def test_random_bytes_make_the_suffix_each_character_equally_likely(
    reads: list[bytes], suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    left = list(reads)

    def urandom(size: int) -> bytes:  # each read padded with rejected bytes
        asked.append(size)
        return left.pop(0).ljust(size, b"\xff")

    monkeypatch.setattr(os, "urandom", urandom)
    monkeypatch.setattr(identity, "_suffixes", [])
    assert new_arn("aws", "us-east-1", "123456789012", "app") == ARN_PREFIX + suffix
    assert asked == [identity._SUFFIX_READ] * len(reads)


def test_one_read_makes_the_suffixes_of_many_arns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole suffixes in the order read, taken from the last; a partial one is dropped."""
    reads = [bytes(range(62)) + bytes(2), bytes(range(12))]  # 64 kept: 10 suffixes
    monkeypatch.setattr(os, "urandom", lambda size: reads.pop(0).ljust(size, b"\xff"))
    monkeypatch.setattr(identity, "_suffixes", [])
    alphabet = string.ascii_letters + string.digits
    suffixes = [new_arn("aws", "us-east-1", "123456789012", "app")[-6:] for _ in range(12)]
    chunks = [alphabet[i : i + 6] for i in range(0, 60, 6)]
    assert suffixes == [*chunks[::-1], "ghijkl", "abcdef"]


def test_each_suffix_character_comes_from_as_many_bytes() -> None:
    """248 of the 256 byte values are kept, four for each of the 62 characters."""
    kept = bytes(range(256)).translate(identity._SUFFIX_TABLE, identity._SUFFIX_REJECTED)
    assert len(kept) == 248
    assert collections.Counter(kept) == dict.fromkeys(
        (string.ascii_letters + string.digits).encode(), 4
    )


def test_new_arns_end_in_six_random_letters_or_digits() -> None:
    arns = {new_arn("aws", "us-east-1", "123456789012", "app") for _ in range(50)}
    assert len(arns) == 50
    for arn in arns:
        assert arn.startswith(ARN_PREFIX)
        assert SUFFIXED.fullmatch(arn.rsplit(":", 1)[1])


@given(st.text(alphabet=st.sampled_from("aZ09/_+=.@!-~ \n\u00e9\u0430:*"), max_size=8))
def test_names_are_checked_against_the_services_alphabet(name: str) -> None:
    """`validate_name` accepts exactly what the service's pattern matches."""
    valid = re.fullmatch(r"[A-Za-z0-9/_+=.@!-]+", name) is not None
    try:
        identity.validate_name(name)
    except ValidationException:
        assert not valid
    else:
        assert valid
