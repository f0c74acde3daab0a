"""Unit tests of the seams permissions use: the service's tag guard and the request keys.

The guard is what the Resource Groups Tagging API passes to the same tag functions, so
its contract is tested apart from Secrets Manager's operations.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from stubtags.access.rules import RULES, request_tags
from stubtags.service import tags as tag_rules
from stubtags.service.errors import AccessDeniedException, access_denied
from stubtags.service.model import Secret


def _secret(tags: dict[str, str] | None = None) -> Secret:
    return Secret(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-abcdef",
        "s",
        "123456789012",
        "us-east-1",
        1.0,
        0,
        1.0,
        tags=tags,
    )


def test_the_guard_sees_the_tags_after_and_can_refuse_before_anything_is_written() -> None:
    secret = _secret({"team": "blue"})
    seen: list[Mapping[str, str]] = []

    def guard(target: Secret, after: Mapping[str, str]) -> None:
        assert target is secret
        seen.append(dict(after))
        raise AccessDeniedException("no")

    with pytest.raises(AccessDeniedException):
        tag_rules.tag_secret(secret, [("team", "red"), ("x", "1")], 2.0, guard)
    with pytest.raises(AccessDeniedException):
        tag_rules.untag_secret(secret, ["team"], 2.0, guard)
    assert seen == [{"team": "red", "x": "1"}, {}]
    assert secret.tags == {"team": "blue"} and secret.last_changed == 1.0


def test_the_guard_is_asked_last_and_not_for_a_change_of_nothing() -> None:
    secret = _secret({"team": "blue"})

    def guard(target: Secret, after: Mapping[str, str]) -> None:
        raise AssertionError("not asked")

    tag_rules.untag_secret(secret, ["absent"], 2.0, guard)
    tag_rules.tag_secret(secret, [], 2.0, guard)
    with pytest.raises(Exception, match="system tags"):
        tag_rules.tag_secret(secret, [("aws:x", "1")], 2.0, guard)


def test_request_tags_read_both_apis_shapes() -> None:
    assert request_tags({"Tags": [{"Key": "a", "Value": "1"}, {"Key": "b"}]}) == {"a": "1", "b": ""}
    assert request_tags({"Tags": {"a": "1"}}) == {"a": "1"}
    assert request_tags({}) == {}
    keys = RULES["TagResources"].keys({"ResourceARNList": ["x"], "Tags": {"team": "red"}})
    assert keys == {"aws:RequestTag/team": "red", "aws:TagKeys": ["team"]}
    assert RULES["UntagResource"].keys({"TagKeys": ["a"]}) == {"aws:TagKeys": ["a"]}


def test_the_denial_messages() -> None:
    who = "arn:aws:iam::123456789012:user/alice"
    assert access_denied(
        who, "secretsmanager:ListSecrets", None, "no identity-based policy allows", explicit=False
    ).message == (
        f"User: {who} is not authorized to perform: secretsmanager:ListSecrets because no "
        "identity-based policy allows the secretsmanager:ListSecrets action"
    )
    assert access_denied(
        who,
        "secretsmanager:GetSecretValue",
        "arn:x",
        "explicit deny in a resource-based policy",
        explicit=True,
    ).message == (
        f"User: {who} is not authorized to perform: secretsmanager:GetSecretValue on resource: "
        "arn:x with an explicit deny in a resource-based policy"
    )
