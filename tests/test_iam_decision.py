"""The decision, per "Policy evaluation logic", "Cross-account policy evaluation logic",
"AWS JSON policy elements: Principal" and "…: NotPrincipal", and the Decision report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from stubtags.iam import Decision, Policy, Reason, RequestContext, evaluate

ACCOUNT, OTHER = "111122223333", "444455556666"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
BOB = f"arn:aws:iam::{ACCOUNT}:user/bob"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/run-42"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
STRANGER = f"arn:aws:iam::{OTHER}:user/carol"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf"
TAG = "secretsmanager:TagResource"

ALLOW_TAG: dict[str, Any] = {"Effect": "Allow", "Action": TAG, "Resource": "*"}
DENY_TAG: dict[str, Any] = {"Effect": "Deny", "Action": TAG, "Resource": "*"}


def identity(*statements: dict[str, Any], name: str | None = None) -> Policy:
    return Policy.identity({"Version": "2012-10-17", "Statement": list(statements)}, name=name)


def resource(*statements: dict[str, Any]) -> Policy:
    return Policy.resource({"Version": "2012-10-17", "Statement": list(statements)})


def granted(principal: object, effect: str = "Allow") -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": TAG, "Resource": "*"}


def decide(
    principal: str = ALICE,
    identities: Sequence[Policy] = (),
    resource_policy: Policy | None = None,
    action: str = TAG,
    target: str = SECRET,
) -> Decision:
    request = RequestContext.create(principal, action, target)
    return evaluate(request, identities, resource_policy)


def test_with_no_policy_a_request_is_implicitly_denied() -> None:
    decision = decide()
    assert not decision
    assert decision.reason is Reason.NO_IDENTITY_ALLOW
    assert decision.statements == () and decision.decided_by is None


def test_an_identity_based_allow_grants_within_the_account() -> None:
    decision = decide(identities=[identity(ALLOW_TAG, name="tagger")])
    assert decision and decision.reason is Reason.ALLOWED
    assert decision.decided_by is not None
    assert (decision.decided_by.policy_name, decision.decided_by.statement_index) == ("tagger", 0)


def test_an_explicit_deny_in_any_identity_based_policy_overrides_allows() -> None:
    decision = decide(identities=[identity(ALLOW_TAG), identity({**DENY_TAG, "Sid": "No"})])
    assert not decision
    assert decision.reason is Reason.EXPLICIT_DENY_IDENTITY
    ref = decision.decided_by
    assert ref is not None and (ref.policy_index, ref.sid, ref.effect) == (1, "No", "Deny")


def test_an_explicit_deny_in_the_resource_based_policy_overrides_an_identity_allow() -> None:
    decision = decide(
        identities=[identity(ALLOW_TAG)], resource_policy=resource(granted("*", "Deny"))
    )
    assert not decision and decision.reason is Reason.EXPLICIT_DENY_RESOURCE


def test_a_resource_based_allow_naming_the_user_grants_without_an_identity_allow() -> None:
    decision = decide(resource_policy=resource(granted({"AWS": ALICE})))
    assert decision
    assert (
        decision.decided_by is not None
        and decision.decided_by.policy == "the resource-based policy"
    )
    assert not decide(BOB, resource_policy=resource(granted({"AWS": ALICE})))


def test_a_resource_based_allow_for_everyone_grants_within_the_account() -> None:
    assert decide(resource_policy=resource(granted("*")))
    assert decide(resource_policy=resource(granted({"AWS": "*"})))


def test_a_grant_to_the_account_needs_an_identity_based_allow_too() -> None:
    for principal in ({"AWS": ACCOUNT}, {"AWS": ROOT}):
        policy = resource(granted(principal))
        assert not decide(resource_policy=policy)
        assert decide(identities=[identity(ALLOW_TAG)], resource_policy=policy)


def test_a_role_arn_in_a_resource_policy_covers_the_roles_sessions() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/ci/deployer"
    assert decide(SESSION, resource_policy=resource(granted({"AWS": role})))
    assert decide(SESSION, resource_policy=resource(granted({"AWS": SESSION})))
    other = f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/run-43"
    assert not decide(SESSION, resource_policy=resource(granted({"AWS": other})))


def test_a_service_principal_does_not_name_an_iam_caller() -> None:
    assert not decide(
        resource_policy=resource(granted({"Service": "secretsmanager.amazonaws.com"}))
    )


def test_across_accounts_the_identity_and_the_resource_policy_must_both_allow() -> None:
    mine = [identity(ALLOW_TAG)]
    grant = resource(granted({"AWS": STRANGER}))
    only_identity = decide(STRANGER, mine)
    assert not only_identity and only_identity.reason is Reason.NO_RESOURCE_ALLOW
    only_resource = decide(STRANGER, resource_policy=grant)
    assert not only_resource and only_resource.reason is Reason.NO_IDENTITY_ALLOW
    both = decide(STRANGER, mine, grant)
    assert both and len(both.statements) == 2 and not both.same_account


def test_across_accounts_a_grant_to_the_callers_account_suffices() -> None:
    assert decide(STRANGER, [identity(ALLOW_TAG)], resource(granted({"AWS": OTHER})))
    assert not decide(STRANGER, [identity(ALLOW_TAG)], resource(granted({"AWS": ACCOUNT})))


def test_same_account_can_be_stated_instead_of_read_from_the_arns() -> None:
    request = RequestContext.create(ALICE, TAG, SECRET)
    decision = evaluate(request, [identity(ALLOW_TAG)], None, same_account=False)
    assert not decision and decision.reason is Reason.NO_RESOURCE_ALLOW


def test_the_root_user_is_allowed_except_past_a_resource_based_deny() -> None:
    allowed = decide(ROOT)
    assert allowed and "root user" in str(allowed)
    assert not decide(ROOT, resource_policy=resource(granted({"AWS": ACCOUNT}, "Deny")))


def test_not_principal_with_deny_spares_a_user_listed_with_their_account() -> None:
    assert decide(ALICE, [identity(ALLOW_TAG)], _not_principal([ALICE, ROOT]))
    assert not decide(BOB, [identity(ALLOW_TAG)], _not_principal([ALICE, ROOT]))


def test_not_principal_without_the_account_denies_the_listed_user_too() -> None:
    # "AWS JSON policy elements: NotPrincipal": AWS may validate the account first.
    assert not decide(ALICE, [identity(ALLOW_TAG)], _not_principal([ALICE]))


def test_not_principal_spares_a_session_only_with_its_role_and_account() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/deployer"
    assert decide(SESSION, [identity(ALLOW_TAG)], _not_principal([SESSION, role, ACCOUNT]))
    assert not decide(SESSION, [identity(ALLOW_TAG)], _not_principal([SESSION, ACCOUNT]))


def _not_principal(names: list[str]) -> Policy:
    return resource(
        {"Effect": "Deny", "NotPrincipal": {"AWS": names}, "Action": TAG, "Resource": "*"}
    )


def test_a_request_on_no_resource_counts_as_same_account() -> None:
    policy = identity({"Effect": "Allow", "Action": "secretsmanager:ListSecrets", "Resource": "*"})
    assert decide(identities=[policy], action="secretsmanager:ListSecrets", target="*")


def test_policies_of_the_wrong_kind_are_refused() -> None:
    with pytest.raises(ValueError, match="passed as an identity-based policy"):
        decide(identities=[resource(granted("*"))])
    with pytest.raises(ValueError, match="passed as the resource-based policy"):
        decide(resource_policy=identity(ALLOW_TAG))


def test_a_denial_reads_like_the_access_denied_message() -> None:
    decision = decide(identities=[identity({**DENY_TAG, "Sid": "NoTags"}, name="guard")])
    text = str(decision)
    assert text.splitlines()[0] == (
        f"DENIED {ALICE} -> {TAG} on {SECRET}: explicit deny in an identity-based policy"
    )
    assert "by identity-based policy 'guard', statement 'NoTags' (#0): {\"Effect\":\"Deny\"" in text
    assert repr(decision).startswith("<Decision DENIED ")
    assert repr(decision).endswith("by identity-based policy 'guard', statement 'NoTags' (#0)>")
    assert str(decide()) == (
        f"DENIED {ALICE} -> {TAG} on {SECRET}: no identity-based policy allows the {TAG} action"
    )


def test_explain_says_why_each_statement_did_or_did_not_apply() -> None:
    policy = identity(
        {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Action": TAG, "Resource": SECRET.replace("db-", "web-")},
        {
            "Effect": "Allow",
            "Action": TAG,
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}},
        },
    )
    text = decide(identities=[policy], resource_policy=resource(granted({"AWS": BOB}))).explain()
    assert f"statement #0 [Allow]: Action doesn't cover {TAG}" in text
    assert f"statement #1 [Allow]: Resource doesn't cover {SECRET}" in text
    assert (
        'statement #2 [Allow]: condition "StringEquals": {"aws:ResourceTag/team": "blue"} is false'
        in text
    )
    assert (
        "the resource-based policy, statement #0 [Allow]: Principal doesn't name the caller" in text
    )


def test_a_reason_prints_as_the_words_of_the_message() -> None:
    assert str(Reason.EXPLICIT_DENY_RESOURCE) == "explicit deny in a resource-based policy"
    assert f"because {Reason.NO_RESOURCE_ALLOW}" == "because no resource-based policy allows"


def test_a_request_can_be_asked_again_with_the_tags_the_resource_would_have() -> None:
    # The shape of the lock-out re-check: same caller and action, other resource tags.
    policy = identity(
        {
            **ALLOW_TAG,
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
        }
    )
    request = RequestContext.create(
        ALICE,
        TAG,
        SECRET,
        principal_tags={"team": "blue"},
        keys={"aws:ResourceTag/team": "blue", "secretsmanager:ResourceTag/team": "blue"},
    )
    assert evaluate(request, [policy])
    after = request.with_keys(
        {"aws:ResourceTag/team": "red"},
        without_prefixes=("aws:ResourceTag/", "secretsmanager:ResourceTag/"),
    )
    assert "secretsmanager:ResourceTag/team" not in after.keys
    decision = evaluate(after, [policy])
    assert not decision and decision.reason is Reason.NO_IDENTITY_ALLOW
