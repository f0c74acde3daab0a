"""Unit tests of the listing engine (stubtags.service.listing: filters and ordering), on
bare Secret records.

The property tests compare the engine with a reference written here the slow, literal
way (loops, a full sort), so the engine's shortcuts (joined-string searches, early exit,
partial sorts, keyset tokens) are checked against the rules rather than against
themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stubtags.service import listing, tokens
from stubtags.service.errors import InvalidNextTokenException
from stubtags.service.listing import Filter, Query, list_page, matches
from stubtags.service.listing.filters import split_words
from stubtags.service.model import Secret

_seq = iter(range(10**9))


def secret(
    name: str,
    *,
    seq: int | None = None,
    created: float | None = None,
    last_changed: float | None = None,
    **fields: Any,
) -> Secret:
    number = next(_seq) if seq is None else seq
    created = 1_000.0 + number if created is None else created
    return Secret(
        arn=f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-AbCdEf",
        name=name,
        account="123456789012",
        region="us-east-1",
        created=created,
        seq=number,
        last_changed=created if last_changed is None else last_changed,
        **fields,
    )


def names(secrets: Iterable[Secret]) -> list[str]:
    return [s.name for s in secrets]


def listed(secrets: Sequence[Secret], *filters: Filter, **query: Any) -> list[str]:
    """All pages of a listing, by name."""
    q = Query(filters=tuple(filters), **query)
    out: list[Secret] = []
    token: str | None = None
    while True:
        page, token = list_page(secrets, q, 100, token)
        out += page
        if token is None:
            return names(out)


def f(key: str, *values: str) -> Filter:
    return Filter(key, values)


# ---------------------------------------------------------------------------- matching


def test_name_prefix_is_case_sensitive() -> None:
    secrets = [secret(n) for n in ("Production", "Prod1", "prod", "MyProd", "Pro")]
    assert listed(secrets, f("name", "Prod")) == ["Production", "Prod1"]


def test_name_value_is_not_split_into_words() -> None:
    secrets = [secret("testing1/one"), secret("testing1")]
    assert listed(secrets, f("name", "testing1 one")) == []
    assert listed(secrets, f("name", "/")) == []
    assert listed([secret("/a"), secret("b")], f("name", "/")) == ["/a"]


def test_tag_key_matches_any_key_prefix() -> None:
    secrets = [
        secret("env", tags={"Owner": "x", "Environment": "prod"}),
        secret("lower", tags={"environment": "prod"}),
        secret("value-only", tags={"Owner": "Env"}),
        secret("untagged"),
        secret("emptied", tags={}),
    ]
    assert listed(secrets, f("tag-key", "Env")) == ["env"]
    assert listed(secrets, f("tag-key", "Owner")) == ["env", "value-only"]


def test_tag_value_matches_any_value_prefix() -> None:
    secrets = [
        secret("a", tags={"Env": "production", "Team": "core"}),
        secret("b", tags={"Env": "Production"}),
        secret("c", tags={"prod": "x"}),
        secret("d"),
    ]
    assert listed(secrets, f("tag-value", "prod")) == ["a"]
    assert listed(secrets, f("tag-value", "co")) == ["a"]


def test_tag_match_with_nul_in_keys_is_exact() -> None:
    # The joined-string shortcut must not be fooled by a key holding its separator.
    secrets = [
        secret("fake", tags={"a\x00Env": "x"}),
        secret("real", tags={"a\x00Env": "x", "Envy": "y"}),
        secret("values", tags={"k": "z\x00Env", "j": "Envoy"}),
    ]
    assert listed(secrets, f("tag-key", "Env")) == ["real"]
    assert listed(secrets, f("tag-value", "Env")) == ["values"]
    assert listed(secrets, f("tag-key", "Env", "Nope")) == ["real"]


def test_primary_region_and_owning_service() -> None:
    secrets = [
        secret("a", primary_region="us-east-1", owning_service="rds"),
        secret("b", primary_region="eu-west-1", owning_service="appflow"),
        secret("c"),
    ]
    assert listed(secrets, f("primary-region", "us-")) == ["a"]
    assert listed(secrets, f("primary-region", "US")) == []
    assert listed(secrets, f("owning-service", "app")) == ["b"]
    assert listed(secrets, f("owning-service", "")) == ["a", "b"]  # None never matches
    assert listed(secrets, f("primary-region", "!us")) == ["b", "c"]


def test_description_words_are_prefixes_case_insensitively() -> None:
    # The cases recorded against AWS (LocalStack's validated test).
    secrets = [
        secret("one", description="a secret"),
        secret("two", description="an secret"),
        secret("three", description="asecret"),
        secret("four", description="thesecret"),
        secret("none"),
    ]
    assert listed(secrets, f("description", "a")) == ["one", "two", "three"]
    assert listed(secrets, f("description", "a secret")) == ["one", "two"]
    assert listed(secrets, f("description", "SECRET A")) == ["one", "two"]
    assert listed(secrets, f("description", "!a")) == ["four", "none"]
    assert listed(secrets, f("description", "!c")) == ["one", "two", "three", "four", "none"]


def test_description_words_split_on_whitespace_only() -> None:
    secrets = [
        secret("hyphen", description="the-secret"),
        secret("space", description="the secret"),
    ]
    assert listed(secrets, f("description", "secret")) == ["space"]


def test_no_description_never_matches_a_positive_value() -> None:
    secrets = [secret("none"), secret("empty-words", description="")]
    assert listed(secrets, f("description", "")) == ["empty-words"]
    assert listed(secrets, f("description", "!")) == ["none"]


def test_all_searches_words_of_every_attribute() -> None:
    target = secret(
        "prod/db-password",
        description="Primary DB",
        tags={"team": "Core-Infra", "cost_centre": "x"},
    )
    other = secret("unrelated", description="nothing here", tags={"k": "v"})
    secrets = [target, other]
    for value in ("db", "PASS", "infra", "primary core", "db-pass", "cost", "centre", "prod/db"):
        assert listed(secrets, f("all", value)) == [target.name], value
    for value in ("password primary nope", "rod", "xyz", "corei"):
        assert listed(secrets, f("all", value)) == [], value
    assert listed(secrets, f("all", "!db")) == ["unrelated"]


def test_all_does_not_join_words_across_attributes() -> None:
    s = secret("abc", description="def")
    assert listed([s], f("all", "abcdef")) == []
    assert listed([s], f("all", "abc def")) == ["abc"]


def test_negation_of_tag_key_keeps_untagged() -> None:
    secrets = [
        secret("env", tags={"Env": "a", "Owner": "b"}),
        secret("owner", tags={"Owner": "b"}),
        secret("untagged"),
        secret("emptied", tags={}),
    ]
    assert listed(secrets, f("tag-key", "!Env")) == ["owner", "untagged", "emptied"]


def test_negation_of_name() -> None:
    secrets = [secret("Production"), secret("prod"), secret("Test")]
    assert listed(secrets, f("name", "!Prod")) == ["prod", "Test"]
    assert listed(secrets, f("name", "!")) == []  # negates "", which every name starts with
    assert listed(secrets, f("name", "")) == ["Production", "prod", "Test"]


def test_only_the_first_bang_negates() -> None:
    secrets = [secret("!x"), secret("x")]
    assert listed(secrets, f("name", "!!x")) == ["x"]


def test_values_of_one_filter_are_or_ed() -> None:
    secrets = [secret("foo"), secret("bar"), secret("baz")]
    assert listed(secrets, f("name", "foo", "bar")) == ["foo", "bar"]
    # A negated value is one more alternative: "ba..., or anything not starting with f".
    assert listed(secrets, f("name", "baz", "!f")) == ["bar", "baz"]
    assert listed(secrets, f("name", "foo", "!b")) == ["foo"]


def test_filters_are_and_ed() -> None:
    secrets = [
        secret("foo", tags={"right": "right"}),
        secret("bar", tags={"right": "wrong"}),
        secret("baz", tags={"wrong": "right"}),
    ]
    assert listed(secrets, f("tag-key", "right"), f("tag-value", "right")) == ["foo"]
    described = [
        secret("both", description="one two"),
        secret("one", description="one"),
        secret("two", description="two"),
    ]
    assert listed(described, f("description", "one"), f("description", "two")) == ["both"]


def test_matches_ignores_deletion_and_rejects_unknown_keys() -> None:
    s = secret("gone", deleted_date=5.0)
    assert matches(s, [f("name", "go")])
    assert matches(s, [])
    assert not matches(s, [f("name", "x")])
    with pytest.raises(ValueError):
        matches(s, [f("bogus", "x")])


def test_planned_deletion_left_out_unless_asked() -> None:
    secrets = [secret("live"), secret("gone", deleted_date=5.0)]
    assert listed(secrets) == ["live"]
    assert listed(secrets, include_planned_deletion=True) == ["live", "gone"]
    assert listed(secrets, f("name", "g")) == []


# ---------------------------------------------------------------------------- ordering


def test_default_order_is_created_ascending_ties_by_seq() -> None:
    secrets = [
        secret("b", seq=1, created=10.0),
        secret("a", seq=2, created=10.0),
        secret("c", seq=0, created=5.0),
    ]
    assert listed(secrets) == ["c", "b", "a"]
    assert listed(secrets, sort_order="desc") == ["a", "b", "c"]


def test_created_order_when_input_is_not_in_creation_order() -> None:
    # A clock that went backwards: seq order differs from created order.
    secrets = [secret(f"s{i}", seq=i, created=100.0 - i) for i in range(7)]
    assert listed(secrets) == [f"s{i}" for i in reversed(range(7))]
    pages = _all_pages(secrets, Query(), 3)
    assert names(pages) == [f"s{i}" for i in reversed(range(7))]


def test_sort_by_name_is_by_code_point() -> None:
    secrets = [secret(n) for n in ("beta", "Alpha", "alpha", "_x", "Beta")]
    assert listed(secrets, sort_by="name") == ["Alpha", "Beta", "_x", "alpha", "beta"]
    assert listed(secrets, sort_by="name", sort_order="desc") == [
        "beta",
        "alpha",
        "_x",
        "Beta",
        "Alpha",
    ]


def test_sort_by_last_changed() -> None:
    secrets = [
        secret("old", last_changed=30.0),
        secret("new", last_changed=10.0),
        secret("tie", last_changed=10.0),
    ]
    assert listed(secrets, sort_by="last-changed-date") == ["new", "tie", "old"]
    assert listed(secrets, sort_by="last-changed-date", sort_order="desc") == ["old", "tie", "new"]


def test_sort_by_last_accessed_never_accessed_is_oldest() -> None:
    secrets = [
        secret("seen", last_accessed=50.0),
        secret("never"),
        secret("early", last_accessed=1.0),
    ]
    assert listed(secrets, sort_by="last-accessed-date") == ["never", "early", "seen"]
    assert listed(secrets, sort_by="last-accessed-date", sort_order="desc") == [
        "seen",
        "early",
        "never",
    ]


def test_any_iterable_is_accepted() -> None:
    secrets = {s.name: s for s in (secret("a"), secret("b"), secret("c"))}
    page, token = list_page(secrets.values(), Query(), 2, None)
    assert names(page) == ["a", "b"]
    assert token is not None
    page, token = list_page(iter(secrets.values()), Query(), 2, token)
    assert (names(page), token) == (["c"], None)


# ------------------------------------------------------------------------------ paging


def _all_pages(secrets: Sequence[Secret], query: Query, size: int) -> list[Secret]:
    out: list[Secret] = []
    token: str | None = None
    for _ in range(len(secrets) + 2):
        followed_token = token is not None
        page, token = list_page(secrets, query, size, token)
        assert len(page) <= size
        assert page or not followed_token  # a token is given only when more matches exist
        out += page
        if token is None:
            return out
        assert len(page) == size  # a token only after a full page
    raise AssertionError("paging did not end")


def test_pages_and_last_token() -> None:
    secrets = [secret(f"s{i}") for i in range(5)]
    page, token = list_page(secrets, Query(), 2, None)
    assert names(page) == ["s0", "s1"] and token
    page, token = list_page(secrets, Query(), 2, token)
    assert names(page) == ["s2", "s3"] and token
    page, token = list_page(secrets, Query(), 2, token)
    assert (names(page), token) == (["s4"], None)


def test_no_token_when_page_holds_exactly_the_rest() -> None:
    secrets = [secret(f"s{i}") for i in range(4)]
    assert list_page(secrets, Query(), 4, None)[1] is None
    assert list_page(secrets, Query(), 3, None)[1] is not None
    assert list_page([], Query(), 3, None) == ([], None)


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        list_page([], Query(), 0, None)


@pytest.mark.parametrize(
    ("sort_by", "sort_order"),
    [("created-date", "asc"), ("created-date", "desc"), ("name", "asc"), ("name", "desc")],
)
def test_paging_survives_creations_and_deletions(sort_by: str, sort_order: str) -> None:
    secrets = [secret(f"m{i:02d}") for i in range(10)]
    query = Query(sort_by=sort_by, sort_order=sort_order)
    first, token = list_page(secrets, query, 4, None)
    assert token is not None
    seen = names(first)
    # Between pages: delete an unseen secret and a seen one, create two more.
    unseen = next(s for s in secrets if s.name not in seen)
    secrets.remove(unseen)
    secrets.remove(first[0])
    secrets += [secret("m99"), secret("a00")]
    rest: list[Secret] = []
    while token is not None:
        page, token = list_page(secrets, query, 4, token)
        rest += page
    listed_names = seen + names(rest)
    assert len(listed_names) == len(set(listed_names))  # no repeats
    survivors = {f"m{i:02d}" for i in range(10)} - {unseen.name}
    assert survivors <= set(listed_names)  # no skips
    assert unseen.name not in listed_names


def test_token_bound_to_sort_field_and_order() -> None:
    secrets = [secret(f"s{i}") for i in range(3)]
    _, token = list_page(secrets, Query(sort_by="name"), 1, None)
    assert token is not None
    for other in (Query(), Query(sort_by="name", sort_order="desc")):
        with pytest.raises(InvalidNextTokenException) as caught:
            list_page(secrets, other, 1, token)
        assert caught.value.message.startswith("The NextToken is not valid: it was issued for")
    assert list_page(secrets, Query(sort_by="name"), 1, token)[0]


def test_tampered_token_refused() -> None:
    secrets = [secret(f"s{i}") for i in range(3)]
    _, token = list_page(secrets, Query(), 1, None)
    assert token is not None
    body, signature = token.split(".")
    flipped = ("A" if body[0] != "A" else "B") + body[1:]
    for bad in (f"{flipped}.{signature}", f"{body}.{signature[:-1]}", body, token + "x"):
        with pytest.raises(InvalidNextTokenException) as caught:
            list_page(secrets, Query(), 1, bad)
        assert caught.value.message.startswith("The NextToken is not valid: ")


def test_token_of_another_process_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = [secret(f"s{i}") for i in range(3)]
    _, token = list_page(secrets, Query(), 1, None)
    assert token is not None
    monkeypatch.setattr(tokens, "_TOKEN_KEY", b"another process" * 2)
    with pytest.raises(InvalidNextTokenException):
        list_page(secrets, Query(), 1, token)


@pytest.mark.parametrize(
    "token",
    ["", ".", "abc", "a.b", "é.é", "\x00", "eyJ9.", "x" * 5000, "null", "{}", "..", "🙂.🙂"],
)
def test_garbage_token_refused(token: str) -> None:
    with pytest.raises(InvalidNextTokenException):
        list_page([secret("a")], Query(), 1, token)


def test_last_accessed_cursor_on_never_accessed_secret() -> None:
    secrets = [secret("n1"), secret("n2"), secret("seen", last_accessed=3.0), secret("n3")]
    query = Query(sort_by="last-accessed-date")
    assert names(_all_pages(secrets, query, 1)) == ["n1", "n2", "n3", "seen"]
    desc = Query(sort_by="last-accessed-date", sort_order="desc")
    assert names(_all_pages(secrets, desc, 1)) == ["seen", "n3", "n2", "n1"]


# ------------------------------------------------------------------- reference + property

_POSITION = {
    "created-date": lambda s: (s.created, s.seq),
    "last-changed-date": lambda s: (s.last_changed, s.seq),
    "last-accessed-date": lambda s: (
        -math.inf if s.last_accessed is None else s.last_accessed,
        s.seq,
    ),
    "name": lambda s: (s.name, s.seq),
}


def _ref_value(s: Secret, key: str, value: str) -> bool:
    """The rules of the module docstring, written out literally."""
    if value.startswith("!"):
        return not _ref_value(s, key, value[1:])
    tags = s.tags or {}
    if key == "name":
        return s.name.startswith(value)
    if key == "tag-key":
        return any(k.startswith(value) for k in tags)
    if key == "tag-value":
        return any(v.startswith(value) for v in tags.values())
    if key == "primary-region":
        return s.primary_region is not None and s.primary_region.startswith(value)
    if key == "owning-service":
        return s.owning_service is not None and s.owning_service.startswith(value)
    if key == "description":
        if s.description is None:
            return False
        words = s.description.lower().split()
        return all(any(w.startswith(q) for w in words) for q in value.lower().split())
    assert key == "all"
    words = []
    for text in [s.name, s.description or "", *tags, *tags.values()]:
        words += _ref_words(text)
    return all(any(w.startswith(q) for w in words) for q in _ref_words(value))


def _ref_kind(c: str) -> str:
    """upper, lower (any other letter) or digit (any other letter-or-digit character)."""
    if c.isalpha():
        return "upper" if c.isupper() else "lower"
    return "digit"


def _ref_words(text: str) -> list[str]:
    """The user guide's rule, literally: words end at anything but a letter or digit, at a
    change between letters and digits, and at a case change (`aB` | `A|Bc`); lowered."""
    words: list[str] = []
    word = ""
    for i, c in enumerate(text):
        if not c.isalnum():
            words.append(word)
            word = ""
            continue
        if word:
            before, kind = _ref_kind(word[-1]), _ref_kind(c)
            after = _ref_kind(text[i + 1]) if i + 1 < len(text) and text[i + 1].isalnum() else ""
            if (
                (before == "digit") != (kind == "digit")
                or (before, kind) == ("lower", "upper")
                or (before, kind, after) == ("upper", "upper", "lower")
            ):
                words.append(word)
                word = ""
        word += c
    words.append(word)
    return [w.lower() for w in words if w]


def _reference(secrets: Sequence[Secret], query: Query) -> list[Secret]:
    kept = [
        s
        for s in secrets
        if (query.include_planned_deletion or s.deleted_date is None)
        and all(any(_ref_value(s, flt.key, v) for v in flt.values) for flt in query.filters)
    ]
    return sorted(kept, key=_POSITION[query.sort_by], reverse=query.sort_order == "desc")


@given(st.text(st.characters(codec="utf-8")) | st.text("aAbB09_- #ÉéΣσςǅⅧ²"))
def test_split_words_follows_the_reference(text: str) -> None:
    assert [w.lower() for w in split_words(text)] == _ref_words(text)


def test_split_words_of_the_user_guide_example() -> None:
    assert split_words("credsDatabase#892") == ["creds", "Database", "892"]
    assert split_words("COMPANYthings") == ["COMPAN", "Ythings"]
    assert split_words("prod/AppBeta/x") == ["prod", "App", "Beta", "x"]


_WORDS = [
    "Env",
    "env",
    "Prod",
    "prod",
    "a",
    "ab",
    "team",
    "x-y",
    "a b",
    "Core_1",
    "",
    "x\x00Env",
    "AppBeta",
    "COMPANYthings",
    "db2Prod",
    "ÉtéÀB1",
]
_VALUE_WORDS = [
    "Env",
    "env",
    "Prod",
    "pro",
    "a",
    "ab",
    "te",
    "x",
    "y",
    "a b",
    "core",
    "",
    "1",
    "x-y",
    "Beta",
    "Ythings",
    "company",
    "2prod",
    "été",
    "àb",
]


@st.composite
def secrets_lists(draw: st.DrawFn) -> list[Secret]:
    count = draw(st.integers(0, 25))
    out = []
    for number in range(count):
        created = draw(st.sampled_from([1.0, 2.0, 3.0, 4.0]))
        tags = draw(
            st.none()
            | st.dictionaries(st.sampled_from(_WORDS), st.sampled_from(_WORDS), max_size=4)
        )
        out.append(
            Secret(
                arn=f"arn:{number}",
                name=draw(st.sampled_from(["Prod", "prod", "a", "ab", "Env-1", "x/y", "Team"]))
                + str(number),
                account="1",
                region="us-east-1",
                created=created,
                seq=number,
                last_changed=draw(st.sampled_from([1.0, 2.0, 3.0])),
                description=draw(
                    st.none() | st.lists(st.sampled_from(_WORDS), max_size=3).map(" ".join)
                ),
                tags=tags,
                deleted_date=draw(st.sampled_from([None, None, 9.0])),
                last_accessed=draw(st.sampled_from([None, 1.0, 2.0])),
                primary_region=draw(st.sampled_from([None, "us-east-1", "eu-west-1"])),
                owning_service=draw(st.sampled_from([None, "rds", "appflow"])),
            )
        )
    if draw(st.booleans()):
        out.sort(key=_POSITION["created-date"])  # the backend's own order: the fast path
    else:
        out = draw(st.permutations(out))
    return out


_values = st.tuples(st.booleans(), st.sampled_from(_VALUE_WORDS)).map(
    lambda pair: ("!" if pair[0] else "") + pair[1]
)
_filters = st.builds(
    Filter,
    st.sampled_from(listing.FILTER_KEYS),
    st.lists(_values, min_size=1, max_size=3).map(tuple),
)


def _queries(sort_fields: Sequence[str] = listing.SORT_FIELDS) -> st.SearchStrategy[Query]:
    return st.builds(
        Query,
        filters=st.lists(_filters, max_size=3).map(tuple),
        sort_by=st.sampled_from(sort_fields),
        sort_order=st.sampled_from(listing.SORT_ORDERS),
        include_planned_deletion=st.booleans(),
    )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(secrets=secrets_lists(), query=_queries(), size=st.integers(1, 6))
def test_pages_concatenate_to_the_reference_listing(
    secrets: list[Secret], query: Query, size: int
) -> None:
    assert _all_pages(secrets, query, size) == _reference(secrets, query)
    by_filters_only = Query(query.filters, include_planned_deletion=True)
    for s in secrets:
        assert matches(s, query.filters) == bool(_reference([s], by_filters_only))


@given(
    secrets=secrets_lists(),
    query=_queries(("created-date", "name")),  # sort keys that never change
    size=st.integers(1, 4),
    changes=st.lists(st.tuples(st.booleans(), st.integers(0, 50)), max_size=6),
)
def test_pages_survive_changes_between_calls(
    secrets: list[Secret], query: Query, size: int, changes: list[tuple[bool, int]]
) -> None:
    """Secrets created or deleted between pages: no repeats, no skipped survivors."""
    live = list(secrets)
    out: list[Secret] = []
    page, token = list_page(live, query, size, None)
    out += page
    removed: set[int] = set()
    next_seq = 1000
    for create, pick in changes:
        if token is None:
            break
        if create:
            live.append(secret(f"new{next_seq}", seq=next_seq, created=5.0))
            next_seq += 1
        elif live:
            removed.add(live.pop(pick % len(live)).seq)
        page, token = list_page(live, query, size, token)
        out += page
    while token is not None:
        page, token = list_page(live, query, size, token)
        out += page
    seqs = [s.seq for s in out]
    assert len(seqs) == len(set(seqs))
    survivors = {s.seq for s in _reference(secrets, query)} - removed
    assert survivors <= set(seqs)
    key = _POSITION[query.sort_by]
    ordered = sorted(out, key=key, reverse=query.sort_order == "desc")
    assert out == ordered


@given(token=st.text(max_size=80) | st.from_regex(r"[A-Za-z0-9_-]{0,60}\.[A-Za-z0-9_-]{0,50}"))
def test_any_string_token_is_refused_or_works(token: str) -> None:
    secrets = [secret(f"s{i}", seq=i) for i in range(3)]
    try:
        page, _ = list_page(secrets, Query(), 2, token)
    except InvalidNextTokenException as error:
        assert error.message.startswith("The NextToken is not valid: ")
    else:
        assert all(isinstance(s, Secret) for s in page)
    with pytest.raises(InvalidNextTokenException):
        tokens.decode_offset(token)
