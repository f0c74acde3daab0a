"""Permissions end to end through boto3: principals, every operation, messages, order.

AWS pages: "Policy evaluation logic" (explicit deny wins; same account: either policy
allows; across accounts: both must), "Actions, resources, and condition keys for AWS
Secrets Manager" (what each operation asks), each operation's "Required permissions".
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

import stubtags
from stubtags import Backend, mock_tags
from stubtags.iam import PolicyError
from tests.permissions_helpers import (
    ALICE,
    BOB_ELSEWHERE,
    OTHER_ACCOUNT,
    REGION,
    allow,
    client_for,
    code_of,
    denial,
    explicit,
    implicit,
    policy,
    resource_policy,
    statement,
)

# --- without a principal: nothing changes --------------------------------------------------


def test_without_a_principal_every_call_is_allowed_and_nothing_is_built(
    stubtags: Backend, secretsmanager: Any
) -> None:
    arn = secretsmanager.create_secret(Name="app", SecretString="v")["ARN"]
    secretsmanager.put_resource_policy(
        SecretId=arn,
        ResourcePolicy=resource_policy(
            statement("secretsmanager:*", effect="Deny", Principal={"AWS": "*"})
        ),
    )
    # Opt-in: a Deny is only enforced once a principal is in play.
    assert secretsmanager.get_secret_value(SecretId="app")["SecretString"] == "v"
    assert stubtags.state.access is None


def test_a_client_without_credentials_acts_as_root(stubtags: Backend, secretsmanager: Any) -> None:
    stubtags.principal(ALICE)  # principals in play; the fixture's secretsmanager has no credentials
    secretsmanager.create_secret(Name="app", SecretString="v")
    assert secretsmanager.get_secret_value(SecretId="app")["SecretString"] == "v"


def test_unknown_credentials_act_as_root(stubtags: Backend) -> None:
    stubtags.principal(ALICE)
    stranger = boto3.client(
        "secretsmanager",
        region_name=REGION,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="x" * 40,
    )
    stranger.create_secret(Name="app", SecretString="v")
    assert stubtags.names() == ["app"]


# --- the principal API ---------------------------------------------------------------------


def test_credentials_are_shaped_like_aws_keys_and_unique(stubtags: Backend) -> None:
    user = stubtags.principal(ALICE)
    session = stubtags.principal("arn:aws:sts::123456789012:assumed-role/Deployer/ci")
    role = stubtags.principal("arn:aws:iam::123456789012:role/Reader")
    keys = [p.credentials["aws_access_key_id"] for p in (user, session, role)]
    assert keys[0].startswith("AKIA") and keys[1].startswith("ASIA") and keys[2].startswith("ASIA")
    assert all(len(key) == 20 for key in keys) and len(set(keys)) == 3
    assert all(len(p.credentials["aws_secret_access_key"]) == 40 for p in (user, session, role))
    assert user.arn == ALICE and role.arn == "arn:aws:iam::123456789012:role/Reader"


def test_registering_again_updates_policies_and_keeps_credentials(stubtags: Backend) -> None:
    first = stubtags.principal(ALICE)
    stubtags.create_secret("app", secret_string="v")
    with pytest.raises(ClientError):
        client_for(first).get_secret_value(SecretId="app")
    again = stubtags.principal(ALICE, policies=[allow("secretsmanager:GetSecretValue")])
    assert again is first
    assert client_for(first).get_secret_value(SecretId="app")["SecretString"] == "v"


def test_policies_may_be_json_text_or_named(stubtags: Backend) -> None:
    import json

    named = stubtags.principal(
        ALICE, policies={"reader": json.dumps(allow("secretsmanager:DescribeSecret"))}
    )
    decision = stubtags.is_allowed(named, "DescribeSecret", "app")
    assert decision
    assert "identity-based policy 'reader'" in str(decision)


@pytest.mark.parametrize(
    ("arguments", "error", "fragment"),
    [
        ({"arn": 5}, TypeError, "arn must be a string"),
        ({"arn": "alice"}, ValueError, "not a principal ARN"),
        ({"arn": "arn:aws:iam::123456789012:root"}, ValueError, "account's root user"),
        ({"arn": ALICE, "policies": allow("*")}, TypeError, "wrap it in a list"),
        ({"arn": ALICE, "policies": 7}, TypeError, "policies must be a list"),
        ({"arn": ALICE, "policies": [7]}, TypeError, "each policy is a dict"),
        ({"arn": ALICE, "tags": ["team"]}, TypeError, "tags must be a dict"),
        ({"arn": ALICE, "tags": {"team": 1}}, TypeError, "tags must be a dict"),
    ],
)
def test_principal_arguments_are_checked(
    stubtags: Backend, arguments: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=fragment):
        stubtags.principal(**arguments)


def test_a_bad_policy_raises_the_evaluator_message(stubtags: Backend) -> None:
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "*"}]}
    with pytest.raises(PolicyError, match=r"Statement\[0\].*Effect must be"):
        stubtags.principal(ALICE, policies=[bad])


def test_principal_is_public() -> None:
    assert stubtags.Principal.__name__ == "Principal"
    assert "Principal" in stubtags.__all__ and "RootCaller" in stubtags.__all__


# --- order: authorization before the secret is looked up -----------------------------------


def test_a_denied_caller_gets_access_denied_even_for_a_missing_secret(stubtags: Backend) -> None:
    alice = stubtags.principal(ALICE, policies=[allow("secretsmanager:DescribeSecret")])
    secretsmanager = client_for(alice)
    with pytest.raises(ClientError) as caught:
        secretsmanager.get_secret_value(SecretId="missing")
    # The message names the SecretId as given (recorded for missing secrets).
    assert denial(caught) == implicit(ALICE, "GetSecretValue", "missing")
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="missing")


def test_a_missing_secret_is_judged_on_the_arn_its_name_makes(stubtags: Backend) -> None:
    resource = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:app/*"
    alice = stubtags.principal(ALICE, policies=[allow("secretsmanager:DescribeSecret", resource)])
    secretsmanager = client_for(alice)
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="app/missing")
    with pytest.raises(ClientError) as caught:
        secretsmanager.describe_secret(SecretId="other/missing")
    assert code_of(caught) == "AccessDeniedException"


# --- resources, conditions, ABAC -----------------------------------------------------------


def test_resource_arn_with_the_suffix_wildcard(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app", SecretString="a")
    secretsmanager.create_secret(Name="app-other", SecretString="b")
    resource = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:app-??????"
    alice = client_for(
        stubtags.principal(ALICE, policies=[allow("secretsmanager:GetSecretValue", resource)])
    )
    assert alice.get_secret_value(SecretId="app")["SecretString"] == "a"
    with pytest.raises(ClientError) as caught:
        alice.get_secret_value(SecretId="app-other")
    assert code_of(caught) == "AccessDeniedException"


ABAC = allow(
    ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    Condition={"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
)


def test_abac_with_the_principal_tag_variable(stubtags: Backend) -> None:
    stubtags.create_secret("blue-db", tags={"team": "blue"}, secret_string="b")
    stubtags.create_secret("red-db", tags={"team": "red"}, secret_string="r")
    stubtags.create_secret("untagged", secret_string="u")
    blue = client_for(stubtags.principal(ALICE, policies=[ABAC], tags={"team": "blue"}))
    assert blue.get_secret_value(SecretId="blue-db")["SecretString"] == "b"
    for other in ("red-db", "untagged"):
        with pytest.raises(ClientError) as caught:
            blue.get_secret_value(SecretId=other)
        assert code_of(caught) == "AccessDeniedException"


def test_decisions_follow_the_secrets_tags_and_the_principals_tags(stubtags: Backend) -> None:
    stubtags.create_secret("db", tags={"team": "blue"}, secret_string="v")
    alice = stubtags.principal(ALICE, policies=[ABAC], tags={"team": "blue"})
    secretsmanager = client_for(alice)
    assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] == "v"
    assert alice.decisions  # remembered: the policy reads no clock
    stubtags.add_system_tag("db", "aws:unrelated", "x")  # a tag no policy reads
    assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] == "v"
    boto3.client("secretsmanager", region_name=REGION).tag_resource(
        SecretId="db", Tags=[{"Key": "team", "Value": "red"}]
    )
    with pytest.raises(ClientError):
        secretsmanager.get_secret_value(SecretId="db")
    stubtags.principal(ALICE, policies=[ABAC], tags={"team": "red"})
    assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] == "v"


def test_a_policy_reading_the_clock_is_asked_on_every_call(stubtags: Backend) -> None:
    import time

    stubtags.create_secret("db", secret_string="v")
    until = {"NumericLessThan": {"aws:EpochTime": int(time.time()) + 3600}}
    alice = stubtags.principal(
        ALICE, policies=[allow("secretsmanager:GetSecretValue", Condition=until)]
    )
    assert client_for(alice).get_secret_value(SecretId="db")["SecretString"] == "v"
    assert alice.decisions == {}
    past = {"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
    stubtags.principal(ALICE, policies=[allow("secretsmanager:GetSecretValue", Condition=past)])
    with pytest.raises(ClientError):
        client_for(alice).get_secret_value(SecretId="db")


def test_secretsmanager_resource_tag_key_and_case_insensitive_names(stubtags: Backend) -> None:
    stubtags.create_secret("db", tags={"ServerName": "ServerABC"}, secret_string="v")
    condition = {"StringEquals": {"secretsmanager:resourcetag/servername": "ServerABC"}}
    alice = client_for(
        stubtags.principal(
            ALICE, policies=[allow("secretsmanager:GetSecretValue", Condition=condition)]
        )
    )
    assert alice.get_secret_value(SecretId="db")["SecretString"] == "v"


def test_tag_keys_are_the_keys_of_the_request(stubtags: Backend) -> None:
    stubtags.create_secret("db", tags={"owner": "ops"})
    only_acme = {"ForAllValues:StringLike": {"aws:TagKeys": ["acme_*"]}}
    alice = client_for(
        stubtags.principal(
            ALICE, policies=[allow("secretsmanager:TagResource", Condition=only_acme)]
        )
    )
    alice.tag_resource(SecretId="db", Tags=[{"Key": "acme_cost", "Value": "1"}])
    with pytest.raises(ClientError) as caught:  # re-sending a foreign key is judged too
        alice.tag_resource(
            SecretId="db", Tags=[{"Key": "acme_x", "Value": "1"}, {"Key": "owner", "Value": "ops"}]
        )
    assert code_of(caught) == "AccessDeniedException"
    assert stubtags.tags("db") == {"owner": "ops", "acme_cost": "1"}


def test_create_secret_with_tags_also_needs_tag_resource(stubtags: Backend) -> None:
    alice = client_for(stubtags.principal(ALICE, policies=[allow("secretsmanager:CreateSecret")]))
    with pytest.raises(ClientError) as caught:
        alice.create_secret(Name="tagged", Tags=[{"Key": "team", "Value": "blue"}])
    assert "perform: secretsmanager:TagResource on resource:" in denial(caught)
    assert stubtags.names() == []
    alice.create_secret(Name="plain")
    assert stubtags.names() == ["plain"]


def test_create_secret_judged_on_request_tags(stubtags: Backend) -> None:
    only_blue = {"StringEquals": {"aws:RequestTag/team": "blue"}}
    alice = client_for(
        stubtags.principal(
            ALICE,
            policies=[
                allow(
                    ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
                    Condition=only_blue,
                )
            ],
        )
    )
    alice.create_secret(Name="blue", Tags=[{"Key": "team", "Value": "blue"}])
    with pytest.raises(ClientError):
        alice.create_secret(Name="red", Tags=[{"Key": "team", "Value": "red"}])
    assert stubtags.names() == ["blue"]


def test_explicit_deny_in_an_identity_policy(stubtags: Backend) -> None:
    arn = stubtags.create_secret("db", secret_string="v")
    alice = client_for(
        stubtags.principal(
            ALICE,
            policies=[
                allow("secretsmanager:*"),
                policy(statement("secretsmanager:GetSecretValue", effect="Deny")),
            ],
        )
    )
    with pytest.raises(ClientError) as caught:
        alice.get_secret_value(SecretId="db")
    assert denial(caught) == explicit(ALICE, "GetSecretValue", arn)


def test_explicit_deny_in_the_resource_policy_beats_an_identity_allow(
    stubtags: Backend, secretsmanager: Any
) -> None:
    arn = secretsmanager.create_secret(Name="db", SecretString="v")["ARN"]
    deny = statement("secretsmanager:GetSecretValue", effect="Deny", Principal={"AWS": ALICE})
    secretsmanager.put_resource_policy(SecretId=arn, ResourcePolicy=resource_policy(deny))
    alice = client_for(stubtags.principal(ALICE, policies=[allow("secretsmanager:*")]))
    with pytest.raises(ClientError) as caught:
        alice.get_secret_value(SecretId="db")
    assert denial(caught) == explicit(ALICE, "GetSecretValue", arn, kind="resource")
    assert alice.describe_secret(SecretId="db")["Name"] == "db"


def test_the_root_user_is_stopped_only_by_a_resource_policy_deny(
    stubtags: Backend, secretsmanager: Any
) -> None:
    arn = secretsmanager.create_secret(Name="db", SecretString="v")["ARN"]
    deny = statement("secretsmanager:GetSecretValue", effect="Deny", Principal="*")
    secretsmanager.put_resource_policy(SecretId=arn, ResourcePolicy=resource_policy(deny))
    stubtags.principal(ALICE)
    with pytest.raises(ClientError) as caught:
        secretsmanager.get_secret_value(SecretId="db")
    assert denial(caught) == explicit(
        "arn:aws:iam::123456789012:root", "GetSecretValue", arn, kind="resource"
    )


def test_a_resource_policy_naming_the_caller_allows_in_the_same_account(
    stubtags: Backend, secretsmanager: Any
) -> None:
    arn = secretsmanager.create_secret(Name="db", SecretString="v")["ARN"]
    grant = statement("secretsmanager:GetSecretValue", Principal={"AWS": ALICE})
    secretsmanager.put_resource_policy(SecretId=arn, ResourcePolicy=resource_policy(grant))
    alice = client_for(stubtags.principal(ALICE))
    assert alice.get_secret_value(SecretId="db")["SecretString"] == "v"


def test_a_resource_policy_needs_a_principal(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db", SecretString="v")
    without = resource_policy(statement("secretsmanager:GetSecretValue"))
    with pytest.raises(secretsmanager.exceptions.MalformedPolicyDocumentException):
        secretsmanager.put_resource_policy(SecretId="db", ResourcePolicy=without)


# --- across accounts -----------------------------------------------------------------------


def test_cross_account_needs_both_policies(stubtags: Backend, secretsmanager: Any) -> None:
    arn = secretsmanager.create_secret(Name="shared", SecretString="v")["ARN"]
    bob = client_for(
        stubtags.principal(BOB_ELSEWHERE, policies=[allow("secretsmanager:GetSecretValue")])
    )
    with pytest.raises(ClientError) as caught:
        bob.get_secret_value(SecretId=arn)
    assert denial(caught) == implicit(BOB_ELSEWHERE, "GetSecretValue", arn, kind="resource")
    grant = statement("secretsmanager:GetSecretValue", Principal={"AWS": OTHER_ACCOUNT})
    secretsmanager.put_resource_policy(SecretId=arn, ResourcePolicy=resource_policy(grant))
    assert bob.get_secret_value(SecretId=arn)["SecretString"] == "v"
    # By name, the call lands in bob's own account, which has no such secret.
    with pytest.raises(bob.exceptions.ResourceNotFoundException):
        bob.get_secret_value(SecretId="shared")


def test_cross_account_resource_grant_alone_is_not_enough(
    stubtags: Backend, secretsmanager: Any
) -> None:
    arn = secretsmanager.create_secret(Name="shared", SecretString="v")["ARN"]
    grant = statement("secretsmanager:GetSecretValue", Principal={"AWS": BOB_ELSEWHERE})
    secretsmanager.put_resource_policy(SecretId=arn, ResourcePolicy=resource_policy(grant))
    bob = client_for(stubtags.principal(BOB_ELSEWHERE))
    with pytest.raises(ClientError) as caught:
        bob.get_secret_value(SecretId=arn)
    assert denial(caught) == implicit(BOB_ELSEWHERE, "GetSecretValue", arn)


def test_list_secrets_never_lists_another_accounts_secrets(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(Name="mine", SecretString="v")
    bob = client_for(stubtags.principal(BOB_ELSEWHERE, policies=[allow("secretsmanager:*")]))
    assert bob.list_secrets()["SecretList"] == []
    bob.create_secret(Name="bobs", SecretString="b")
    assert [s["Name"] for s in bob.list_secrets()["SecretList"]] == ["bobs"]
    assert [s["Name"] for s in secretsmanager.list_secrets()["SecretList"]] == ["mine"]
    with mock_tags(account_id=OTHER_ACCOUNT) as other:
        assert other.names(region=REGION) == ["bobs"]


# --- acting_as ------------------------------------------------------------------------------


def code_under_test() -> str:
    """Builds its own secretsmanager, as application code does."""
    secretsmanager = boto3.client("secretsmanager", region_name=REGION)
    return str(secretsmanager.get_secret_value(SecretId="db")["SecretString"])


def test_acting_as_makes_clients_built_inside_code_under_test_act_as_the_principal(
    stubtags: Backend,
) -> None:
    stubtags.create_secret("db", secret_string="v", tags={"team": "red"})
    alice = stubtags.principal(ALICE, policies=[ABAC], tags={"team": "blue"})
    assert code_under_test() == "v"  # root
    with stubtags.acting_as(alice):
        with pytest.raises(ClientError) as caught:
            code_under_test()
        assert code_of(caught) == "AccessDeniedException"
        stubtags.principal(ALICE, policies=[ABAC], tags={"team": "red"})
        assert code_under_test() == "v"
    assert code_under_test() == "v"


def test_acting_as_does_not_override_registered_credentials(stubtags: Backend) -> None:
    stubtags.create_secret("db", secret_string="v")
    reader = stubtags.principal(ALICE, policies=[allow("secretsmanager:GetSecretValue")])
    nobody = stubtags.principal("arn:aws:iam::123456789012:user/nobody")
    with stubtags.acting_as(nobody):
        assert client_for(reader).get_secret_value(SecretId="db")["SecretString"] == "v"


def test_acting_as_nests(stubtags: Backend) -> None:
    stubtags.create_secret("db", secret_string="v")
    reader = stubtags.principal(ALICE, policies=[allow("secretsmanager:GetSecretValue")])
    nobody = stubtags.principal("arn:aws:iam::123456789012:user/nobody")
    with stubtags.acting_as(reader), stubtags.acting_as(nobody):
        with stubtags.acting_as(reader):
            assert code_under_test() == "v"
        with pytest.raises(ClientError):
            code_under_test()
    assert stubtags.state.access is not None and stubtags.state.access.acting == []


def test_lockout_actions_alone_keep_the_fast_path(stubtags: Backend, secretsmanager: Any) -> None:
    stubtags.lockout_actions = {"secretsmanager:GetSecretValue"}
    secretsmanager.create_secret(Name="db", SecretString="v")
    assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] == "v"


def test_acting_as_needs_a_registered_principal(stubtags: Backend) -> None:
    with pytest.raises(ValueError, match="no principal"), stubtags.acting_as(ALICE):
        pass
    with pytest.raises(TypeError), stubtags.acting_as(5):  # type: ignore[arg-type]
        pass


# --- is_allowed -----------------------------------------------------------------------------


def test_is_allowed_says_which_statement_decided(stubtags: Backend) -> None:
    stubtags.create_secret("db", tags={"team": "blue"})
    alice = stubtags.principal(ALICE, policies=[ABAC], tags={"team": "blue"})
    decision = stubtags.is_allowed(alice, "secretsmanager:GetSecretValue", "db")
    assert decision
    assert decision.decided_by is not None and decision.decided_by.policy_index == 0
    assert not stubtags.is_allowed(alice, "DeleteSecret", "db")
    assert "no identity-based policy allows" in str(stubtags.is_allowed(ALICE, "ListSecrets"))
    assert stubtags.is_allowed(alice, "GetSecretValue", "missing").reason.value.startswith("no ")


def test_is_allowed_checks_its_arguments(stubtags: Backend) -> None:
    alice = stubtags.principal(ALICE)
    with pytest.raises(TypeError, match="action"):
        stubtags.is_allowed(alice, 5, "db")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="secret_id"):
        stubtags.is_allowed(alice, "GetSecretValue", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no principal"):
        stubtags.is_allowed("arn:aws:iam::123456789012:user/ghost", "GetSecretValue")


# --- BatchGetSecretValue: GetSecretValue on each secret ------------------------------------


def test_batch_reports_each_secret_the_caller_may_not_read(stubtags: Backend) -> None:
    readable = stubtags.create_secret("readable", secret_string="r")
    hidden = stubtags.create_secret("hidden", secret_string="h")
    alice = client_for(
        stubtags.principal(
            ALICE,
            policies=[
                allow("secretsmanager:BatchGetSecretValue"),
                allow("secretsmanager:GetSecretValue", readable),
            ],
        )
    )
    reply = alice.batch_get_secret_value(SecretIdList=[readable, hidden])
    assert [v["Name"] for v in reply["SecretValues"]] == ["readable"]
    assert reply["Errors"] == [
        {
            "SecretId": hidden,
            "ErrorCode": "AccessDeniedException",
            "Message": implicit(ALICE, "GetSecretValue", hidden),
        }
    ]
    with pytest.raises(ClientError) as caught:  # filters need ListSecrets as well
        alice.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["r"]}])
    assert denial(caught) == implicit(ALICE, "ListSecrets", None)


# --- who called: call.caller, as the call record shows it ----------------------------------


def test_the_caller_of_each_call(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.list_secrets()
    assert stubtags.events[-1]["userIdentity"]["type"] == "Root"
    user = stubtags.principal(ALICE, policies=[allow("secretsmanager:ListSecrets")])
    client_for(user).list_secrets()
    identity = stubtags.events[-1]["userIdentity"]
    assert (identity["type"], identity["arn"], identity["accountId"], identity["userName"]) == (
        "IAMUser",
        ALICE,
        "123456789012",
        "alice",
    )
    assert identity["accessKeyId"] == user.credentials["aws_access_key_id"]
    session = stubtags.principal(
        "arn:aws:sts::123456789012:assumed-role/Deployer/ci", policies=[allow("*")]
    )
    client_for(session).list_secrets()
    identity = stubtags.events[-1]["userIdentity"]
    issuer = identity["sessionContext"]["sessionIssuer"]
    assert (identity["type"], identity["arn"], issuer["arn"]) == (
        "AssumedRole",
        "arn:aws:sts::123456789012:assumed-role/Deployer/ci",
        "arn:aws:iam::123456789012:role/Deployer",
    )
    assert identity["principalId"].endswith(":ci")
    role = stubtags.principal("arn:aws:iam::123456789012:role/team/Reader")
    with pytest.raises(ClientError) as caught:
        client_for(role).list_secrets()
    # A role acts as a session of itself: AWS names the session in messages and records.
    session_arn = "arn:aws:sts::123456789012:assumed-role/Reader/stubtags"
    assert denial(caught) == implicit(session_arn, "ListSecrets", None)
    denied = stubtags.events[-1]
    assert denied["userIdentity"]["arn"] == session_arn
    assert denied["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"] == (
        "arn:aws:iam::123456789012:role/team/Reader"
    )
    assert denied["errorCode"] == "AccessDenied"
