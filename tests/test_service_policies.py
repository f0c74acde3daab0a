"""Unit tests of the resource policy checks (stubtags.service.policies)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stubtags.service.errors import (
    MalformedPolicyDocumentException,
    PublicPolicyException,
    ServiceError,
)
from stubtags.service.policies import POLICY_MAX, check_put_policy, validate_policy_document

# --- policies: ValidateResourcePolicy ------------------------------------------------------

ACCOUNT_ROOT = "arn:aws:iam::123456789012:root"


def _policy(*statements: Any, **top: Any) -> str:
    document: dict[str, Any] = {"Version": "2012-10-17", **top}
    if statements:
        document["Statement"] = list(statements)
    return json.dumps(document)


def _statement(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": ACCOUNT_ROOT},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def _messages(policy: str) -> list[str]:
    errors = validate_policy_document(policy)
    for error in errors:
        assert set(error) == {"CheckName", "ErrorMessage"}
        assert error["CheckName"] == "SYNTAX_CHECK"
        assert isinstance(error["ErrorMessage"], str)
        assert error["ErrorMessage"]
    return [error["ErrorMessage"] for error in errors]


@pytest.mark.parametrize(
    "policy",
    [
        _policy(_statement()),
        _policy(_statement(), Version="2008-10-17"),
        json.dumps({"Statement": _statement()}),
        _policy(_statement(Sid="ReadIt", Principal="*")),
        _policy(_statement(Action=["secretsmanager:GetSecretValue", "secretsmanager:List*"])),
        _policy(_statement(Action=None, NotAction="secretsmanager:DeleteSecret")),
        _policy(_statement(Resource=None, NotResource=["arn:aws:secretsmanager:*:*:secret:x"])),
        _policy(_statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}, Effect="Deny")),
        _policy(
            _statement(
                Principal={
                    "AWS": [ACCOUNT_ROOT, "*"],
                    "Service": "lambda.amazonaws.com",
                    "Federated": "cognito-identity.amazonaws.com",
                    "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d9",
                }
            )
        ),
        _policy(
            _statement(
                Condition={
                    "StringEquals": {"aws:PrincipalOrgID": ["o-123"], "aws:SourceAccount": "1"},
                    "Bool": {"aws:SecureTransport": False},
                    "NumericLessThan": {"secretsmanager:RecoveryWindowInDays": 10},
                }
            )
        ),
        _policy(_statement(), _statement(Effect="Deny"), Id="my-policy"),
    ],
)
def test_valid_policies_have_no_errors(policy: str) -> None:
    assert validate_policy_document(policy) == []


@pytest.mark.parametrize(
    ("policy", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"Statement": NaN}', "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('"text"', "must be a JSON object"),
        (_policy(_statement(), Version="2020-01-01"), "Version must be one of"),
        (_policy(_statement(), Version=20121017), "Version must be one of"),
        (_policy(_statement(), Id=5), "Id must be a string"),
        (_policy(_statement(), Extra=1), 'unsupported key "Extra"'),
        (_policy(), "missing Statement"),
        (json.dumps({"Statement": []}), "non-empty list"),
        (json.dumps({"Statement": "Allow"}), "non-empty list"),
        (_policy(_statement(), "nope"), "Statement[1] must be a JSON object"),
        (_policy(_statement(Colour="red")), 'Statement[0] has unsupported key "Colour"'),
        (_policy(_statement(effect="Allow")), 'unsupported key "effect"'),
        (_policy(_statement(Sid=3)), "Statement[0].Sid must be a string"),
        (_policy(_statement(Effect=None)), "Statement[0] is missing Effect"),
        (_policy(_statement(Effect="allow")), 'Statement[0].Effect must be "Allow" or "Deny"'),
        (_policy(_statement(Action=None)), "must contain Action or NotAction"),
        (_policy(_statement(NotAction="x:y")), "must not contain both Action and NotAction"),
        (_policy(_statement(Action=[])), "Statement[0].Action must be a string or a non-empty"),
        (_policy(_statement(Action=["a:b", 3])), "Statement[0].Action must be a string"),
        (_policy(_statement(Action={"a": "b"})), "Statement[0].Action must be a string"),
        (_policy(_statement(NotResource="*")), "must not contain both Resource and NotResource"),
        (_policy(_statement(Resource=7)), "Statement[0].Resource must be a string"),
        (_policy(_statement(NotPrincipal="*")), "must not contain both Principal and NotPrincipal"),
        (_policy(_statement(Principal=ACCOUNT_ROOT)), 'Statement[0].Principal must be "*"'),
        (_policy(_statement(Principal={})), 'Statement[0].Principal must be "*"'),
        (_policy(_statement(Principal=["*"])), 'Statement[0].Principal must be "*"'),
        (_policy(_statement(Principal={"User": "bob"})), 'unsupported principal type "User"'),
        (_policy(_statement(Principal={"AWS": []})), "Statement[0].Principal.AWS must be"),
        (_policy(_statement(Principal={"Service": 1})), "Statement[0].Principal.Service must"),
        (
            _policy(_statement(Principal=None, NotPrincipal={"AWS": 1})),
            "Statement[0].NotPrincipal.AWS must",
        ),
        (_policy(_statement(Condition="x")), "Statement[0].Condition must be a JSON object"),
        (_policy(_statement(Condition={"Bool": True})), "Condition.Bool must be a JSON object"),
        (
            _policy(_statement(Condition={"StringEquals": {"k": {"a": 1}}})),
            "Condition.StringEquals.k must be",
        ),
        (
            _policy(_statement(Condition={"StringEquals": {"k": []}})),
            "Condition.StringEquals.k must be",
        ),
        (json.dumps({"Statement": {"Effect": "Deny"}}), "Statement must contain Action"),
        # "You must use the Principal element in resource-based policies"; and a statement
        # needs Resource or NotResource ("IAM JSON policy elements: Resource").
        (_policy(_statement(Principal=None)), "Statement[0]: needs Principal or NotPrincipal"),
        (_policy(_statement(Resource=None)), "Statement[0]: needs Resource or NotResource"),
    ],
)
def test_syntax_errors_are_reported(policy: str, fragment: str) -> None:
    messages = _messages(policy)
    assert any(fragment in m for m in messages), messages


def test_every_problem_is_reported_separately() -> None:
    policy = _policy(_statement(Effect="Maybe", Action=None, Extra=1), Version="1999")
    messages = _messages(policy)
    assert len(messages) == 4, messages


def test_deeply_nested_json_is_a_syntax_error_not_a_crash() -> None:
    messages = _messages("[" * 10000 + "]" * 10000)
    assert messages
    assert any("JSON" in m for m in messages)


def test_policy_of_the_maximum_size_is_checked() -> None:
    policy = _policy(_statement())
    policy = policy + " " * (POLICY_MAX - len(policy))
    assert len(policy) == POLICY_MAX
    assert validate_policy_document(policy) == []
    check_put_policy(policy, block_public_policy=True)


def test_oversized_policy_is_malformed() -> None:
    policy = _policy(_statement())
    policy = policy + " " * (POLICY_MAX + 1 - len(policy))
    with pytest.raises(MalformedPolicyDocumentException, match=str(POLICY_MAX)):
        validate_policy_document(policy)
    with pytest.raises(MalformedPolicyDocumentException, match=str(POLICY_MAX)):
        check_put_policy(policy, block_public_policy=False)


# --- policies: PutResourcePolicy -----------------------------------------------------------


def test_put_accepts_a_valid_policy() -> None:
    check_put_policy(_policy(_statement()), block_public_policy=True)


@pytest.mark.parametrize("policy", ["{", "null", _policy(_statement(Effect="Permit"))])
def test_put_rejects_malformed_policies(policy: str) -> None:
    with pytest.raises(MalformedPolicyDocumentException) as caught:
        check_put_policy(policy, block_public_policy=False)
    assert caught.value.code == "MalformedPolicyDocumentException"


def test_put_malformed_message_lists_the_problems() -> None:
    policy = _policy(_statement(Effect="Permit", Sid=1))
    with pytest.raises(MalformedPolicyDocumentException) as caught:
        check_put_policy(policy, block_public_policy=False)
    assert "Statement[0].Effect" in caught.value.message
    assert "Statement[0].Sid" in caught.value.message


PUBLIC_STATEMENTS = [
    _statement(Principal="*"),
    _statement(Principal={"AWS": "*"}),
    _statement(Principal={"AWS": [ACCOUNT_ROOT, "*"]}),
    _statement(Principal={"AWS": "*"}, Condition={}),
    _statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}),
]


@pytest.mark.parametrize("statement", PUBLIC_STATEMENTS)
def test_block_public_policy_rejects_public_grants(statement: dict[str, Any]) -> None:
    policy = _policy(_statement(), statement)
    with pytest.raises(PublicPolicyException) as caught:
        check_put_policy(policy, block_public_policy=True)
    assert caught.value.code == "PublicPolicyException"
    assert caught.value.message == (
        "You can't block public access to a secret while its resource policy grants public access."
    )


@pytest.mark.parametrize("statement", PUBLIC_STATEMENTS)
def test_public_grants_are_allowed_without_block_public_policy(statement: dict[str, Any]) -> None:
    check_put_policy(_policy(statement), block_public_policy=False)


def test_public_grant_in_a_single_statement_object_is_found() -> None:
    policy = json.dumps({"Statement": _statement(Principal="*")})
    with pytest.raises(PublicPolicyException):
        check_put_policy(policy, block_public_policy=True)


@pytest.mark.parametrize(
    "statement",
    [
        _statement(Principal="*", Effect="Deny"),
        _statement(Principal="*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),
        _statement(Principal={"AWS": ACCOUNT_ROOT}),
        _statement(Principal={"Service": "*"}),
        _statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}, Effect="Deny"),
    ],
)
def test_block_public_policy_accepts_non_public_grants(statement: dict[str, Any]) -> None:
    check_put_policy(_policy(statement), block_public_policy=True)


def test_syntax_errors_win_over_public_access() -> None:
    policy = _policy(_statement(Principal="*", Sid=1))
    with pytest.raises(MalformedPolicyDocumentException):
        check_put_policy(policy, block_public_policy=True)


def test_public_policy_exception_is_a_service_error() -> None:
    assert issubclass(PublicPolicyException, ServiceError)
    assert str(PublicPolicyException("m")) == "PublicPolicyException: m"


# --- policies: the checks are remembered by text ---------------------------------------------


def test_a_bad_policy_is_refused_the_same_way_every_time() -> None:
    policy = _policy(_statement(Effect="Permit", Sid=1))
    first = _messages(policy)
    assert first and _messages(policy) == first
    refusals = []
    for _ in range(2):
        with pytest.raises(MalformedPolicyDocumentException) as caught:
            check_put_policy(policy, block_public_policy=False)
        refusals.append(caught.value.message)
    assert refusals[0] == refusals[1] == "The resource policy has syntax errors: " + " ".join(first)


def test_an_oversized_policy_is_refused_every_time() -> None:
    policy = _policy(_statement(Sid="x" * POLICY_MAX))
    for _ in range(2):
        with pytest.raises(MalformedPolicyDocumentException):
            validate_policy_document(policy)
        with pytest.raises(MalformedPolicyDocumentException):
            check_put_policy(policy, block_public_policy=False)


def test_a_changed_policy_is_checked_again() -> None:
    good = _policy(_statement())
    assert _messages(good) == []
    check_put_policy(good, block_public_policy=True)
    changed = good.replace('"Allow"', '"Permit"')
    assert _messages(changed) == ['Statement[0].Effect must be "Allow" or "Deny".']
    with pytest.raises(MalformedPolicyDocumentException):
        check_put_policy(changed, block_public_policy=True)
    public = good.replace(f'"{ACCOUNT_ROOT}"', '"*"')
    with pytest.raises(PublicPolicyException):
        check_put_policy(public, block_public_policy=True)


def test_a_remembered_public_policy_is_judged_by_each_calls_flag() -> None:
    policy = _policy(_statement(Principal="*"))
    check_put_policy(policy, block_public_policy=False)
    with pytest.raises(PublicPolicyException):
        check_put_policy(policy, block_public_policy=True)
    check_put_policy(policy, block_public_policy=False)


def test_changing_a_returned_validation_error_changes_no_later_answer() -> None:
    policy = _policy(_statement(Effect="Permit"))
    errors = validate_policy_document(policy)
    expected = [dict(error) for error in errors]
    errors[0]["ErrorMessage"] = "changed"
    errors.append({"CheckName": "SYNTAX_CHECK", "ErrorMessage": "added"})
    assert validate_policy_document(policy) == expected


# --- policies: properties ------------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(["*", "Allow", "Deny", "2012-10-17", ACCOUNT_ROOT, "s3:Get*"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    *("Version", "Statement", "Effect", "Principal", "NotPrincipal", "Action"),
                    *("AWS", "NotAction", "Resource", "Condition", "Sid", "Id", "Other"),
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@given(_json_values, st.booleans())
def test_policy_checks_agree_and_never_crash(document: Any, block: bool) -> None:
    policy = json.dumps(document)
    errors = validate_policy_document(policy)
    assert all(e["CheckName"] == "SYNTAX_CHECK" and e["ErrorMessage"] for e in errors)
    try:
        check_put_policy(policy, block_public_policy=block)
    except MalformedPolicyDocumentException:
        assert errors
    except PublicPolicyException:
        assert not errors
        assert block
    else:
        assert not errors
