"""The request context: global keys per principal type ("AWS global condition context
keys"; the principal table of "IAM policy elements: Variables and tags"), and the
case-insensitive key mapping."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from stubtags.iam import (
    ContextKeys,
    Identity,
    RequestContext,
    parse_principal_arn,
    standard_keys,
    tag_keys,
)

ACCOUNT = "111122223333"
NOW = datetime(2026, 11, 28, 12, 30, tzinfo=timezone.utc)


def test_an_iam_user_has_a_username_an_aida_userid_and_its_own_arn() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:user/division/alice"
    keys = standard_keys(arn, principal_tags={"team": "blue"}, region="eu-west-1", now=NOW)
    assert keys["aws:PrincipalArn"] == arn
    assert keys["aws:PrincipalAccount"] == ACCOUNT
    assert keys["aws:PrincipalType"] == "User"
    assert keys["aws:username"] == "alice"
    userid = keys["aws:userid"]
    assert isinstance(userid, str) and userid.startswith("AIDA") and len(userid) == 21
    assert keys["aws:PrincipalTag/team"] == "blue"
    assert keys["aws:RequestedRegion"] == "eu-west-1"
    assert keys["aws:CurrentTime"] == NOW
    assert keys["aws:EpochTime"] == int(NOW.timestamp())
    assert keys["aws:SecureTransport"] is True


def test_a_role_session_has_the_roles_arn_as_principal_arn_and_no_username() -> None:
    arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/run-42"
    keys = standard_keys(arn, now=NOW)
    assert keys["aws:PrincipalArn"] == f"arn:aws:iam::{ACCOUNT}:role/deployer"
    assert keys["aws:PrincipalType"] == "AssumedRole"
    assert "aws:username" not in keys
    userid = keys["aws:userid"]
    assert isinstance(userid, str) and userid.startswith("AROA") and userid.endswith(":run-42")
    with_path = standard_keys(arn, role_arn=f"arn:aws:iam::{ACCOUNT}:role/ci/deployer")
    assert with_path["aws:PrincipalArn"] == f"arn:aws:iam::{ACCOUNT}:role/ci/deployer"


def test_the_root_user_has_the_account_as_userid() -> None:
    keys = standard_keys(f"arn:aws:iam::{ACCOUNT}:root", now=NOW)
    assert keys["aws:userid"] == ACCOUNT and keys["aws:PrincipalType"] == "Account"


def test_a_chosen_userid_is_kept() -> None:
    keys = standard_keys(f"arn:aws:iam::{ACCOUNT}:user/alice", userid="AIDAEXAMPLE")
    assert keys["aws:userid"] == "AIDAEXAMPLE"


@pytest.mark.parametrize(
    "arn",
    [
        "alice",
        f"arn:aws:iam::{ACCOUNT}:group/admins",
        "arn:aws:iam::1:user/x",
        f"arn:aws:sts::{ACCOUNT}:assumed-role/only-role",
        f"arn:aws:s3:::{ACCOUNT}",
    ],
)
def test_anything_but_a_principal_arn_is_refused(arn: str) -> None:
    with pytest.raises(ValueError, match="not a principal ARN"):
        parse_principal_arn(arn)


def test_identity_request_and_create_build_the_same_keys() -> None:
    arn = f"arn:aws:iam::{ACCOUNT}:user/alice"
    extra = {"aws:ResourceTag/team": "blue"}
    made = RequestContext.create(
        arn, "secretsmanager:TagResource", "*", principal_tags={"t": "1"}, now=NOW, keys=extra
    )
    built = Identity(arn, principal_tags={"t": "1"}).request(
        "secretsmanager:TagResource", "*", extra, now=NOW
    )
    assert dict(made.keys) == dict(built.keys)
    assert built.principal_account == ACCOUNT and built.same_account


def test_request_keys_win_over_the_standard_ones() -> None:
    request = RequestContext.create(
        f"arn:aws:iam::{ACCOUNT}:user/alice", "x:Y", keys={"AWS:SecureTransport": False}
    )
    assert request.keys["aws:securetransport"] == (False,)
    assert len([k for k in request.keys if k.lower() == "aws:securetransport"]) == 1


def test_context_keys_are_looked_up_case_insensitively() -> None:
    keys = ContextKeys({"aws:ResourceTag/Team": "blue", "aws:TagKeys": ["a", "b"]})
    assert keys["AWS:resourcetag/TEAM"] == ("blue",)
    assert keys["aws:tagkeys"] == ("a", "b")
    assert "aws:resourcetag/team" in keys and "aws:ResourceTag/env" not in keys
    assert list(keys) == ["aws:ResourceTag/Team", "aws:TagKeys"] and len(keys) == 2
    assert "aws:ResourceTag/Team" in repr(keys)


def test_with_keys_drops_prefixes_and_replaces_other_spellings() -> None:
    keys = ContextKeys(
        {"aws:ResourceTag/team": "blue", "secretsmanager:ResourceTag/team": "blue", "x:y": "1"}
    )
    later = keys.with_keys(
        {"aws:ResourceTag/env": "dev", "X:Y": "2"},
        without_prefixes=("AWS:ResourceTag/", "secretsmanager:ResourceTag/"),
    )
    assert dict(later) == {"aws:ResourceTag/env": ("dev",), "X:Y": ("2",)}
    assert dict(keys)["x:y"] == ("1",)


def test_two_spellings_of_one_key_are_both_kept() -> None:
    keys = ContextKeys({"aws:ResourceTag/Env": "prod", "aws:ResourceTag/env": "dev"})
    assert len(keys) == 2
    assert keys["aws:ResourceTag/env"] == ("dev",) and keys["aws:resourcetag/ENV"] == ("prod",)


def test_a_context_value_of_an_unsupported_type_is_refused() -> None:
    with pytest.raises(TypeError, match="context key 'k:v'"):
        ContextKeys({"k:v": object()})  # type: ignore[dict-item]


def test_tag_keys_prefix_each_tag() -> None:
    assert tag_keys("aws:ResourceTag", {"team": "blue"}) == {"aws:ResourceTag/team": "blue"}


def test_a_request_knows_whether_the_resource_is_in_the_callers_account() -> None:
    alice = f"arn:aws:iam::{ACCOUNT}:user/alice"
    theirs = "arn:aws:secretsmanager:us-east-1:444455556666:secret:x-AbCdEf"
    assert not RequestContext.create(alice, "x:Y", theirs).same_account
    assert RequestContext.create(alice, "x:Y", theirs.replace("444455556666", ACCOUNT)).same_account
    copy = RequestContext.create(alice, "x:Y", theirs).with_action("x:Z")
    assert copy.action == "x:Z" and copy.resource == theirs
