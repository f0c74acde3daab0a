"""Ordering and paging of ListSecrets (and BatchGetSecretValue's Filters).

Results are ordered by the `SortBy` field, ties broken by creation order (`seq`), both in
the `SortOrder` direction, so a descending list is exactly the ascending one reversed.
`last-accessed-date` puts never-accessed secrets first when ascending (oldest).

NextToken is a keyset cursor: the sort key and `seq` of the last item returned, with the
sort field and direction, sealed by `service.tokens`. The next page starts strictly after
that position, so secrets created or deleted between calls neither repeat nor push others
out of the listing; only a secret whose sort key itself changes between pages (last
changed/accessed) can move across the cursor.

Inferred (no document or recording found): default SortOrder `asc` (oldest first) for
every SortBy; a NextToken only when more matches exist; name ordering is by code point
(upper case before lower case).

`list_page` reads the region's `Orders` (listing.orders), which keep every order
sorted as secrets change.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter
from typing import Any, Final

from stubtags.service import tokens
from stubtags.service.errors import TOKEN_NOT_OURS, invalid_next_token, token_of_another_order
from stubtags.service.listing.filters import Filter, compile_filters, passing
from stubtags.service.listing.orders import POSITIONS, Orders, Position
from stubtags.service.model import Secret

SORT_FIELDS: Final = ("created-date", "last-accessed-date", "last-changed-date", "name")
SORT_ORDERS: Final = ("asc", "desc")
DEFAULT_SORT_BY: Final = "created-date"
DEFAULT_SORT_ORDER: Final = "asc"  # inferred: the service does not document a direction
_TOKEN_KIND: Final = "secrets"


@dataclass(frozen=True, slots=True)
class Query:
    """What to list, checked; paging (MaxResults, NextToken) travels separately."""

    filters: tuple[Filter, ...] = ()
    sort_by: str = DEFAULT_SORT_BY
    sort_order: str = DEFAULT_SORT_ORDER
    include_planned_deletion: bool = False


_SortKey = Callable[[Secret], Any]


def _last_accessed(secret: Secret) -> float:
    accessed = secret.last_accessed
    return -math.inf if accessed is None else accessed


_SORT_KEYS: Final[dict[str, _SortKey]] = {
    "created-date": attrgetter("created"),
    "last-changed-date": attrgetter("last_changed"),
    "last-accessed-date": _last_accessed,
    "name": attrgetter("name"),
}


@dataclass(frozen=True, slots=True)
class _Cursor:
    sort_key: Any
    seq: int


def _encode_cursor(query: Query, last: Secret) -> str:
    key = _SORT_KEYS[query.sort_by](last)
    if isinstance(key, float) and math.isinf(key):
        key = None  # a never-accessed secret; JSON has no infinity
    payload = {"by": query.sort_by, "order": query.sort_order, "key": key, "seq": last.seq}
    return tokens.seal(_TOKEN_KIND, payload)


def _decode_cursor(token: str, query: Query) -> _Cursor:
    """The cursor a token carries; InvalidNextTokenException for anything not ours."""
    payload = tokens.unseal(token, _TOKEN_KIND)
    sort_by, sort_order = payload.get("by"), payload.get("order")
    key, seq = payload.get("key"), payload.get("seq")
    if (sort_by, sort_order) != (query.sort_by, query.sort_order):
        raise token_of_another_order(sort_by, sort_order, query.sort_by, query.sort_order)
    if key is None and sort_by == "last-accessed-date":
        key = -math.inf
    expected = str if sort_by == "name" else (int, float)
    if not isinstance(key, expected) or isinstance(seq, bool) or not isinstance(seq, int):
        raise invalid_next_token(TOKEN_NOT_OURS)
    return _Cursor(key, seq)


def list_page(
    secrets: Orders | Iterable[Secret],
    query: Query,
    max_results: int,
    next_token: str | None,
) -> tuple[list[Secret], str | None]:
    """One page of matching secrets in the query's order, and the token for the next page
    (None on the last page).

    The region's `Orders` keep its secrets sorted in every order, so a page is a
    bisection to the cursor and a scan that stops at max_results + 1 matches. Any other
    iterable (a unit test's list) is sorted first.
    """
    if max_results < 1:
        raise ValueError("max_results must be at least 1")
    cursor = None if next_token is None else _decode_cursor(next_token, query)
    orders = secrets if isinstance(secrets, Orders) else Orders(secrets)
    items = orders.sorted_by(query.sort_by)
    ordered = _past(items, POSITIONS[query.sort_by], cursor, query.sort_order == "desc")
    tests = compile_filters(query.filters)
    found = list(islice(passing(tests, ordered, query.include_planned_deletion), max_results + 1))
    if len(found) <= max_results:
        return found, None
    page = found[:max_results]
    return page, _encode_cursor(query, page[-1])


def _past(
    items: list[Secret], position: Position, cursor: _Cursor | None, descending: bool
) -> Iterator[Secret]:
    """The secrets after the cursor, in the query's direction, without copying the list."""
    if not descending:
        start = (
            0
            if cursor is None
            else bisect_right(items, (cursor.sort_key, cursor.seq), key=position)
        )
        return islice(items, start, None)
    end = (
        len(items)
        if cursor is None
        else bisect_left(items, (cursor.sort_key, cursor.seq), key=position)
    )
    return islice(reversed(items), len(items) - end, None)
