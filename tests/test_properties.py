"""Hostile input through a real boto3 client: whatever is sent, a call ends in success or
in the error botocore raises for a service error or a client-side validation failure, and
afterwards the TagResource API reference's rules still hold: at most 50 user tags per secret, no
`aws:` tag a user created, and a rejected call changed nothing at all.

Where the documented and recorded behaviour is precise, an oracle also says which of
success and failure is due (and, on success, what the tags must be); where the real service
is unknown, the oracle answers "either" and only the invariants are checked.

Each example runs in its own `with mock_tags()` (hypothesis runs many examples per test
function, so the function-scoped fixture would share state between them). The number of
examples comes from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import event, example, given
from hypothesis import strategies as st

from stubtags import Backend, mock_tags
from tests.helpers import ACCOUNT, REGION, STACK_TAG, has_aws_prefix, sm_client

MAX_USER_TAGS = 50
KEY_MAX = 127  # the TagResource API reference: 127 and 255 Unicode characters
VALUE_MAX = 255
LIMIT_LENGTHS = (0, 1, 126, 127, 128, 254, 255, 256)
AWS_PREFIXES = ("aws:", "AWS:", "Aws:", "aWs:", "awS:", "AWs:", "aWS:", "AwS:")
NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@!-]{1,512}")
FILTER_VALUE_RE = re.compile(r"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$")
FILTER_KEYS = (
    "description",
    "name",
    "tag-key",
    "tag-value",
    "primary-region",
    "owning-service",
    "all",
)
SORT_BY = ("created-date", "last-accessed-date", "last-changed-date", "name")
SUFFIXED_NAME = "db-abcdef"  # ends like an ARN's random suffix: its partial ARN is ambiguous

OK, FAIL, EITHER = "ok", "fail", "either"


@cache
def client() -> Any:
    """One client for the whole module: it exists before, and outlives, every mock."""
    return sm_client(REGION, own_session=True)


# --- the world each example starts from ----------------------------------------------------


@dataclass
class World:
    backend: Backend
    arns: dict[str, str]
    system: dict[str, dict[str, str]]  # the `aws:` tags attached the way AWS would

    def names(self) -> list[str]:
        return self.backend.names(region=REGION)

    def tags(self, name: str) -> dict[str, str]:
        return self.backend.tags(name, region=REGION)

    def deleted(self, name: str) -> bool:
        return "DeletedDate" in self.backend.describe(name, region=REGION)


@contextmanager
def world() -> Iterator[World]:
    with mock_tags() as backend:
        arns = {
            "plain": backend.create_secret("plain", region=REGION),
            "tagged": backend.create_secret(
                "tagged", tags={"team": "core", "env": "prod", "k0": "zero"}, region=REGION
            ),
            "full": backend.create_secret(
                "full", tags={f"n{i}": "x" for i in range(50)}, region=REGION
            ),
            "near": backend.create_secret(
                "near", tags={f"n{i}": "y" for i in range(48)}, region=REGION
            ),
            "gone": backend.create_secret("gone", tags={"team": "old"}, region=REGION),
            SUFFIXED_NAME: backend.create_secret(SUFFIXED_NAME, region=REGION),
        }
        system = {"tagged": {STACK_TAG: "stack"}, "full": {STACK_TAG: "stack"}}
        for name, tags in system.items():
            for key, value in tags.items():
                backend.add_system_tag(name, key, value, region=REGION)
        client().delete_secret(SecretId="gone", RecoveryWindowInDays=7)
        yield World(backend, arns, system)


def check_invariants(w: World) -> None:
    for name in w.names():
        tags = w.tags(name)
        system = {k: v for k, v in tags.items() if has_aws_prefix(k)}
        assert system == w.system.get(name, {}), (name, tags)
        user = {k: v for k, v in tags.items() if not has_aws_prefix(k)}
        assert len(user) <= MAX_USER_TAGS, (name, len(user))
        assert not any(has_aws_prefix(value) for value in user.values()), (name, user)


def call(w: World, operation: str, params: Mapping[str, Any], expect: str) -> Any:
    """Make one call; check the outcome against `expect` and the state rules. Returns the
    response, or None when the call was rejected."""
    before = w.backend.snapshot()
    method: Callable[..., Any] = getattr(client(), operation)
    try:
        response = method(**params)
    except (ClientError, ParamValidationError) as error:
        event(f"{operation}: expected {expect}, rejected")
        assert w.backend.snapshot() == before, f"rejected {operation} changed the state"
        assert expect != OK, f"{operation}{params!r} was due to succeed: {error}"
        check_invariants(w)
        return None
    event(f"{operation}: expected {expect}, succeeded")
    assert expect != FAIL, f"{operation}{params!r} was due to fail"
    check_invariants(w)
    return response


# --- strategies -------------------------------------------------------------------------


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """`one_of` with weights (`one_of` drops repeated strategies, so repeating can't weight)."""
    table = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.integers(0, len(table) - 1).flatmap(lambda index: table[index])


def text_of_length(n: int) -> st.SearchStrategy[str]:
    return st.text(min_size=n, max_size=n)


any_text = st.one_of(st.text(max_size=6), st.sampled_from(LIMIT_LENGTHS).flatmap(text_of_length))
aws_prefixed = st.builds(str.__add__, st.sampled_from(AWS_PREFIXES), any_text)
plain_text = st.text(alphabet="abcXYZ019 +-=._:/@", min_size=1, max_size=12)
tag_keys = weighted(
    (2, plain_text),
    (1, any_text),
    (1, aws_prefixed),
    (1, st.sampled_from(["team", "env", "k0", "n0", "n49", "new", STACK_TAG, "AWS:Team"])),
)
tag_values = weighted(
    (2, plain_text), (1, any_text), (1, aws_prefixed), (1, st.sampled_from(["", "v", "prod"]))
)


def tag_entry(keys: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    full = st.fixed_dictionaries({"Key": keys, "Value": tag_values})
    return weighted(
        (3, full),
        (1, st.fixed_dictionaries({"Key": keys})),  # no Value
        (1, st.fixed_dictionaries({"Value": tag_values})),  # no Key
    )


# Few tags with keys and values anywhere near the length limits, or many short ones with
# repeats, to reach the count limit from every side.
clean_tag = st.fixed_dictionaries(
    {
        "Key": st.one_of(plain_text, st.sampled_from(["team", "env", "k0", "n0", "new"])),
        "Value": st.one_of(plain_text, st.just("")),
    }
)
tag_lists = weighted(
    (3, st.lists(clean_tag, max_size=6)),
    (2, st.lists(weighted((4, clean_tag), (1, tag_entry(tag_keys))), max_size=6)),
    (2, st.lists(tag_entry(tag_keys), max_size=6)),
    (
        2,
        st.lists(
            st.fixed_dictionaries(
                {"Key": st.integers(0, 70).map(lambda i: f"n{i}"), "Value": st.sampled_from("ab")}
            ),
            min_size=0,
            max_size=60,
        ),
    ),
)


@dataclass(frozen=True)
class SecretIdSpec:
    """How to spell a SecretId; resolved against the example's ARNs."""

    kind: str
    name: str = ""
    raw: str = ""

    def resolve(self, w: World) -> tuple[str, str | None]:
        """The SecretId, and the name it must find (None: must not find; "?": unknown)."""
        if self.kind == "raw":
            return self.raw, (self.raw if self.raw in w.names() else None)
        if self.kind == "name":
            return self.name, self.name
        arn = w.arns[self.name]
        partial = arn.rsplit("-", 1)[0]
        if self.kind == "arn":
            return arn, self.name
        if self.kind == "partial":
            return partial, ("?" if self.name == SUFFIXED_NAME else self.name)
        other = {
            "other-region": arn.replace(f":{REGION}:", ":eu-central-1:"),
            "other-account": arn.replace(f":{ACCOUNT}:", ":999999999999:"),
            "other-partition": arn.replace("arn:aws:", "arn:aws-cn:"),
            "partial-other-region": partial.replace(f":{REGION}:", ":us-west-2:"),
            "wrong-suffix": arn[:-6] + ("zzzzzz" if not arn.endswith("zzzzzz") else "yyyyyy"),
            "upper-arn": arn.upper(),
            "arn-space": arn.replace(":secret:", ":secret: "),
            "arn-no-name": arn.split(":secret:")[0] + ":secret:",
        }
        return other[self.kind], None


SEEDED = ("plain", "tagged", "full", "near", "gone", SUFFIXED_NAME)
ODD_KINDS = (
    "other-region",
    "other-account",
    "other-partition",
    "partial-other-region",
    "wrong-suffix",
    "upper-arn",
    "arn-space",
    "arn-no-name",
)
ODD_RAW_IDS = (
    "plain ",
    " plain",
    "pla in",
    "new-secret",
    "a" * 512,
    "a" * 513,
    "a" * 2048,
    "a" * 2049,
    "arn:",
    "arn:aws:secretsmanager",
    f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:nope",
    "arn:aws:s3:::plain",
    "PLAIN",
    "plain/",
    "plain\n",
    "*",
    "%2F",
)
good_secret_ids = st.builds(
    SecretIdSpec, kind=st.sampled_from(["name", "arn", "partial"]), name=st.sampled_from(SEEDED)
)
secret_ids = weighted(
    (4, good_secret_ids),
    (1, st.builds(SecretIdSpec, kind=st.sampled_from(ODD_KINDS), name=st.sampled_from(SEEDED))),
    (
        1,
        st.builds(
            SecretIdSpec,
            kind=st.just("raw"),
            raw=st.one_of(any_text, st.sampled_from(ODD_RAW_IDS)),
        ),
    ),
)


# --- oracles ------------------------------------------------------------------------------


def client_side_invalid_tags(tags: Sequence[Mapping[str, str]]) -> bool:
    return any(tag.get("Key") == "" for tag in tags)


def merged(tags: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """A request's tags as one upsert: first position, last value (duplicates: inferred)."""
    result: dict[str, str] = {}
    for tag in tags:
        result[tag["Key"]] = tag.get("Value", "")
    return result


def tag_content_verdict(tags: Sequence[Mapping[str, str]]) -> str:
    """Whether the tags alone must be refused (FAIL), are fine (OK), or unknown."""
    if not tags:
        return EITHER  # an empty list: the model sets no minimum, the service's is unknown
    if any("Key" not in tag for tag in tags):
        return FAIL
    if any(len(tag["Key"]) > KEY_MAX or len(tag.get("Value", "")) > VALUE_MAX for tag in tags):
        return FAIL
    if any(has_aws_prefix(tag["Key"]) or has_aws_prefix(tag.get("Value", "")) for tag in tags):
        return FAIL
    if any("Value" not in tag for tag in tags):
        return EITHER  # a tag without Value: the service's reading is not known
    return OK


def user_count(tags: Mapping[str, str]) -> int:
    return sum(1 for key in tags if not has_aws_prefix(key))


def target_verdict(w: World, target: str | None) -> str:
    if target is None:
        return FAIL
    if target == "?":
        return EITHER
    if w.deleted(target):
        return FAIL
    return OK


def combine(*verdicts: str) -> str:
    if FAIL in verdicts:
        return FAIL
    if EITHER in verdicts:
        return EITHER
    return OK


# --- the properties -----------------------------------------------------------------------


def do_tag(w: World, spec: SecretIdSpec, tags: list[dict[str, str]]) -> None:
    secret_id, target = spec.resolve(w)
    if secret_id == "" or client_side_invalid_tags(tags):
        call(w, "tag_resource", {"SecretId": secret_id, "Tags": tags}, FAIL)
        return
    content = tag_content_verdict(tags)
    verdict = combine(content, target_verdict(w, target))
    before = w.tags(target) if verdict == OK and target else {}
    if verdict == OK and user_count({**before, **merged(tags)}) > MAX_USER_TAGS:
        verdict = FAIL
    response = call(w, "tag_resource", {"SecretId": secret_id, "Tags": tags}, verdict)
    if response is not None and verdict == OK and target:
        assert set(response) == {"ResponseMetadata"}
        expected = dict(before)
        expected.update(merged(tags))  # upsert: old keys keep their place, new ones go last
        assert list(w.tags(target).items()) == list(expected.items())


def do_untag(w: World, spec: SecretIdSpec, keys: list[str]) -> None:
    secret_id, target = spec.resolve(w)
    if secret_id == "" or "" in keys:
        call(w, "untag_resource", {"SecretId": secret_id, "TagKeys": keys}, FAIL)
        return
    content = OK if keys else EITHER  # an empty TagKeys: as for an empty Tags list
    if any(len(key) > KEY_MAX for key in keys):
        content = FAIL
    elif target not in (None, "?") and any(k in w.system.get(target, {}) for k in keys):
        content = FAIL  # touching an existing system tag (recorded)
    elif any(has_aws_prefix(key) for key in keys):
        content = EITHER  # an `aws:` key the secret doesn't have: not documented
    verdict = combine(content, target_verdict(w, target))
    before = w.tags(target) if verdict == OK and target else {}
    response = call(w, "untag_resource", {"SecretId": secret_id, "TagKeys": keys}, verdict)
    if response is not None and verdict == OK and target:
        expected = {k: v for k, v in before.items() if k not in keys}
        assert list(w.tags(target).items()) == list(expected.items())


def do_create(w: World, name: str, tags: list[dict[str, str]] | None, value: str | None) -> None:
    params: dict[str, Any] = {"Name": name}
    if tags is not None:
        params["Tags"] = tags
    if value is not None:
        params["SecretString"] = value
    if name == "" or value == "" or (tags is not None and client_side_invalid_tags(tags)):
        call(w, "create_secret", params, FAIL)
        return
    if name in w.names():
        name_verdict = FAIL
    elif NAME_RE.fullmatch(name):
        name_verdict = OK
    elif len(name) <= 512 and all(c.isalnum() or c in "/_+=.@!-" for c in name):
        name_verdict = EITHER  # non-ASCII letters: whether they count is not documented
    else:
        name_verdict = FAIL
    content = OK if tags is None else tag_content_verdict(tags)
    if tags is not None and content != FAIL and user_count(merged(tags)) > MAX_USER_TAGS:
        content = FAIL
    verdict = combine(name_verdict, content)
    response = call(w, "create_secret", params, verdict)
    if response is not None:
        assert response["Name"] == name
        assert name in w.names()
        if tags and verdict == OK:
            # No duplicate keys survive (moto keeps both copies).
            assert list(w.tags(name).items()) == list(merged(tags).items())


def do_list(w: World, params: dict[str, Any], token_from_first_page: bool) -> None:
    max_results = params.get("MaxResults")
    filters = params.get("Filters", [])
    if (
        (max_results is not None and max_results < 1)
        or params.get("NextToken") == ""
        or any(f.get("Values") == [] for f in filters)
    ):
        call(w, "list_secrets", params, FAIL)
        return
    faults = (
        (max_results is not None and max_results > 100)
        or len(filters) > 10
        or params.get("SortBy", "name") not in SORT_BY
        or params.get("SortOrder", "asc") not in ("asc", "desc")
        or any(f.get("Key") not in FILTER_KEYS or "Values" not in f for f in filters)
        or any(len(f.get("Values", [])) > 10 for f in filters)
        or any(
            len(v) > 512 or not FILTER_VALUE_RE.fullmatch(v)
            for f in filters
            for v in f.get("Values", [])
        )
    )
    if faults:
        verdict = FAIL
    elif "NextToken" in params and not token_from_first_page:
        verdict = FAIL  # a token the service never issued
    else:
        verdict = OK
    if token_from_first_page and not faults:
        first = call(w, "list_secrets", {**params, "MaxResults": 1}, OK)
        if "NextToken" not in first:
            return
        params = {**params, "NextToken": first["NextToken"]}
    response = call(w, "list_secrets", params, verdict)
    if response is None:
        return
    names = [entry["Name"] for entry in response["SecretList"]]
    assert len(names) <= (max_results or 100)
    assert len(set(names)) == len(names)
    assert set(names) <= set(w.names())
    if not params.get("IncludePlannedDeletion"):
        assert "gone" not in names
    for entry in response["SecretList"]:
        assert entry.get("Tags", []) == [
            {"Key": k, "Value": v} for k, v in w.tags(entry["Name"]).items()
        ]


filter_values = st.one_of(
    st.sampled_from(["n", "team", "!team", "core", "prod", "pl", "!", "", "a b", "aws:", "team\n"]),
    st.text(alphabet="abc !:_@/+=.-", max_size=8),
    st.text(max_size=6),
    st.sampled_from([511, 512, 513]).map(lambda n: "a" * n),
)
good_filters = st.fixed_dictionaries(
    {
        "Key": st.sampled_from(FILTER_KEYS),
        "Values": st.lists(
            st.sampled_from(["n", "team", "!team", "core", "pl", "!t"]), min_size=1, max_size=3
        ),
    }
)
odd_filters = st.fixed_dictionaries(
    {},
    optional={
        "Key": st.one_of(st.sampled_from(FILTER_KEYS), st.text(max_size=12)),
        "Values": st.lists(filter_values, max_size=12),
    },
)
filters = weighted((3, good_filters), (1, odd_filters))
list_params_without_token = st.fixed_dictionaries(
    {},
    optional={
        "Filters": weighted(
            (3, st.lists(good_filters, max_size=3)), (1, st.lists(filters, max_size=12))
        ),
        "MaxResults": weighted(
            (3, st.integers(1, 100)), (1, st.integers(-2, 102)), (1, st.just(2**31))
        ),
        "SortBy": weighted((3, st.sampled_from(SORT_BY)), (1, st.text(max_size=10))),
        "SortOrder": st.sampled_from(["asc", "desc", "asc", "desc", "ASC", "up", ""]),
        "IncludePlannedDeletion": st.booleans(),
    },
)
foreign_tokens = st.one_of(
    st.text(max_size=40), st.sampled_from(["", "null", "eyJ9", "a.b", "x" * 4096])
)
list_params = weighted(
    (2, list_params_without_token),
    (1, st.builds(lambda p, t: {**p, "NextToken": t}, list_params_without_token, foreign_tokens)),
)
good_names = st.text(alphabet="abcXYZ019/_+=.@!-", min_size=1, max_size=20)
create_names = weighted(
    (3, good_names),
    (1, st.sampled_from([*SEEDED, "new-1", "new/2", "a" * 512, "a" * 513, "with space", "é"])),
    (1, any_text),
)
untag_keys = weighted(
    (2, st.lists(st.sampled_from(["n1", "n49", "team", "env", "k0", "absent"]), max_size=4)),
    (1, st.lists(st.one_of(tag_keys, st.sampled_from(["n1", "n49", "team"])), max_size=8)),
)
secret_values = st.one_of(st.none(), st.sampled_from(["", "s3cret"]))


@given(spec=secret_ids, tags=tag_lists)
# A reserved value hidden behind a later duplicate of its key is still in the request.
@example(
    spec=SecretIdSpec("name", "plain"),
    tags=[{"Key": "k0", "Value": "aws:x"}, {"Key": "k0", "Value": ""}],
)
@example(spec=SecretIdSpec("partial", "tagged"), tags=[{"Key": "n", "Value": "v" * 256}])
@example(spec=SecretIdSpec("arn", "near"), tags=[{"Key": f"x{i}", "Value": ""} for i in range(3)])
def test_tag_resource_any_input(spec: SecretIdSpec, tags: list[dict[str, str]]) -> None:
    with world() as w:
        check_invariants(w)
        do_tag(w, spec, tags)


@given(spec=secret_ids, keys=untag_keys)
def test_untag_resource_any_input(spec: SecretIdSpec, keys: list[str]) -> None:
    with world() as w:
        do_untag(w, spec, keys)


@given(name=create_names, tags=st.one_of(st.none(), tag_lists), value=secret_values)
@example(
    name="fresh", tags=[{"Key": "k", "Value": "AWS:y"}, {"Key": "k", "Value": "ok"}], value=None
)
@example(name="fresh", tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}], value="s")
def test_create_secret_any_input(
    name: str, tags: list[dict[str, str]] | None, value: str | None
) -> None:
    with world() as w:
        do_create(w, name, tags, value)


@given(params=list_params, paged=st.booleans())
def test_list_secrets_any_input(params: dict[str, Any], paged: bool) -> None:
    if paged:
        params.pop("NextToken", None)
    with world() as w:
        do_list(w, params, token_from_first_page=paged)


tag_call = st.tuples(st.just("tag"), secret_ids, tag_lists)
untag_call = st.tuples(st.just("untag"), secret_ids, untag_keys)
create_call = st.tuples(st.just("create"), create_names, st.one_of(st.none(), tag_lists))
list_call = st.tuples(st.just("list"), list_params, st.booleans())


@given(
    calls=st.lists(
        weighted((3, tag_call), (2, untag_call), (1, create_call), (1, list_call)), max_size=8
    )
)
def test_any_sequence_of_calls_keeps_the_rules(calls: list[tuple[Any, ...]]) -> None:
    """State built by earlier calls (a secret grown to near the limit, a new one) is what
    the later hostile calls hit."""
    with world() as w:
        for kind, first, second in calls:
            if kind == "tag":
                do_tag(w, first, second)
            elif kind == "untag":
                do_untag(w, first, second)
            elif kind == "create":
                do_create(w, first, second, None)
            else:
                params = dict(first)
                if second:
                    params.pop("NextToken", None)
                do_list(w, params, token_from_first_page=second)
        check_invariants(w)
