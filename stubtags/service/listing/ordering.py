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

`list_page` takes the secrets as an iterable in the store's creation order, so a
per-region index kept in another order can later be passed in without changing callers.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, islice
from operator import attrgetter, lt
from typing import Any, Final

from stubtags.service import tokens
from stubtags.service.errors import TOKEN_NOT_OURS, invalid_next_token, token_of_another_order
from stubtags.service.listing.filters import Filter, compile_filters, passing
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

    The store keeps secrets in creation order, which is created-date order unless the
    clock went backwards (a frozen or travelling clock in a test); checking costs far less
    than sorting. Strictly increasing dates settle it alone; ties need the seq too.
    """
    created = list(map(_CREATED, secrets))
    if all(map(lt, created, islice(created, 1, None))):
        return True
    positions = list(map(_CREATED_ORDER, secrets))
    return all(map(lt, positions, islice(positions, 1, None)))


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
    secrets: Iterable[Secret] | Sequence[Secret],
    query: Query,
    max_results: int,
    next_token: str | None,
) -> tuple[list[Secret], str | None]:
    """One page of matching secrets in the query's order, and the token for the next page
    (None on the last page).

    For created-date order over secrets given in creation order (the store's own), the
    page is found by scanning from the cursor and stopping at max_results + 1 matches, so
    it costs little when matches are common, whatever the number of secrets. Other orders
    filter everything, then select the page by partial sort (heap), not a full sort.
    """
    if max_results < 1:
        raise ValueError("max_results must be at least 1")
    cursor = None if next_token is None else _decode_cursor(next_token, query)
    tests = compile_filters(query.filters)
    items = secrets if isinstance(secrets, list) else list(secrets)
    want = max_results + 1
    descending = query.sort_order == "desc"

    if query.sort_by == "created-date" and _in_created_order(items):
        ordered = _created_scan(items, cursor, descending)
        found = list(islice(passing(tests, ordered, query.include_planned_deletion), want))
    else:
        matching = passing(tests, items, query.include_planned_deletion)
        found = _select(matching, query.sort_by, cursor, descending, want)

    if len(found) <= max_results:
        return found, None
    page = found[:max_results]
    return page, _encode_cursor(query, page[-1])


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
