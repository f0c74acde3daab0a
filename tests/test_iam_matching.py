"""Action, Resource and policy-variable matching.

Sources: "IAM JSON policy elements: Action", "…: NotAction", "…: Resource",
"…: NotResource", "IAM policy elements: Variables and tags", and the Secrets Manager
guide's advice to cover an ARN's random suffix with `-??????`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from stubtags.iam import ContextKeys, ContextValue, Policy, PolicyError, RequestContext, evaluate

ACCOUNT = "111122223333"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf"


def allows(
    statement: Mapping[str, Any],
    action: str = "secretsmanager:GetSecretValue",
    resource: str = SECRET,
    keys: Mapping[str, ContextValue] | None = None,
    version: str | None = "2012-10-17",
) -> bool:
    doc: dict[str, Any] = {"Statement": {"Effect": "Allow", **statement}}
    if version:
        doc["Version"] = version
    request = RequestContext(USER, action, resource, ContextKeys(keys or {}))
    return evaluate(request, [Policy.identity(doc)]).allowed


def on(resource: str | list[str]) -> dict[str, Any]:
    return {"Action": "*", "Resource": resource}


def test_action_names_are_case_insensitive() -> None:
    statement = {"Action": "SecretsManager:getsecretVALUE", "Resource": "*"}
    assert allows(statement, action="secretsmanager:GetSecretValue")
    assert allows(
        {"Action": "secretsmanager:GetSecretValue", "Resource": "*"},
        "SECRETSMANAGER:getsecretvalue",
    )


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("secretsmanager:*", "secretsmanager:TagResource", True),
        ("secretsmanager:*", "kms:Decrypt", False),
        ("secretsmanager:*Resource", "secretsmanager:UntagResource", True),
        ("secretsmanager:*Resource", "secretsmanager:GetSecretValue", False),
        ("secretsmanager:Get?ecretValue", "secretsmanager:GetSecretValue", True),
        ("secretsmanager:Get?ecretValue", "secretsmanager:GetSSecretValue", False),
        ("*", "anything:AtAll", True),
        ("secretsmanager:Tag*", "secretsmanager:TagResource", True),
    ],
)
def test_action_wildcards_star_and_question_mark(pattern: str, action: str, expected: bool) -> None:
    assert allows({"Action": pattern, "Resource": "*"}, action) is expected


def test_several_actions_in_a_list_are_alternatives() -> None:
    statement = {"Action": ["kms:Decrypt", "secretsmanager:Get*"], "Resource": "*"}
    assert allows(statement, "kms:decrypt") and allows(statement, "secretsmanager:GetSecretValue")
    assert not allows(statement, "secretsmanager:TagResource")


def test_not_action_covers_every_other_action() -> None:
    statement = {"NotAction": "secretsmanager:Delete*", "Resource": "*"}
    assert allows(statement, "secretsmanager:TagResource")
    assert allows(statement, "kms:Decrypt")
    assert not allows(statement, "secretsmanager:DeleteSecret")


def test_six_question_marks_cover_the_random_suffix_of_a_secret_arn() -> None:
    pattern = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-??????"
    assert allows(on(pattern))
    assert not allows(on(pattern), resource=SECRET[:-1])
    assert not allows(on(pattern), resource=SECRET + "G")
    assert not allows(on(pattern), resource=SECRET.replace("db-", "dbx-"))


def test_star_spans_slashes_and_dashes_in_the_resource_part() -> None:
    # The S3 example of "IAM JSON policy elements: Resource".
    pattern = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*"
    matching = [
        "DOC-EXAMPLE-BUCKET/1/test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/test/3/object.jpg",
        "DOC-EXAMPLE-BUCKET/1///test///object.jpg",
        "DOC-EXAMPLE-BUCKET/1/test/.jpg",
        "DOC-EXAMPLE-BUCKET//test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/test/",
    ]
    for key in matching:
        assert allows(on(pattern), resource=f"arn:aws:s3:::{key}"), key
    for key in (
        "DOC-EXAMPLE-BUCKET/1-test/object.jpg",
        "DOC-EXAMPLE-BUCKET/test/object.jpg",
        "DOC-EXAMPLE-BUCKET/1/2/test.jpg",
    ):
        assert not allows(on(pattern), resource=f"arn:aws:s3:::{key}"), key
    assert allows(on(f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:*"), resource=SECRET)
    assert allows(on(f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:d*-*"))


def test_star_in_the_resource_part_also_spans_colons() -> None:
    assert allows(on(f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:*"))
    assert allows(
        on("arn:aws:logs:*:*:*"), resource=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g:*"
    )


def test_wildcards_do_not_cross_colons_before_the_resource_part() -> None:
    assert allows(on(f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:db-*"))
    assert not allows(on("arn:aws:secretsmanager:*:secret:db-*"))
    assert not allows(on("arn:aws:secretsmanager:us-*:secret:db-AbCdEf"))
    assert allows(on("arn:aws:secretsmanager:us-east-?:1111222233??:secret:db-*"))


def test_resource_matching_is_case_sensitive() -> None:
    assert not allows(on(SECRET.replace("db-", "DB-")))
    assert not allows(on(SECRET.replace("secretsmanager", "SecretsManager")))


def test_a_lone_star_matches_every_resource_and_a_request_on_no_resource() -> None:
    assert allows(on("*"))
    assert allows(on("*"), action="secretsmanager:ListSecrets", resource="*")


def test_an_arn_pattern_does_not_cover_a_request_on_no_resource() -> None:
    pattern = f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:*"
    assert not allows(on(pattern), action="secretsmanager:ListSecrets", resource="*")


def test_not_resource_covers_every_other_resource() -> None:
    statement = {"Action": "*", "NotResource": "arn:aws:secretsmanager:*:*:secret:prod-*"}
    assert allows(statement)
    assert not allows(statement, resource=SECRET.replace("db-", "prod-"))
    assert allows(statement, resource="*")


def test_a_variable_in_resource_is_replaced_by_the_context_value() -> None:
    pattern = f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:${{aws:PrincipalTag/team}}-*"
    assert allows(on(pattern), keys={"aws:PrincipalTag/team": "db"})
    assert not allows(on(pattern), keys={"aws:PrincipalTag/team": "web"})


def test_variables_are_literal_text_without_version_2012_10_17() -> None:
    pattern = f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:${{aws:username}}-*"
    keys = {"aws:username": "db"}
    assert allows(on(pattern), keys=keys)
    assert not allows(on(pattern), keys=keys, version="2008-10-17")
    assert not allows(on(pattern), keys=keys, version=None)
    literal = SECRET.replace("db-", "${aws:username}-")
    assert allows(on(pattern), resource=literal, keys=keys, version=None)


def test_a_resource_variable_without_value_matches_no_resource() -> None:
    assert not allows(on(f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:${{aws:username}}*"))
    statement = {"Action": "*", "NotResource": "arn:aws:secretsmanager:*:*:${aws:username}"}
    assert allows(statement)


def test_a_condition_variable_without_value_fails_a_positive_and_passes_a_negated_operator() -> (
    None
):
    positive = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    negated = {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    keys = {"aws:ResourceTag/team": "blue"}
    assert not allows({"Action": "*", "Resource": "*", "Condition": positive}, keys=keys)
    assert allows({"Action": "*", "Resource": "*", "Condition": negated}, keys=keys)


def test_a_default_value_is_used_when_the_key_has_no_value() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'shared'}"}}
    statement = {"Action": "*", "Resource": "*", "Condition": condition}
    assert allows(statement, keys={"aws:ResourceTag/team": "shared"})
    assert allows(statement, keys={"aws:ResourceTag/team": "blue", "aws:PrincipalTag/team": "blue"})
    assert not allows(statement, keys={"aws:ResourceTag/team": "blue"})
    pattern = f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:${{aws:username, 'db'}}-*"
    assert allows(on(pattern))


def test_special_variables_stand_for_literal_characters() -> None:
    condition = {"StringLike": {"aws:ResourceTag/note": "a${*}b${?}c${$}*"}}
    statement = {"Action": "*", "Resource": "*", "Condition": condition}
    assert allows(statement, keys={"aws:ResourceTag/note": "a*b?c$ whatever"})
    assert not allows(statement, keys={"aws:ResourceTag/note": "axxbyc$"})


def test_a_variable_value_is_matched_literally_not_as_a_wildcard() -> None:
    condition = {"StringLike": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    statement = {"Action": "*", "Resource": "*", "Condition": condition}
    keys = {"aws:PrincipalTag/team": "b*", "aws:ResourceTag/team": "blue"}
    assert not allows(statement, keys=keys)
    assert allows(statement, keys={**keys, "aws:ResourceTag/team": "b*"})


def test_a_multivalued_key_is_not_a_policy_variable() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "${aws:TagKeys}"}}
    statement = {"Action": "*", "Resource": "*", "Condition": condition}
    assert not allows(statement, keys={"aws:TagKeys": ["blue"], "aws:ResourceTag/team": "blue"})


def test_variable_names_are_case_insensitive() -> None:
    condition = {"StringEquals": {"aws:ResourceTag/team": "${AWS:principaltag/TEAM}"}}
    statement = {"Action": "*", "Resource": "*", "Condition": condition}
    assert allows(statement, keys={"aws:PrincipalTag/team": "blue", "aws:ResourceTag/team": "blue"})


def test_variables_work_in_arn_and_ignore_case_operators() -> None:
    arn = {"ArnLike": {"aws:SourceArn": "arn:aws:iam::${aws:PrincipalAccount}:role/*"}}
    keys = {"aws:PrincipalAccount": ACCOUNT, "aws:SourceArn": f"arn:aws:iam::{ACCOUNT}:role/x"}
    assert allows({"Action": "*", "Resource": "*", "Condition": arn}, keys=keys)
    fold = {"StringEqualsIgnoreCase": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    keys = {"aws:PrincipalTag/team": "BLUE", "aws:ResourceTag/team": "blue"}
    assert allows({"Action": "*", "Resource": "*", "Condition": fold}, keys=keys)


def test_a_variable_before_the_fifth_colon_of_a_resource_is_rejected() -> None:
    with pytest.raises(PolicyError, match="only appear after the fifth colon"):
        Policy.identity(
            {
                "Version": "2012-10-17",
                "Statement": {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "arn:aws:secretsmanager:*:${aws:PrincipalAccount}:secret:*",
                },
            }
        )
