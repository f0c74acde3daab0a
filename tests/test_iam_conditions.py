"""The Condition element, one rule of the IAM user guide per test.

Sources: "IAM JSON policy elements: Condition operators", "IAM JSON policy elements:
Condition", "Conditions with multiple context keys or values", "Single-valued vs.
multivalued context keys". Rules marked *inferred* are choices where AWS is silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytest

from stubtags.iam import ContextKeys, ContextValue, Policy, RequestContext, evaluate

USER = "arn:aws:iam::111122223333:user/alice"
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"


def holds(condition: Mapping[str, Any], keys: Mapping[str, ContextValue] | None = None) -> bool:
    """Does a lone Allow statement with this Condition allow a request with these keys?"""
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition}
    policy = Policy.identity({"Version": "2012-10-17", "Statement": statement})
    request = RequestContext(USER, "secretsmanager:TagResource", SECRET, ContextKeys(keys or {}))
    return evaluate(request, [policy]).allowed


def test_string_equals_is_exact_and_case_sensitive() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "blue"}}
    assert holds(condition, {"aws:ResourceTag/team": "blue"})
    assert not holds(condition, {"aws:ResourceTag/team": "Blue"})
    assert not holds(condition, {"aws:ResourceTag/team": "blue2"})


def test_string_equals_treats_wildcard_characters_literally() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "b*"}}
    assert not holds(condition, {"aws:ResourceTag/team": "blue"})
    assert holds(condition, {"aws:ResourceTag/team": "b*"})


def test_string_equals_ignore_case_ignores_case_and_its_negation_too() -> None:
    assert holds(
        {"StringEqualsIgnoreCase": {"aws:ResourceTag/team": "BLUE"}},
        {"aws:ResourceTag/team": "blue"},
    )
    assert not holds(
        {"StringNotEqualsIgnoreCase": {"aws:ResourceTag/team": "BLUE"}},
        {"aws:ResourceTag/team": "Blue"},
    )


def test_string_like_matches_star_and_question_mark_anywhere_case_sensitively() -> None:
    condition = {"StringLike": {"aws:ResourceTag/owner": "team-?/*-admin"}}
    assert holds(condition, {"aws:ResourceTag/owner": "team-a/x/y-admin"})
    assert not holds(condition, {"aws:ResourceTag/owner": "team-ab/x-admin"})
    assert not holds(condition, {"aws:ResourceTag/owner": "Team-a/x-admin"})


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:ResourceTag/team": "blue"}},
        {"StringLike": {"aws:ResourceTag/team": "*"}},
        {"StringEqualsIgnoreCase": {"aws:ResourceTag/team": "blue"}},
        {"ArnLike": {"aws:SourceArn": "arn:*:*:*:*:*"}},
        {"Bool": {"aws:SecureTransport": "false"}},
        {"NumericLessThan": {"s3:max-keys": "10"}},
        {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
        {"BinaryEquals": {"k:blob": "QQ=="}},
    ],
)
def test_a_missing_key_makes_a_positive_operator_false(condition: dict[str, Any]) -> None:
    assert not holds(condition, {})


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:ResourceTag/team": "blue"}},
        {"StringNotEqualsIgnoreCase": {"aws:ResourceTag/team": "blue"}},
        {"StringNotLike": {"aws:ResourceTag/team": "*"}},
        {"ArnNotEquals": {"aws:SourceArn": "arn:aws:sns:*:*:*"}},
        {"ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:*:*"}},
        {"NumericNotEquals": {"s3:max-keys": "10"}},
        {"DateNotEquals": {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}},
        {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    ],
)
def test_a_missing_key_makes_a_negated_operator_true(condition: dict[str, Any]) -> None:
    assert holds(condition, {})


def test_if_exists_is_true_for_a_missing_key_and_checks_a_present_one() -> None:
    condition = {"StringEqualsIfExists": {"aws:ResourceTag/team": "blue"}}
    assert holds(condition, {})
    assert holds(condition, {"aws:ResourceTag/team": "blue"})
    assert not holds(condition, {"aws:ResourceTag/team": "red"})


def test_a_negated_if_exists_operator_still_checks_a_present_key() -> None:
    condition = {"StringNotEqualsIfExists": {"aws:ResourceTag/team": "blue"}}
    assert holds(condition, {})
    assert not holds(condition, {"aws:ResourceTag/team": "blue"})


def test_null_true_means_the_key_is_absent_and_false_that_it_is_present() -> None:
    absent = {"Null": {"aws:ResourceTag/team": "true"}}
    present = {"Null": {"aws:ResourceTag/team": "false"}}
    assert holds(absent, {}) and not holds(present, {})
    assert holds(present, {"aws:ResourceTag/team": ""})
    assert not holds(absent, {"aws:ResourceTag/team": "blue"})


def test_an_empty_list_counts_as_a_missing_key() -> None:
    assert holds({"Null": {"aws:TagKeys": "true"}}, {"aws:TagKeys": []})
    assert holds({"StringNotEquals": {"aws:TagKeys": "a"}}, {"aws:TagKeys": []})


def test_several_values_of_one_key_are_ored() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": ["blue", "red"]}}
    assert holds(condition, {"aws:ResourceTag/team": "red"})
    assert not holds(condition, {"aws:ResourceTag/team": "green"})


def test_several_values_of_a_negated_operator_must_all_differ() -> None:
    condition = {"StringNotEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}
    assert holds(condition, {"aws:PrincipalAccount": "777788889999"})
    assert not holds(condition, {"aws:PrincipalAccount": "444455556666"})


def test_several_keys_under_one_operator_are_anded() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "blue", "aws:ResourceTag/env": "dev"}}
    assert holds(condition, {"aws:ResourceTag/team": "blue", "aws:ResourceTag/env": "dev"})
    assert not holds(condition, {"aws:ResourceTag/team": "blue", "aws:ResourceTag/env": "prod"})


def test_several_operators_are_anded() -> None:
    condition = {
        "StringEquals": {"aws:ResourceTag/team": "blue"},
        "Bool": {"aws:SecureTransport": "true"},
    }
    assert holds(condition, {"aws:ResourceTag/team": "blue", "aws:SecureTransport": True})
    assert not holds(condition, {"aws:ResourceTag/team": "blue", "aws:SecureTransport": False})


def test_for_all_values_needs_every_request_value_to_match_some_policy_value() -> None:
    condition = {"ForAllValues:StringLike": {"aws:TagKeys": ["acme_*", "team"]}}
    assert holds(condition, {"aws:TagKeys": ["acme_a", "team"]})
    assert not holds(condition, {"aws:TagKeys": ["acme_a", "owner"]})


def test_for_all_values_is_true_for_a_missing_key_or_an_empty_set() -> None:
    condition = {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}
    assert holds(condition, {})
    assert holds(condition, {"aws:TagKeys": []})


def test_for_any_value_needs_one_request_value_to_match_a_policy_value() -> None:
    condition = {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team", "env"]}}
    assert holds(condition, {"aws:TagKeys": ["owner", "env"]})
    assert not holds(condition, {"aws:TagKeys": ["owner", "cost"]})


def test_for_any_value_is_false_for_a_missing_key_or_an_empty_set() -> None:
    condition = {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}
    assert not holds(condition, {})
    assert not holds(condition, {"aws:TagKeys": []})


def test_for_all_values_with_a_negated_operator_needs_every_value_to_match_none() -> None:
    condition = {"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret", "owner"]}}
    assert holds(condition, {"aws:TagKeys": ["team", "env"]})
    assert not holds(condition, {"aws:TagKeys": ["team", "owner"]})
    assert holds(condition, {})


def test_for_any_value_with_a_negated_operator_needs_one_value_to_match_none() -> None:
    condition = {"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["team"]}}
    assert holds(condition, {"aws:TagKeys": ["team", "env"]})
    assert not holds(condition, {"aws:TagKeys": ["team"]})
    assert not holds(condition, {})


def test_for_any_value_if_exists_is_true_for_a_missing_key() -> None:
    # The IfExists rule covers every operator but Null; the combination with a set
    # operator is not documented (inferred).
    condition = {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["team"]}}
    assert holds(condition, {})
    assert not holds(condition, {"aws:TagKeys": ["env"]})


def test_a_plain_operator_on_a_multivalued_key_matches_if_any_value_does() -> None:
    # AWS says to use a set operator with multivalued keys; without one (inferred):
    assert holds({"StringEquals": {"aws:TagKeys": "team"}}, {"aws:TagKeys": ["env", "team"]})
    assert not holds({"StringNotEquals": {"aws:TagKeys": "team"}}, {"aws:TagKeys": ["env", "team"]})


def test_condition_key_names_are_case_insensitive_including_the_tag_key() -> None:
    condition = {"StringEquals": {"AWS:resourcetag/TEAM": "blue"}}
    assert holds(condition, {"aws:ResourceTag/team": "blue"})
    assert holds(
        {"StringEquals": {"aws:ResourceTag/team": "blue"}}, {"AWS:RESOURCETAG/Team": "blue"}
    )


def test_condition_values_keep_their_case() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "Blue"}}
    assert not holds(condition, {"aws:ResourceTag/team": "blue"})


def test_the_policys_spelling_wins_when_two_tag_keys_differ_only_in_case() -> None:
    keys = {"aws:ResourceTag/Env": "prod", "aws:ResourceTag/env": "dev"}
    assert holds({"StringEquals": {"aws:ResourceTag/env": "dev"}}, keys)
    assert holds({"StringEquals": {"aws:ResourceTag/Env": "prod"}}, keys)
    assert holds({"StringEquals": {"aws:ResourceTag/ENV": "prod"}}, keys)  # then the first


def test_arn_like_matches_each_of_the_six_components_separately() -> None:
    # The example of "Condition operators": StringLike matches, ArnLike does not.
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert holds({"StringLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})
    assert not holds({"ArnLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})


def test_arn_equals_and_arn_like_behave_identically() -> None:
    keys = {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic-a"}
    for operator in ("ArnEquals", "ArnLike"):
        assert holds({operator: {"aws:SourceArn": "arn:aws:sns:*:111122223333:topic-?"}}, keys)
        assert not holds({operator: {"aws:SourceArn": "arn:aws:sns:*:111122223333:Topic-?"}}, keys)


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("NumericEquals", 10, True),
        ("NumericEquals", "10.0", True),
        ("NumericNotEquals", 10, False),
        ("NumericLessThan", 9.5, True),
        ("NumericLessThan", 10, False),
        ("NumericLessThanEquals", 10, True),
        ("NumericGreaterThan", "11", True),
        ("NumericGreaterThanEquals", 9, False),
        ("NumericEquals", "ten", False),
    ],
)
def test_numeric_operators_compare_numbers(
    operator: str, value: ContextValue, expected: bool
) -> None:
    assert holds({operator: {"s3:max-keys": "10"}}, {"s3:max-keys": value}) is expected


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("DateEquals", False),
        ("DateNotEquals", True),
        ("DateLessThan", True),
        ("DateLessThanEquals", True),
        ("DateGreaterThan", False),
        ("DateGreaterThanEquals", False),
    ],
)
def test_date_operators_compare_moments(operator: str, expected: bool) -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
    for limit in ("2027-01-01T00:00:00Z", "2027-01-01", "1798761600", "2027-01-01T01:00:00+01:00"):
        assert holds({operator: {"aws:CurrentTime": limit}}, {"aws:CurrentTime": now}) is expected
    assert (
        holds(
            {operator: {"aws:EpochTime": "2027-01-01T00:00:00Z"}},
            {"aws:EpochTime": int(now.timestamp())},
        )
        is expected
    )


def test_bool_compares_true_and_false_case_insensitively() -> None:
    assert holds({"Bool": {"aws:SecureTransport": "True"}}, {"aws:SecureTransport": True})
    assert holds({"Bool": {"aws:SecureTransport": False}}, {"aws:SecureTransport": "false"})
    assert not holds({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": False})


def test_ip_address_operators_match_cidr_ranges() -> None:
    condition = {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}
    assert holds(condition, {"aws:SourceIp": "203.0.113.9"})
    assert holds(condition, {"aws:SourceIp": "2001:db8:1234:5678::1"})
    assert not holds(condition, {"aws:SourceIp": "198.51.100.1"})
    assert not holds(condition, {"aws:SourceIp": "not-an-address"})
    assert holds({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "10.0.0.1"})


def test_binary_equals_compares_bytes_with_the_base64_policy_value() -> None:
    assert holds({"BinaryEquals": {"k:blob": "QmluYXJ5"}}, {"k:blob": b"Binary"})
    assert holds({"BinaryEquals": {"k:blob": "QmluYXJ5"}}, {"k:blob": "QmluYXJ5"})
    assert not holds({"BinaryEquals": {"k:blob": "QmluYXJ5"}}, {"k:blob": b"binary"})


def test_a_condition_explains_itself() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}},
    }
    condition = Policy.identity({"Statement": statement}).statements[0].conditions[0]
    keys = ContextKeys({"aws:ResourceTag/team": "red"})
    assert condition.explain(keys) == (
        '"StringEquals": {"aws:ResourceTag/team": "blue"} is false: the request has ["red"] '
        "for aws:ResourceTag/team"
    )
    assert "is false: the request has no value for" in condition.explain(ContextKeys())


def test_an_explanation_shows_what_each_policy_variable_resolved_to() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "*",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
    }
    policy = Policy.identity({"Version": "2012-10-17", "Statement": statement})
    condition = policy.statements[0].conditions[0]
    keys = ContextKeys({"aws:ResourceTag/team": "blue", "aws:PrincipalTag/team": "red"})
    assert condition.explain(keys).endswith('(${aws:PrincipalTag/team} is "red")')
    assert condition.explain(ContextKeys()).endswith("(${aws:PrincipalTag/team} is without value)")
