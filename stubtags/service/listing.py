"""The engine behind ListSecrets (and BatchGetSecretValue's Filters): validate, match, page.

Plain functions over `Secret` records, free of botocore, so the rules below can be
tested on their own and shared by both operations.

Matching
--------
- `name`, `tag-key`, `tag-value`, `primary-region`, `owning-service`: case-sensitive
  prefix match. `tag-key`/`tag-value` match when ANY tag key/value has the prefix; an
  absent `primary_region`/`owning_service` never matches a positive value.
- `description`: the value and the description are split on whitespace; every word of
  the value must be a case-insensitive prefix of some word of the description. A secret
  without a description never matches a positive value.
- `all`: the value and the secret's name, description, tag keys and tag values are split
  into words on every character that is not a letter or digit; every word of the value
  must be a case-insensitive prefix of some word, the words may come from different
  attributes.
- Negation: a value `!v` matches a secret exactly when `v` would not match it (only the
  first `!` is an operator). So `tag-key` `!Env` keeps the secrets with no tag key
  starting with `Env`, untagged ones included, and `description` `!foo` keeps the ones
  without a description.
- The values of one filter are OR-ed, filters are AND-ed; `!` applies to one value only,
  so `["a", "!b"]` means "a, or anything that is not b".
- Secrets scheduled for deletion are left out unless `IncludePlannedDeletion` is true.

Ordering and paging
-------------------
Results are ordered by the `SortBy` field, ties broken by creation order (`seq`), both in
the `SortOrder` direction, so a descending list is exactly the ascending one reversed.
`last-accessed-date` puts never-accessed secrets first when ascending (oldest).

NextToken is a keyset cursor: the sort key and `seq` of the last item returned, with the
sort field and direction, as urlsafe base64 JSON signed with an HMAC whose key is made
once per process. The next page starts strictly after that position, so secrets created
or deleted between calls neither repeat nor push others out of the listing; only a
secret whose sort key itself changes between pages (last changed/accessed) can move
across the cursor. Tokens are not bound to the filters or to the operation.

Inferred (no document or recording found)
-----------------------------------------
- Default SortOrder `asc` (oldest first) for every SortBy; default page size = the
  limit (100 for ListSecrets, 20 for BatchGetSecretValue); a NextToken only when more
  matches exist.
- Several values of one filter are OR-ed, negated values included (see above).
- `all` matches words drawn from different attributes, searches only name, description,
  tag keys and tag values, and does not split words at case changes; a value with no
  words (e.g. `""`, or `"-"` for `all`) matches every secret it is tested against.
- An empty description is a description without words, unlike an absent one.
- Name ordering is by code point (upper case before lower case).
- Word splitting: whitespace for `description`, any non-alphanumeric character for `all`.
- All constraint violations of a request are reported in one ValidationException, in the
  model's member order; lists are printed Java-style (`[a, b]`); the enum set of filter
  keys is listed in model order.
- A filter without Key: ValidationException `Member must not be null`; without Values:
  InvalidParameterException `Invalid filter values for key: <key>`.
- The wording of InvalidNextTokenException; tokens live as long as the process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import heapq
import hmac
import json
import math
import re
import secrets as _random
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, islice
from operator import attrgetter, lt
from typing import Any, Final

from stubtags.service.errors import (
    InvalidNextTokenException,
    InvalidParameterException,
    ValidationException,
    constraint_error,
)
from stubtags.service.model import Secret

FILTER_KEYS: Final = (
    "description",
    "name",
    "tag-key",
    "tag-value",
    "primary-region",
    "owning-service",
    "all",
)
SORT_FIELDS: Final = ("created-date", "last-accessed-date", "last-changed-date", "name")
SORT_ORDERS: Final = ("asc", "desc")
DEFAULT_SORT_BY: Final = "created-date"
DEFAULT_SORT_ORDER: Final = "asc"  # inferred: the service does not document a direction
MAX_FILTERS: Final = 10
MAX_VALUES: Final = 10
MAX_VALUE_LENGTH: Final = 512
MAX_RESULTS: Final = 100
NEXT_TOKEN_MAX: Final = 4096
VALUE_PATTERN: Final = r"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$"

_VALUE_RE = re.compile(VALUE_PATTERN)
_WORD_RE = re.compile(r"[^\W_]+")  # runs of letters and digits, any script
_ONE_ERROR = "1 validation error detected: "


@dataclass(frozen=True, slots=True)
class Filter:
    """One request filter: a key of `FILTER_KEYS` and its values (`!` still attached)."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """What to list, validated; paging (MaxResults, NextToken) travels separately."""

    filters: tuple[Filter, ...] = ()
    sort_by: str = DEFAULT_SORT_BY
    sort_order: str = DEFAULT_SORT_ORDER
    include_planned_deletion: bool = False


# --------------------------------------------------------------------------- validation


def parse_query(
    params: Mapping[str, Any], *, max_results_limit: int = MAX_RESULTS
) -> tuple[Query, int, str | None]:
    """Validate the request members Filters, SortBy, SortOrder, IncludePlannedDeletion,
    MaxResults, NextToken (wire names, as in the JSON request body) and return
    (query, max_results, next_token).

    botocore checks only types, required members and minimums before sending, so the
    maximums, enums and patterns are judged here, as the service does. Every violation is
    reported at once, the way the service's request validation words it.
    """
    problems: list[str] = []

    include = params.get("IncludePlannedDeletion")
    if include is None:
        include = False
    elif not isinstance(include, bool):
        raise _type_error("IncludePlannedDeletion", "a boolean", include)

    max_results = params.get("MaxResults")
    if max_results is None:
        max_results = max_results_limit
    elif isinstance(max_results, bool) or not isinstance(max_results, int):
        raise _type_error("MaxResults", "an integer", max_results)
    elif max_results > max_results_limit:
        problems.append(
            _violation(
                max_results,
                "maxResults",
                f"Member must have value less than or equal to {max_results_limit}",
            )
        )
    elif max_results < 1:
        problems.append(
            _violation(
                max_results, "maxResults", "Member must have value greater than or equal to 1"
            )
        )

    next_token = params.get("NextToken")
    if next_token is not None:
        if not isinstance(next_token, str):
            raise _type_error("NextToken", "a string", next_token)
        if len(next_token) > NEXT_TOKEN_MAX:
            problems.append(
                _violation(
                    next_token,
                    "nextToken",
                    f"Member must have length less than or equal to {NEXT_TOKEN_MAX}",
                )
            )
        elif not next_token:
            problems.append(
                _violation(
                    next_token, "nextToken", "Member must have length greater than or equal to 1"
                )
            )

    filters, missing_values = _parse_filters(params.get("Filters"), problems)

    sort_order = _optional_str(params, "SortOrder", DEFAULT_SORT_ORDER)
    if sort_order not in SORT_ORDERS:
        problems.append(_violation(sort_order, "sortOrder", _enum_constraint(SORT_ORDERS)))
    sort_by = _optional_str(params, "SortBy", DEFAULT_SORT_BY)
    if sort_by not in SORT_FIELDS:
        problems.append(_violation(sort_by, "sortBy", _enum_constraint(SORT_FIELDS)))

    if problems:
        count = len(problems)
        plural = "s" if count > 1 else ""
        raise ValidationException(
            f"{count} validation error{plural} detected: {'; '.join(problems)}"
        )
    if missing_values is not None:
        # Values is optional in the model, so the request validation lets a missing list
        # through and the operation itself refuses it.
        raise InvalidParameterException(f"Invalid filter values for key: {missing_values}")

    query = Query(
        filters=filters,
        sort_by=sort_by,
        sort_order=sort_order,
        include_planned_deletion=include,
    )
    return query, max_results, next_token


def _parse_filters(raw: object, problems: list[str]) -> tuple[tuple[Filter, ...], str | None]:
    """The validated filters, and the key of the first filter that has no Values."""
    if raw is None:
        return (), None
    if not isinstance(raw, (list, tuple)):
        raise _type_error("Filters", "a list", raw)
    if len(raw) > MAX_FILTERS:
        problems.append(
            _violation(
                _render_filters(raw),
                "filters",
                f"Member must have length less than or equal to {MAX_FILTERS}",
            )
        )
    filters: list[Filter] = []
    missing_values: str | None = None
    for number, item in enumerate(raw, 1):
        if not isinstance(item, Mapping):
            raise _type_error(f"Filters[{number - 1}]", "a structure", item)
        where = f"filters.{number}.member"
        key = item.get("Key")
        if key is None:
            problems.append(
                f"Value null at '{where}.key' failed to satisfy constraint: Member must not be null"
            )
        elif not isinstance(key, str):
            raise _type_error(f"Filters[{number - 1}].Key", "a string", key)
        elif key not in FILTER_KEYS:
            problems.append(_violation(key, f"{where}.key", _enum_constraint(FILTER_KEYS)))
        values = item.get("Values")
        if values is None:
            if missing_values is None:
                missing_values = key if isinstance(key, str) else "null"
            continue
        if not isinstance(values, (list, tuple)):
            raise _type_error(f"Filters[{number - 1}].Values", "a list", values)
        if not values:
            problems.append(
                _violation(
                    "[]", f"{where}.values", "Member must have length greater than or equal to 1"
                )
            )
        elif len(values) > MAX_VALUES:
            problems.append(
                _violation(
                    _render_list(values),
                    f"{where}.values",
                    f"Member must have length less than or equal to {MAX_VALUES}",
                )
            )
        for index, value in enumerate(values, 1):
            if not isinstance(value, str):
                raise _type_error(f"Filters[{number - 1}].Values[{index - 1}]", "a string", value)
            value_where = f"{where}.values.{index}.member"
            if len(value) > MAX_VALUE_LENGTH:
                problems.append(
                    _violation(
                        value,
                        value_where,
                        f"Member must have length less than or equal to {MAX_VALUE_LENGTH}",
                    )
                )
            if not _VALUE_RE.fullmatch(value):
                problems.append(
                    _violation(
                        value,
                        value_where,
                        f"Member must satisfy regular expression pattern: {VALUE_PATTERN}",
                    )
                )
        if isinstance(key, str):
            filters.append(Filter(key, tuple(values)))
    return tuple(filters), missing_values


def _optional_str(params: Mapping[str, Any], member: str, default: str) -> str:
    value = params.get(member)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _type_error(member, "a string", value)
    return value


def _violation(value: object, where: str, constraint: str) -> str:
    """One violation in the service's words, without the leading count."""
    message = constraint_error(value, where, constraint).message
    return message[len(_ONE_ERROR) :] if message.startswith(_ONE_ERROR) else message


def _enum_constraint(allowed: Iterable[str]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(allowed)}]"


def _render_list(values: Iterable[object]) -> str:
    """A list as the service (Java) prints it: `[a, b]`."""
    return "[" + ", ".join(str(v) for v in values) + "]"


def _render_filters(raw: Iterable[object]) -> str:
    parts = []
    for item in raw:
        if isinstance(item, Mapping):
            values = item.get("Values")
            shown = _render_list(values) if isinstance(values, (list, tuple)) else values
            parts.append(f"{{Key: {item.get('Key')},Values: {shown}}}")
        else:
            parts.append(str(item))
    return "[" + ", ".join(parts) + "]"


def _type_error(member: str, expected: str, value: object) -> ValidationException:
    # botocore rejects these before sending; only a direct caller of the backend gets here.
    return ValidationException(
        f"Invalid type for parameter {member}, value: {value!r}, type: "
        f"{type(value).__name__}, expected {expected}"
    )


# ----------------------------------------------------------------------------- matching

_Test = Callable[[Secret], bool]
_WordTest = Callable[[str], bool]
_SEP: Final = "\x00"


def _name_test(prefixes: tuple[str, ...]) -> _Test:
    def test(secret: Secret) -> bool:
        return secret.name.startswith(prefixes)

    return test


def _tags_test(prefixes: tuple[str, ...], *, of_values: bool) -> _Test:
    """Any tag key (or value) starts with one of the prefixes.

    A key starts with a prefix exactly when NUL + prefix occurs in NUL + the keys joined
    by NUL, as long as no key holds a NUL itself (counted; checked key by key if one
    does). One join and one search in C: a filter that matches few secrets has to test
    them all, and this is about 1.5x faster than a Python loop over the tags there.
    """
    needles = tuple(_SEP + p for p in prefixes)

    def test(secret: Secret) -> bool:
        tags = secret.tags
        if not tags:
            return False
        words = tags.values() if of_values else tags
        haystack = _SEP + _SEP.join(words)
        for needle in needles:
            if needle in haystack:
                if haystack.count(_SEP) == len(tags):
                    return True
                return any(word.startswith(prefixes) for word in words)
        return False

    return test


def _tag_key_test(prefixes: tuple[str, ...]) -> _Test:
    return _tags_test(prefixes, of_values=False)


def _tag_value_test(prefixes: tuple[str, ...]) -> _Test:
    return _tags_test(prefixes, of_values=True)


def _primary_region_test(prefixes: tuple[str, ...]) -> _Test:
    def test(secret: Secret) -> bool:
        region = secret.primary_region
        return region is not None and region.startswith(prefixes)

    return test


def _owning_service_test(prefixes: tuple[str, ...]) -> _Test:
    def test(secret: Secret) -> bool:
        service = secret.owning_service
        return service is not None and service.startswith(prefixes)

    return test


def _word_needles(words: Iterable[str]) -> tuple[str, ...]:
    # A space before each word: found in the space-joined words of the haystack exactly
    # when it starts one of them, since neither side contains spaces within a word.
    return tuple(" " + word for word in words)


def _words_test(value_words: list[list[str]], split: Callable[[str], list[str]]) -> _WordTest:
    """Whether, for some value, each of its words starts a word of a lower-cased text."""
    needle_sets = [_word_needles(words) for words in value_words]

    def test(text: str) -> bool:
        # Every word of a match is at least a substring of the text: a cheap rejection
        # before the text is split into words.
        if not any(all(w in text for w in words) for words in value_words):
            return False
        haystack = " " + " ".join(split(text))
        return any(all(n in haystack for n in needles) for needles in needle_sets)

    return test


def _description_test(values: tuple[str, ...]) -> _Test:
    words_match = _words_test([v.lower().split() for v in values], str.split)

    def test(secret: Secret) -> bool:
        description = secret.description
        return description is not None and words_match(description.lower())

    return test


def _all_test(values: tuple[str, ...]) -> _Test:
    words_match = _words_test([_WORD_RE.findall(v.lower()) for v in values], _WORD_RE.findall)

    def test(secret: Secret) -> bool:
        parts = [secret.name]
        if secret.description:
            parts.append(secret.description)
        if secret.tags:
            parts.extend(secret.tags)
            parts.extend(secret.tags.values())
        # NUL joins the attributes so that no word runs across two of them.
        return words_match(_SEP.join(parts).lower())

    return test


# Each builder takes the positive values of a filter and returns a test that is true when
# any of them matches.
_TEST_BUILDERS: Final[dict[str, Callable[[tuple[str, ...]], _Test]]] = {
    "name": _name_test,
    "tag-key": _tag_key_test,
    "tag-value": _tag_value_test,
    "primary-region": _primary_region_test,
    "owning-service": _owning_service_test,
    "description": _description_test,
    "all": _all_test,
}


def _negate(test: _Test) -> _Test:
    def negated(secret: Secret) -> bool:
        return not test(secret)

    return negated


def _compile_filter(flt: Filter) -> _Test:
    """One filter as a test: its plain values OR-ed with each of its negated values."""
    try:
        build = _TEST_BUILDERS[flt.key]
    except KeyError:
        raise ValueError(f"unknown filter key {flt.key!r}; parse_query rejects it") from None
    plain = tuple(v for v in flt.values if not v.startswith("!"))
    tests = [_negate(build((v[1:],))) for v in flt.values if v.startswith("!")]
    if plain:
        tests.insert(0, build(plain))
    if not tests:
        return _never
    if len(tests) == 1:
        return tests[0]

    def any_value(secret: Secret) -> bool:
        return any(value_test(secret) for value_test in tests)

    return any_value


def _never(secret: Secret) -> bool:
    return False


def _compile(filters: Sequence[Filter]) -> list[_Test]:
    """The tests a listed secret must all pass, one per filter."""
    return [_compile_filter(f) for f in filters]


def _passing(
    tests: list[_Test], secrets: Iterable[Secret], include_planned_deletion: bool
) -> Iterator[Secret]:
    """The secrets that pass every test, lazily, in the order given.

    Each test is one C-level `filter`: a per-secret generator would cost more than a
    simple test itself.
    """
    passing: Iterator[Secret] = iter(secrets)
    if not include_planned_deletion:
        passing = filter(_not_deleted, passing)
    for test in tests:
        passing = filter(test, passing)
    return passing


def _not_deleted(secret: Secret) -> bool:
    return secret.deleted_date is None


def matches(secret: Secret, filters: Sequence[Filter]) -> bool:
    """Whether a secret passes every filter (deletion state is not considered here)."""
    return all(test(secret) for test in _compile(filters))


# ------------------------------------------------------------------------------ ordering

_SortKey = Callable[[Secret], Any]


def _last_accessed(secret: Secret) -> float:
    accessed = secret.last_accessed
    return -math.inf if accessed is None else accessed


def _accessed_position(secret: Secret) -> tuple[float, int]:
    return (_last_accessed(secret), secret.seq)


_SORT_KEYS: Final[dict[str, _SortKey]] = {
    "created-date": attrgetter("created"),
    "last-changed-date": attrgetter("last_changed"),
    "last-accessed-date": _last_accessed,
    "name": attrgetter("name"),
}
# The full order, (sort key, seq), computed in C where the key is a plain attribute.
_POSITIONS: Final[dict[str, Callable[[Secret], tuple[Any, int]]]] = {
    "created-date": attrgetter("created", "seq"),
    "last-changed-date": attrgetter("last_changed", "seq"),
    "last-accessed-date": _accessed_position,
    "name": attrgetter("name", "seq"),
}
_CREATED_ORDER = _POSITIONS["created-date"]
_CREATED = attrgetter("created")


def _in_created_order(secrets: Sequence[Secret]) -> bool:
    """Whether the caller's sequence is strictly ascending by (created, seq).

    The backend keeps secrets in creation order, which is created-date order unless the
    clock went backwards (a frozen or travelling clock in a test); checking costs far less
    than sorting. Strictly increasing dates settle it alone; ties need the seq too.
    """
    created = list(map(_CREATED, secrets))
    if all(map(lt, created, islice(created, 1, None))):
        return True
    positions = list(map(_CREATED_ORDER, secrets))
    return all(map(lt, positions, islice(positions, 1, None)))


# -------------------------------------------------------------------------------- paging


@dataclass(frozen=True, slots=True)
class _Cursor:
    sort_key: Any
    seq: int


_TOKEN_KEY: Final = _random.token_bytes(32)
_NOT_OURS = "it was not issued by this service, or it was altered."


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _signature(body: str) -> str:
    return _b64encode(hmac.new(_TOKEN_KEY, body.encode("ascii"), hashlib.sha256).digest())


def _seal(payload: dict[str, Any]) -> str:
    """A payload as an opaque token: urlsafe base64 JSON, a dot, its HMAC."""
    body = _b64encode(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    return f"{body}.{_signature(body)}"


def _open(token: object, kind: str) -> dict[str, Any]:
    """The payload of a token of ours of that kind; InvalidNextTokenException otherwise."""
    if not isinstance(token, str):
        raise _invalid_token("it is not a string.")
    body, dot, signature = token.partition(".")
    if not dot or not token.isascii() or not hmac.compare_digest(signature, _signature(body)):
        raise _invalid_token(_NOT_OURS)
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, binascii.Error):
        payload = None  # signed by us yet unreadable: a format this code no longer writes
    if not isinstance(payload, dict) or payload.get("kind") != kind:
        raise _invalid_token("it belongs to another kind of listing.")
    return payload


def _invalid_token(reason: str) -> InvalidNextTokenException:
    return InvalidNextTokenException(f"The NextToken is not valid: {reason}")


def _encode_token(query: Query, last: Secret) -> str:
    key = _SORT_KEYS[query.sort_by](last)
    if isinstance(key, float) and math.isinf(key):
        key = None  # a never-accessed secret; JSON has no infinity
    return _seal(
        {
            "kind": "secrets",
            "by": query.sort_by,
            "order": query.sort_order,
            "key": key,
            "seq": last.seq,
        }
    )


def _decode_token(token: str, query: Query) -> _Cursor:
    """The cursor a token carries; InvalidNextTokenException for anything not ours."""
    payload = _open(token, "secrets")
    sort_by, sort_order = payload.get("by"), payload.get("order")
    key, seq = payload.get("key"), payload.get("seq")
    if (sort_by, sort_order) != (query.sort_by, query.sort_order):
        raise _invalid_token(
            f"it was issued for SortBy={sort_by} and SortOrder={sort_order}, but this request "
            f"has SortBy={query.sort_by} and SortOrder={query.sort_order}; start again "
            "without a NextToken."
        )
    if key is None and sort_by == "last-accessed-date":
        key = -math.inf
    expected = str if sort_by == "name" else (int, float)
    if not isinstance(key, expected) or isinstance(seq, bool) or not isinstance(seq, int):
        raise _invalid_token(_NOT_OURS)
    return _Cursor(key, seq)


def encode_offset(offset: int) -> str:
    """A NextToken for a plain positional listing (e.g. ListSecretVersionIds)."""
    return _seal({"kind": "offset", "offset": offset})


def decode_offset(token: str) -> int:
    """The offset an `encode_offset` token carries; InvalidNextTokenException otherwise."""
    offset = _open(token, "offset").get("offset")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise _invalid_token(_NOT_OURS)
    return offset


def list_page(
    secrets: Iterable[Secret] | Sequence[Secret],
    query: Query,
    max_results: int,
    next_token: str | None,
) -> tuple[list[Secret], str | None]:
    """One page of matching secrets in the query's order, and the token for the next page
    (None on the last page).

    For created-date order over secrets given in creation order (the backend's own), the
    page is found by scanning from the cursor and stopping at max_results + 1 matches, so
    it costs little when matches are common, whatever the number of secrets. Other orders
    filter everything, then select the page by partial sort (heap), not a full sort.
    """
    if max_results < 1:
        raise ValueError("max_results must be at least 1")
    cursor = None if next_token is None else _decode_token(next_token, query)
    tests = _compile(query.filters)
    items = secrets if isinstance(secrets, list) else list(secrets)
    want = max_results + 1
    descending = query.sort_order == "desc"

    if query.sort_by == "created-date" and _in_created_order(items):
        ordered = _created_scan(items, cursor, descending)
        found = list(islice(_passing(tests, ordered, query.include_planned_deletion), want))
    else:
        matching = _passing(tests, items, query.include_planned_deletion)
        found = _select(matching, query.sort_by, cursor, descending, want)

    if len(found) <= max_results:
        return found, None
    page = found[:max_results]
    return page, _encode_token(query, page[-1])


def _created_scan(items: list[Secret], cursor: _Cursor | None, descending: bool) -> list[Secret]:
    """The secrets past the cursor, in order, from a list in (created, seq) order.

    A slice copies only pointers, cheap next to testing the secrets.
    """
    if cursor is None:
        return items[::-1] if descending else items
    position = (cursor.sort_key, cursor.seq)
    if descending:
        end = bisect_left(items, position, key=_CREATED_ORDER)
        return items[end - 1 :: -1] if end else []
    return items[bisect_right(items, position, key=_CREATED_ORDER) :]


def _select(
    candidates: Iterable[Secret],
    sort_by: str,
    cursor: _Cursor | None,
    descending: bool,
    want: int,
) -> list[Secret]:
    """The first `want` candidates past the cursor in (sort key, seq) order."""
    position = _POSITIONS[sort_by]
    if cursor is not None:
        mark = (cursor.sort_key, cursor.seq)
        matched = list(candidates)
        past = mark.__gt__ if descending else mark.__lt__
        candidates = compress(matched, map(past, map(position, matched)))
    select = heapq.nlargest if descending else heapq.nsmallest
    return select(want, candidates, key=position)
