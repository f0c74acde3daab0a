"""Hypothesis strategies for the IAM evaluator's property tests: small vocabularies of
actions, ARNs, tags and condition operators, so that generated statements often apply
to generated requests (random text almost never would)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from stubtags.iam import Policy, RequestContext, tag_keys

ACCOUNT, OTHER = "111122223333", "444455556666"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/run-1"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"
CAROL = f"arn:aws:iam::{OTHER}:user/carol"
PRINCIPALS = (ALICE, SESSION, ROOT, CAROL)

SECRETS = (
    f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf",
    f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:blue-web-123456",
    f"arn:aws:secretsmanager:us-east-1:{OTHER}:secret:db-XyZ123",
    "*",
)
ACTIONS = (
    "secretsmanager:TagResource",
    "secretsmanager:UntagResource",
    "secretsmanager:GetSecretValue",
    "secretsmanager:ListSecrets",
    "kms:Decrypt",
)
ACTION_PATTERNS = (
    *ACTIONS,
    "*",
    "secretsmanager:*",
    "secretsmanager:*Resource",
    "secretsmanager:Get?ecretValue",
    "SECRETSMANAGER:tagresource",
    "kms:*",
)
RESOURCE_PATTERNS = (
    *SECRETS,
    f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:db-??????",
    "arn:aws:secretsmanager:us-east-1:*:secret:*",
    f"arn:aws:secretsmanager:*:{ACCOUNT}:secret:${{aws:PrincipalTag/team}}-*",
)
PRINCIPAL_ELEMENTS: tuple[Any, ...] = (
    "*",
    {"AWS": ACCOUNT},
    {"AWS": OTHER},
    {"AWS": ALICE},
    {"AWS": CAROL},
    {"AWS": f"arn:aws:iam::{ACCOUNT}:role/deployer"},
    {"AWS": [ALICE, ROOT]},
)
CONDITION_KEYS = (
    "aws:ResourceTag/team",
    "aws:resourcetag/ENV",
    "aws:PrincipalTag/team",
    "aws:RequestTag/env",
    "aws:TagKeys",
)
STRING_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringEqualsIfExists",
    "ForAllValues:StringLike",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringNotEquals",
)
VALUES = ("blue", "red", "dev", "Blue", "b*", "${aws:PrincipalTag/team}", "${aws:username, 'x'}")
TAG_NAMES = ("team", "env", "owner")
TAG_VALUES = ("blue", "red", "dev", "prod")


def _condition(operator: str, key: str, values: tuple[str, ...]) -> dict[str, Any]:
    if operator == "Null":
        return {"Null": {key: values[0] == "blue"}}
    return {operator: {key: list(values)}}


def _pairs(items: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [(a,) for a in items] + [(a, b) for a in items for b in items if a < b]


# Each element is one draw from a prebuilt list (lists of lists cost hypothesis far more
# draws); one operator, one key and one or two values per condition cover every rule.
ACTION_LISTS = _pairs(ACTION_PATTERNS)
CONDITIONS = st.builds(
    _condition,
    st.sampled_from((*STRING_OPERATORS, "Null")),
    st.sampled_from(CONDITION_KEYS),
    st.sampled_from(_pairs(VALUES)),
)


@st.composite
def statements(
    draw: st.DrawFn, effect: str | None = None, resource_policy: bool = False
) -> dict[str, Any]:
    """One statement as a document fragment (`effect` None: either)."""
    chosen = effect or draw(st.sampled_from(["Allow", "Deny"]))
    shape = draw(st.integers(0, 15))  # 1: NotAction, 2: NotResource; < 8: a Condition
    statement: dict[str, Any] = {
        "Effect": chosen,
        "NotAction" if shape == 1 else "Action": list(draw(st.sampled_from(ACTION_LISTS))),
        "NotResource" if shape == 2 else "Resource": draw(st.sampled_from(RESOURCE_PATTERNS)),
    }
    if shape < 8:
        statement["Condition"] = draw(CONDITIONS)
    if resource_policy:
        element = "NotPrincipal" if chosen == "Deny" and shape > 12 else "Principal"
        statement[element] = draw(st.sampled_from(PRINCIPAL_ELEMENTS))
    return statement


@dataclass
class Scenario:
    """Policies as documents (so a test can add a statement and parse again) + a request."""

    identity_docs: list[list[dict[str, Any]]]
    resource_doc: list[dict[str, Any]] | None
    request: RequestContext
    version: str = "2012-10-17"

    def identities(self) -> list[Policy]:
        return [
            Policy.identity({"Version": self.version, "Statement": doc}, name=f"p{i}")
            for i, doc in enumerate(self.identity_docs)
        ]

    def resource(self) -> Policy | None:
        if self.resource_doc is None:
            return None
        return Policy.resource({"Version": self.version, "Statement": self.resource_doc})


def _tags(values: tuple[str | None, ...]) -> dict[str, str]:
    return {name: value for name, value in zip(TAG_NAMES, values, strict=True) if value}


TAGS = st.tuples(*(st.sampled_from((None, *TAG_VALUES)) for _ in TAG_NAMES)).map(_tags)


@st.composite
def requests(draw: st.DrawFn, principal: str | None = None) -> RequestContext:
    resource_tags, request_tags, principal_tags = draw(TAGS), draw(TAGS), draw(TAGS)
    keys: dict[str, Any] = {
        **tag_keys("aws:ResourceTag", resource_tags),
        **tag_keys("aws:RequestTag", request_tags),
        "aws:TagKeys": sorted(request_tags),
    }
    return RequestContext.create(
        principal or draw(st.sampled_from(PRINCIPALS)),
        draw(st.sampled_from(ACTIONS)),
        draw(st.sampled_from(SECRETS)),
        principal_tags=principal_tags,
        region="us-east-1",
        keys=keys,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    identity_docs = draw(st.lists(st.lists(statements(), min_size=1, max_size=3), max_size=2))
    resource_doc = draw(
        st.none() | st.lists(statements(resource_policy=True), min_size=1, max_size=2)
    )
    version = draw(st.sampled_from(["2012-10-17", "2008-10-17"]))
    return Scenario(identity_docs, resource_doc, draw(requests()), version)
