"""The tagging lock-out rule, end to end through boto3.

TagResource / UntagResource API reference: "If successfully completing this operation
would result in you losing your permissions for this secret, then the operation is
blocked and returns an Access Denied error." How AWS computes "losing" is not
documented; stubtags re-asks the same action against the tags the secret would have
(inferred), and `backend.lockout_actions` widens the set of re-asked actions.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend
from tests.permissions_helpers import (
    ALICE,
    REGION,
    allow,
    client_for,
    denial,
    implicit,
    resource_policy,
    statement,
)

SAME_TEAM = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
TAGGER = allow(
    ["secretsmanager:TagResource", "secretsmanager:UntagResource", "secretsmanager:Describe*"],
    Condition=SAME_TEAM,
)


@pytest.fixture
def blue(stubtags: Backend) -> Any:
    """Alice of team blue, who may tag the secrets of her team; secret "db" is blue."""
    stubtags.create_secret("db", tags={"team": "blue", "env": "prod"}, secret_string="v")
    return client_for(stubtags.principal(ALICE, policies=[TAGGER], tags={"team": "blue"}))


def test_tagging_that_keeps_access_is_allowed(stubtags: Backend, blue: Any) -> None:
    blue.tag_resource(SecretId="db", Tags=[{"Key": "cost", "Value": "42"}])
    assert stubtags.tags("db") == {"team": "blue", "env": "prod", "cost": "42"}


def test_tagging_away_your_own_access_is_refused_atomically(stubtags: Backend, blue: Any) -> None:
    before = stubtags.describe("db")
    with pytest.raises(ClientError) as caught:
        blue.tag_resource(
            SecretId="db",
            Tags=[{"Key": "cost", "Value": "42"}, {"Key": "team", "Value": "red"}],
        )
    arn = before["ARN"]
    assert denial(caught) == implicit(ALICE, "TagResource", arn)
    assert stubtags.describe("db") == before  # no tag added, LastChangedDate unchanged


def test_untagging_away_your_own_access_is_refused_atomically(stubtags: Backend, blue: Any) -> None:
    before = stubtags.describe("db")
    with pytest.raises(ClientError) as caught:
        blue.untag_resource(SecretId="db", TagKeys=["env", "team"])
    assert denial(caught) == implicit(ALICE, "UntagResource", before["ARN"])
    assert stubtags.describe("db") == before
    blue.untag_resource(SecretId="db", TagKeys=["env"])
    assert stubtags.tags("db") == {"team": "blue"}


def test_untag_then_tag_to_change_a_value_is_refused_at_the_untag(
    stubtags: Backend, blue: Any
) -> None:
    # How CloudFormation changes a tag's value; the Untag step locks the caller out.
    with pytest.raises(ClientError):
        blue.untag_resource(SecretId="db", TagKeys=["team"])
    assert stubtags.tags("db")["team"] == "blue"


def test_the_root_user_and_calls_without_principals_are_never_locked_out(
    stubtags: Backend, secretsmanager: Any, blue: Any
) -> None:
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "red"}])
    assert stubtags.tags("db")["team"] == "red"


def test_without_any_principal_there_is_no_lock_out(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db", Tags=[{"Key": "team", "Value": "blue"}])
    secretsmanager.untag_resource(SecretId="db", TagKeys=["team"])
    assert stubtags.tags("db") == {}


def test_a_resource_policy_deny_can_lock_out_too(stubtags: Backend, secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="db", SecretString="v")["ARN"]
    frozen = {"StringEquals": {"aws:ResourceTag/frozen": "yes"}}
    deny = statement(
        "secretsmanager:TagResource", effect="Deny", Principal={"AWS": ALICE}, Condition=frozen
    )
    secretsmanager.put_resource_policy(SecretId=arn, ResourcePolicy=resource_policy(deny))
    alice = client_for(stubtags.principal(ALICE, policies=[allow("secretsmanager:TagResource")]))
    with pytest.raises(ClientError) as caught:
        alice.tag_resource(SecretId="db", Tags=[{"Key": "frozen", "Value": "yes"}])
    # The implicit-deny message, whatever denied afterwards (inferred).
    assert denial(caught) == implicit(ALICE, "TagResource", arn)
    assert stubtags.tags("db") == {}


READER = allow(
    "secretsmanager:GetSecretValue",
    Condition={"StringEquals": {"aws:ResourceTag/team": "blue"}},
)


@pytest.fixture
def tagger(stubtags: Backend) -> Any:
    """May tag anything, and read blue secrets only."""
    stubtags.create_secret("db", tags={"team": "blue"}, secret_string="v")
    stubtags.create_secret("red", tags={"team": "red"}, secret_string="r")
    return client_for(
        stubtags.principal(ALICE, policies=[allow("secretsmanager:TagResource"), READER])
    )


def test_only_the_calls_own_action_is_rechecked_by_default(stubtags: Backend, tagger: Any) -> None:
    assert stubtags.lockout_actions == frozenset()
    tagger.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "green"}])
    assert stubtags.tags("db") == {"team": "green"}


def test_lockout_actions_widen_the_recheck(stubtags: Backend, tagger: Any) -> None:
    stubtags.lockout_actions = {"secretsmanager:GetSecretValue"}
    with pytest.raises(ClientError) as caught:
        tagger.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "green"}])
    assert denial(caught) == implicit(ALICE, "TagResource", stubtags.describe("db")["ARN"])
    assert stubtags.tags("db") == {"team": "blue"}
    # An action the caller does not have now can't be lost: "red" is unreadable already.
    tagger.tag_resource(SecretId="red", Tags=[{"Key": "team", "Value": "green"}])
    assert stubtags.tags("red") == {"team": "green"}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("secretsmanager:GetSecretValue", TypeError),
        (5, TypeError),
        (["GetSecretValue"], ValueError),
        (["secretsmanager:*"], ValueError),
    ],
)
def test_lockout_actions_are_checked(stubtags: Backend, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="lockout_actions"):
        stubtags.lockout_actions = value


def test_the_other_rules_come_first(stubtags: Backend, blue: Any) -> None:
    """A request the service refuses anyway gets the service's error, not the lock-out."""
    with pytest.raises(ClientError) as caught:
        blue.tag_resource(
            SecretId="db", Tags=[{"Key": "team", "Value": "red"}, {"Key": "aws:x", "Value": "1"}]
        )
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


# --- the Resource Groups Tagging API: the same door, the same rules ------------------------


def tagging_for(principal: Any) -> Any:
    return boto3.client("resourcegroupstaggingapi", region_name=REGION, **principal.credentials)


def test_tag_resources_needs_its_own_action_then_tag_resource_per_secret(
    stubtags: Backend,
) -> None:
    mine = stubtags.create_secret("mine", tags={"team": "blue"})
    theirs = stubtags.create_secret("theirs", tags={"team": "red"})
    nobody = tagging_for(stubtags.principal("arn:aws:iam::123456789012:user/nobody"))
    with pytest.raises(ClientError) as caught:
        nobody.tag_resources(ResourceARNList=[mine], Tags={"cost": "1"})
    assert caught.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: "
        "tag:TagResources because no identity-based policy allows the tag:TagResources action"
    )
    alice = stubtags.principal(
        ALICE, policies=[TAGGER, allow("tag:TagResources")], tags={"team": "blue"}
    )
    reply = tagging_for(alice).tag_resources(ResourceARNList=[mine, theirs], Tags={"cost": "1"})
    assert reply["FailedResourcesMap"] == {
        theirs: {
            "StatusCode": 400,
            "ErrorCode": "AccessDeniedException",
            "ErrorMessage": implicit(ALICE, "TagResource", theirs),
        }
    }
    assert stubtags.tags("mine") == {"team": "blue", "cost": "1"}
    assert stubtags.tags("theirs") == {"team": "red"}


def test_the_lock_out_rule_holds_for_the_tagging_api(stubtags: Backend) -> None:
    mine = stubtags.create_secret("mine", tags={"team": "blue"})
    alice = stubtags.principal(
        ALICE,
        policies=[TAGGER, allow(["tag:TagResources", "tag:UntagResources"])],
        tags={"team": "blue"},
    )
    tagging = tagging_for(alice)
    reply = tagging.tag_resources(ResourceARNList=[mine], Tags={"team": "red", "cost": "1"})
    assert reply["FailedResourcesMap"][mine]["ErrorMessage"] == implicit(ALICE, "TagResource", mine)
    reply = tagging.untag_resources(ResourceARNList=[mine], TagKeys=["team"])
    assert reply["FailedResourcesMap"][mine]["ErrorMessage"] == implicit(
        ALICE, "UntagResource", mine
    )
    assert stubtags.tags("mine") == {"team": "blue"}
