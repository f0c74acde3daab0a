"""Property tests: tagging a secret through the Resource Groups Tagging API keeps exactly
the invariants Secrets Manager's TagResource / UntagResource keep.

Each example runs one random sequence of tag and untag requests on twin secrets (the
same starting tags, a system tag among them): one twin gets every request through
Secrets Manager, the other through TagResources / UntagResources, and a third gets each
request through an API drawn at random. A reference model written here from the
Secrets Manager rules (sizes, then the `aws:` prefix, then the 50-tag limit; a secret
scheduled for deletion refuses everything) says what each request must do. After
every request, for every secret: the outcome is the reference's (an error code becomes
a FailedResourcesMap entry of the tagging API, or, when the request breaks that API's
own limits, an InvalidParameterException for the whole call); the tags equal the
reference's; at most 50 user tags; no `aws:` key but the system tag.

Each example runs in its own `with mock_tags()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
from botocore.exceptions import ClientError
from hypothesis import event, given
from hypothesis import strategies as st

from stubtags import Backend, mock_tags

REGION = "us-east-1"
SYSTEM_KEY = "aws:cloudformation:stack-name"
MAX_USER_TAGS = 50
SM_KEY_MAX, SM_VALUE_MAX = 127, 255  # Secrets Manager's limits
API_KEY_MAX, API_VALUE_MAX, API_MAX_ITEMS = 128, 256, 50  # the tagging API model's
START = {"team": "core", "env": "prod", **{f"n{i}": "x" for i in range(45)}}


@cache
def clients() -> tuple[Any, Any]:
    """One client of each API for the module: made before, and outliving, every mock."""
    session = boto3.session.Session()
    return (
        session.client("secretsmanager", region_name=REGION),
        session.client("resourcegroupstaggingapi", region_name=REGION),
    )


def is_aws(text: str) -> bool:
    return text[:4].lower() == "aws:"


# --- the reference: Secrets Manager's rules for one secret ----------------------------------


@dataclass(frozen=True)
class Request:
    kind: str  # "tag" or "untag"
    tags: dict[str, str] = field(default_factory=dict)  # for "tag"
    keys: tuple[str, ...] = ()  # for "untag"


def reference(
    tags: Mapping[str, str], request: Request, deleted: bool
) -> tuple[str | None, dict[str, str]]:
    """(error code or None, the tags afterwards) as Secrets Manager decides."""
    unchanged = dict(tags)
    if request.kind == "tag":
        sizes = [(k, v) for k, v in request.tags.items()]
        if any(len(k) > SM_KEY_MAX or len(v) > SM_VALUE_MAX for k, v in sizes):
            return "ValidationException", unchanged
        if deleted:
            return "InvalidRequestException", unchanged
        if any(is_aws(k) or is_aws(v) for k, v in sizes):
            return "InvalidParameterException", unchanged
        merged = {**tags, **request.tags}
        if sum(1 for k in merged if not is_aws(k)) > MAX_USER_TAGS:
            return "InvalidParameterException", unchanged
        return None, merged
    if any(len(k) > SM_KEY_MAX for k in request.keys):
        return "ValidationException", unchanged
    if deleted:
        return "InvalidRequestException", unchanged
    if any(is_aws(k) for k in request.keys):
        return "InvalidParameterException", unchanged
    return None, {k: v for k, v in tags.items() if k not in request.keys}


def breaks_api_limits(request: Request) -> bool:
    """Whether the tagging API refuses the whole call under its own model's limits."""
    if request.kind == "tag":
        return len(request.tags) > API_MAX_ITEMS or any(
            len(k) > API_KEY_MAX or len(v) > API_VALUE_MAX for k, v in request.tags.items()
        )
    return len(request.keys) > API_MAX_ITEMS or any(len(k) > API_KEY_MAX for k in request.keys)


# --- calling either API ---------------------------------------------------------------------


def via_secrets_manager(arn: str, request: Request) -> str | None:
    sm, _ = clients()
    try:
        if request.kind == "tag":
            wire = [{"Key": k, "Value": v} for k, v in request.tags.items()]
            sm.tag_resource(SecretId=arn, Tags=wire)
        else:
            sm.untag_resource(SecretId=arn, TagKeys=list(request.keys))
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return None


CALL_REFUSED = "call refused"


def via_tagging_api(arns: Sequence[str], request: Request) -> dict[str, str | None]:
    """Each ARN's outcome: None, its FailedResourcesMap code, or CALL_REFUSED."""
    _, api = clients()
    try:
        if request.kind == "tag":
            reply = api.tag_resources(ResourceARNList=list(arns), Tags=request.tags)
        else:
            reply = api.untag_resources(ResourceARNList=list(arns), TagKeys=list(request.keys))
    except api.exceptions.InvalidParameterException:
        return dict.fromkeys(arns, CALL_REFUSED)
    failed = reply["FailedResourcesMap"]
    for entry in failed.values():
        assert entry["StatusCode"] == 400
    return {arn: (failed[arn]["ErrorCode"] if arn in failed else None) for arn in arns}


# --- strategies -------------------------------------------------------------------------------

key_pool = st.one_of(
    st.sampled_from(["team", "env", "n0", "n44", "new", "New", "x y", "k:1", "a/b"]),
    st.integers(0, 60).map(lambda i: f"m{i}"),
    st.sampled_from([SYSTEM_KEY, "aws:x", "AWS:team", "Aws:"]),
    st.sampled_from([126, 127, 128, 129]).map(lambda n: "k" * n),
    st.text(min_size=1, max_size=5),
)
value_pool = st.one_of(
    st.sampled_from(["", "v", "prod", "aws:v", "AWS:", "awsx"]),
    st.sampled_from([254, 255, 256, 257]).map(lambda n: "v" * n),
    st.text(max_size=5),
)
tag_requests = st.builds(
    lambda tags: Request("tag", tags=tags),
    st.one_of(
        st.dictionaries(key_pool, value_pool, min_size=1, max_size=6),
        st.dictionaries(
            st.integers(0, 70).map(lambda i: f"m{i}"), st.just("v"), min_size=1, max_size=55
        ),
    ),
)
untag_requests = st.builds(
    lambda keys: Request("untag", keys=tuple(keys)),
    st.one_of(
        st.lists(key_pool, min_size=1, max_size=6),
        st.lists(st.integers(0, 70).map(lambda i: f"m{i}"), min_size=1, max_size=55),
    ),
)
steps = st.lists(
    st.tuples(st.one_of(tag_requests, untag_requests), st.sampled_from(["sm", "api"])),
    min_size=1,
    max_size=8,
)


# --- the property -----------------------------------------------------------------------------


@dataclass
class Twin:
    name: str
    arn: str
    deleted: bool
    tags: dict[str, str]  # the reference's view


def seed(backend: Backend) -> dict[str, Twin]:
    sm, _ = clients()
    twins = {}
    for name in ("by-sm", "by-api", "mixed", "gone-sm", "gone-api"):
        arn = backend.create_secret(name, tags=START, region=REGION)
        backend.add_system_tag(name, SYSTEM_KEY, "stack", region=REGION)
        deleted = name.startswith("gone")
        if deleted:
            sm.delete_secret(SecretId=arn)
        twins[name] = Twin(name, arn, deleted, backend.tags(name, region=REGION))
    return twins


def expect(twin: Twin, request: Request, outcome: str | None, through: str) -> None:
    """Check one secret's outcome against the reference and advance the reference."""
    code, after = reference(twin.tags, request, twin.deleted)
    refused = " (call refused)" if through == "api" and breaks_api_limits(request) else ""
    event(f"{request.kind} via {through}: {code or 'ok'}{refused}")
    if through == "api" and breaks_api_limits(request):
        assert outcome == CALL_REFUSED, (twin.name, request, outcome)
        return
    assert outcome == code, (twin.name, request, outcome, code)
    twin.tags = after


def check(backend: Backend, twin: Twin) -> None:
    tags = backend.tags(twin.name, region=REGION)
    assert tags == twin.tags, twin.name
    assert list(tags) == list(twin.tags), twin.name  # the order too
    assert sum(1 for key in tags if not is_aws(key)) <= MAX_USER_TAGS
    assert [key for key in tags if is_aws(key)] == [SYSTEM_KEY]
    assert not any(is_aws(value) for key, value in tags.items() if key != SYSTEM_KEY)


@given(steps)
def test_both_apis_apply_secrets_managers_rules(sequence: list[tuple[Request, str]]) -> None:
    with mock_tags() as backend:
        twins = seed(backend)
        for request, mixed_api in sequence:
            by_sm, by_api, mixed = twins["by-sm"], twins["by-api"], twins["mixed"]
            expect(by_sm, request, via_secrets_manager(by_sm.arn, request), "sm")
            expect(
                twins["gone-sm"], request, via_secrets_manager(twins["gone-sm"].arn, request), "sm"
            )
            api_outcomes = via_tagging_api([by_api.arn, twins["gone-api"].arn], request)
            expect(by_api, request, api_outcomes[by_api.arn], "api")
            expect(twins["gone-api"], request, api_outcomes[twins["gone-api"].arn], "api")
            if mixed_api == "sm":
                expect(mixed, request, via_secrets_manager(mixed.arn, request), "sm")
            else:
                expect(mixed, request, via_tagging_api([mixed.arn], request)[mixed.arn], "api")
            for twin in twins.values():
                check(backend, twin)
        # Both APIs read the same final state.
        _, api = clients()
        listed = {
            m["ResourceARN"]: {t["Key"]: t["Value"] for t in m["Tags"]}
            for page in api.get_paginator("get_resources").paginate()
            for m in page["ResourceTagMappingList"]
        }
        assert listed == {twin.arn: twin.tags for twin in twins.values()}


@given(st.one_of(tag_requests, untag_requests))
def test_a_refusal_of_one_secret_leaves_the_others_tagged(request: Request) -> None:
    """One TagResources/UntagResources call over several secrets: each gets its own verdict,
    and a missing secret's ResourceNotFoundException never spoils the rest."""
    with mock_tags() as backend:
        twins = seed(backend)
        missing = twins["by-api"].arn.replace(":secret:by-api-", ":secret:missing-")
        arns = [twins["by-api"].arn, missing, twins["gone-api"].arn, twins["mixed"].arn]
        outcomes = via_tagging_api(arns, request)
        if breaks_api_limits(request):
            assert set(outcomes.values()) == {CALL_REFUSED}
        else:
            code, _ = reference({}, request, deleted=False)
            assert outcomes[missing] == (
                code if code == "ValidationException" else "ResourceNotFoundException"
            )
        for name in ("by-api", "gone-api", "mixed"):
            expect(twins[name], request, outcomes[twins[name].arn], "api")
            check(backend, twins[name])
