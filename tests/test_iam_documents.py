"""Parsing policy documents: what is accepted, and that every rejection says what and where.

Rules from the "IAM JSON policy elements" pages (Version, Statement, Sid, Effect,
Principal, Action, Resource, Condition, Condition operators, Variables and tags).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from stubtags.iam import Policy, PolicyError, PolicyKind, parse_policy

ALLOW_ALL: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def document(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    body: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        body["Version"] = version
    return body


def rejected(doc: object, kind: PolicyKind = PolicyKind.IDENTITY, name: str | None = None) -> str:
    with pytest.raises(PolicyError) as caught:
        parse_policy(doc, kind, name=name)  # type: ignore[arg-type]
    return str(caught.value)


def test_a_document_may_be_a_dict_a_json_string_or_bytes() -> None:
    as_dict = document(ALLOW_ALL)
    for given in (as_dict, json.dumps(as_dict), json.dumps(as_dict).encode()):
        assert len(Policy.identity(given).statements) == 1


def test_statement_may_be_a_single_object_or_a_list() -> None:
    single = Policy.identity({"Version": "2012-10-17", "Statement": ALLOW_ALL})
    listed = Policy.identity(document(ALLOW_ALL, {**ALLOW_ALL, "Effect": "Deny"}))
    assert [s.effect for s in single.statements] == ["Allow"]
    assert [s.effect for s in listed.statements] == ["Allow", "Deny"]


def test_both_policy_language_versions_are_accepted_and_version_may_be_omitted() -> None:
    for version in ("2012-10-17", "2008-10-17", None):
        assert Policy.identity(document(ALLOW_ALL, version=version)).version == version


def test_a_parsed_policy_is_immutable() -> None:
    policy = Policy.identity(document(ALLOW_ALL), name="p")
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.name = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.statements[0].allow = False  # type: ignore[misc]
    assert isinstance(policy.statements, tuple)


def test_a_policy_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        Policy.identity("{")


def test_invalid_json_is_reported_as_such() -> None:
    assert "not valid JSON" in rejected("{")
    assert "not valid JSON" in rejected('{"Statement": NaN}')


def test_a_document_must_be_an_object() -> None:
    assert "a policy document is a JSON object, got list" in rejected("[]")


def test_an_unknown_top_level_element_is_named() -> None:
    message = rejected({"Version": "2012-10-17", "Statements": [ALLOW_ALL]})
    assert "unknown element 'Statements'" in message


def test_an_unknown_version_is_rejected() -> None:
    assert "Version must be one of" in rejected(document(ALLOW_ALL, version="2012-10-18"))


def test_a_policy_needs_a_non_empty_statement() -> None:
    assert "has no Statement" in rejected({"Version": "2012-10-17"})
    assert "Statement must not be an empty list" in rejected(document())


def test_the_message_names_the_policy_the_statement_index_and_sid() -> None:
    message = rejected(
        document(ALLOW_ALL, {**ALLOW_ALL, "Sid": "Tagging", "Effect": "allow"}), name="tagger"
    )
    assert message.startswith("identity-based policy 'tagger': Statement[1] (Sid 'Tagging')")
    assert 'Effect must be "Allow" or "Deny", got \'allow\'' in message


def test_element_names_are_case_sensitive() -> None:
    assert "unknown element 'effect'" in rejected(document({**ALLOW_ALL, "effect": "Allow"}))


def test_a_statement_needs_exactly_one_of_action_and_not_action() -> None:
    assert "has both Action and NotAction" in rejected(document({**ALLOW_ALL, "NotAction": "x:y"}))
    no_action = {"Effect": "Allow", "Resource": "*"}
    assert "needs Action or NotAction" in rejected(document(no_action))


def test_a_statement_needs_exactly_one_of_resource_and_not_resource() -> None:
    both = {**ALLOW_ALL, "NotResource": "*"}
    assert "has both Resource and NotResource" in rejected(document(both))
    assert "needs Resource or NotResource" in rejected(document({"Effect": "Allow", "Action": "*"}))


@pytest.mark.parametrize("action", ["TagResource", "secretsmanager:", "secrets*:Tag", 7, ""])
def test_an_action_must_be_star_or_service_colon_action(action: object) -> None:
    message = rejected(document({**ALLOW_ALL, "Action": action}))
    assert "Action" in message


def test_empty_lists_are_rejected() -> None:
    assert "Action must not be an empty list" in rejected(document({**ALLOW_ALL, "Action": []}))
    assert "Resource must not be an empty list" in rejected(document({**ALLOW_ALL, "Resource": []}))


def test_a_resource_must_be_star_or_a_six_part_arn() -> None:
    message = rejected(document({**ALLOW_ALL, "Resource": "secret:db"}))
    assert 'must be "*" or an ARN' in message
    assert 'must be "*" or an ARN' in rejected(
        document({**ALLOW_ALL, "Resource": "arn:aws:secretsmanager:*"})
    )


def test_a_wildcard_cannot_stand_in_the_service_part_of_a_resource_arn() -> None:
    message = rejected(document({**ALLOW_ALL, "Resource": "arn:aws:secrets*:*:*:secret:*"}))
    assert "service part" in message


def test_an_identity_based_policy_cannot_name_a_principal() -> None:
    message = rejected(document({**ALLOW_ALL, "Principal": "*"}))
    assert "can't name a principal (Principal)" in message


def test_each_statement_of_a_resource_based_policy_names_a_principal() -> None:
    message = rejected(document(ALLOW_ALL), PolicyKind.RESOURCE)
    assert message.startswith("resource-based policy: Statement[0]")
    assert "needs Principal or NotPrincipal" in message


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("123456789012", 'must be "*" or an object'),
        ({"AWS": "arn:aws:iam::123456789012:user/*"}, "a wildcard can't stand for part"),
        ({"AWS": "alice"}, 'is not "*", an account ID'),
        ({"IAM": "123456789012"}, "unknown principal type 'IAM'"),
        ({"AWS": []}, "takes a string or a list of strings"),
    ],
)
def test_a_malformed_principal_is_rejected(principal: object, expected: str) -> None:
    message = rejected(document({**ALLOW_ALL, "Principal": principal}), PolicyKind.RESOURCE)
    assert expected in message


def test_principal_forms_of_the_principal_page_are_accepted() -> None:
    principals: list[object] = [
        "*",
        {"AWS": "*"},
        {"AWS": "123456789012"},
        {"AWS": ["arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/a/b"]},
        {"AWS": "arn:aws:iam::123456789012:role/path/app"},
        {"AWS": "arn:aws:sts::123456789012:assumed-role/app/session-1"},
        {"Service": "secretsmanager.amazonaws.com"},
        {"Federated": "cognito-identity.amazonaws.com"},
    ]
    for principal in principals:
        statement = {**ALLOW_ALL, "Principal": principal}
        assert Policy.resource(document(statement)).statements[0].principals is not None


def test_an_unknown_condition_operator_is_named_with_a_suggestion() -> None:
    condition = {"StringEqual": {"aws:ResourceTag/team": "blue"}}
    message = rejected(document({**ALLOW_ALL, "Condition": condition}))
    assert "unknown condition operator 'StringEqual'; did you mean 'StringEquals'?" in message
    assert "Statement[0].Condition.StringEqual" in message


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"NullIfExists": {"aws:TagKeys": "true"}}, "Null takes neither IfExists"),
        ({"ForAllValues:Null": {"aws:TagKeys": "true"}}, "Null takes neither IfExists"),
        ({"Null": {"aws:TagKeys": "yes"}}, 'Null takes "true" or "false"'),
        ({"NumericLessThan": {"s3:max-keys": "ten"}}, "'ten' is not a number"),
        ({"NumericLessThan": {"s3:max-keys": True}}, "is not a number"),
        ({"DateLessThan": {"aws:CurrentTime": "tomorrow"}}, "'tomorrow' is not a date"),
        ({"Bool": {"aws:SecureTransport": "yes"}}, 'Bool takes "true" or "false"'),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.300/8"}}, "not an IP address"),
        ({"BinaryEquals": {"k:b": "%%%"}}, "base64"),
        ({"StringEquals": {"team": "blue"}}, "has no service prefix"),
        ({"StringEquals": {"aws:ResourceTag/team": []}}, "at least one value"),
        ({"StringEquals": {"aws:ResourceTag/team": {"a": 1}}}, "strings, numbers or booleans"),
        ({"StringEquals": {}}, "at least one condition key"),
        ({"StringEquals": "blue"}, "at least one condition key"),
        ({"StringEquals": {"aws:ResourceTag/team": "${}"}}, "malformed policy variable"),
        ("blue", "Condition must be an object"),
    ],
)
def test_a_malformed_condition_is_rejected(condition: object, expected: str) -> None:
    assert expected in rejected(document({**ALLOW_ALL, "Condition": condition}))


def test_sids_must_be_unique_in_an_identity_based_policy() -> None:
    first, second = {**ALLOW_ALL, "Sid": "A"}, {**ALLOW_ALL, "Sid": "A"}
    assert "Sid 'A' is used twice" in rejected(document(first, second))


def test_a_sid_must_be_a_string() -> None:
    assert "Sid must be a string" in rejected(document({**ALLOW_ALL, "Sid": 1}))


def test_condition_values_may_be_json_numbers_and_booleans() -> None:
    condition = {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": True}}
    statement = Policy.identity(document({**ALLOW_ALL, "Condition": condition})).statements[0]
    assert [c.values for c in statement.conditions] == [("10",), ("true",)]


def test_a_statement_keeps_its_text_for_reports() -> None:
    statement = Policy.identity(document({**ALLOW_ALL, "Sid": "All"})).statements[0]
    assert json.loads(statement.text) == {**ALLOW_ALL, "Sid": "All"}
    assert str(statement) == "statement 'All' (#0)"
