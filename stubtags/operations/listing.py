"""ListSecrets, and the request reading it shares with BatchGetSecretValue's Filters.

`parse_query` reads Filters, SortBy, SortOrder, IncludePlannedDeletion, MaxResults and
NextToken into a typed `Query`. botocore checks only types, required members and
minimums before sending (and the interceptor checks those when client-side validation
is off), so the maximums, enums and patterns are judged here, as the service does.

Inferred (no document or recording found): all constraint violations of a request are
reported in one ValidationException, in the model's member order; lists are printed
Java-style (`[a, b]`); the enum set of filter keys is listed in model order; a filter
without Key is an InvalidParameterException `Invalid filter key` (Key is not a required
member of the model, so the request validation lets it through), one without Values an
InvalidParameterException `Invalid filter values for key: <key>`, in that order; the
default page size is the limit (100 for ListSecrets, 20 for BatchGetSecretValue).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from stubtags.operations.common import Params, Reply, describe, fresh_reply
from stubtags.service.errors import (
    INVALID_FILTER_KEY,
    InvalidParameterException,
    filter_values_missing,
    not_in_enum,
    not_matching,
    too_large,
    too_long,
    too_short,
    too_small,
    validation_error,
)
from stubtags.service.listing import (
    FILTER_KEYS,
    SORT_FIELDS,
    SORT_ORDERS,
    Filter,
    Query,
    list_page,
)
from stubtags.service.listing.ordering import DEFAULT_SORT_BY, DEFAULT_SORT_ORDER
from stubtags.service.store import AccountRegion

MAX_FILTERS: Final = 10
MAX_VALUES: Final = 10
MAX_VALUE_LENGTH: Final = 512
MAX_RESULTS: Final = 100
NEXT_TOKEN_MAX: Final = 4096
VALUE_PATTERN: Final = r"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$"

_VALUE_RE = re.compile(VALUE_PATTERN)


@fresh_reply
def list_secrets(region: AccountRegion, params: Params) -> Reply:
    query, max_results, token = parse_query(params)
    page, next_token = list_page(region.secrets.orders, query, max_results, token)
    entries = [describe(s, "SecretVersionsToStages", replication=False) for s in page]
    reply: Reply = {"SecretList": entries}
    if next_token is not None:
        reply["NextToken"] = next_token
    return reply


def parse_query(
    params: Params, *, max_results_limit: int = MAX_RESULTS
) -> tuple[Query, int, str | None]:
    """The request's (query, max_results, next_token); every violation reported at once."""
    problems: list[str] = []
    include: bool = params.get("IncludePlannedDeletion") or False

    max_results: int | None = params.get("MaxResults")
    if max_results is None:
        max_results = max_results_limit
    elif max_results > max_results_limit:
        problems.append(too_large(max_results, "maxResults", max_results_limit))
    elif max_results < 1:
        problems.append(too_small(max_results, "maxResults", 1))

    next_token: str | None = params.get("NextToken")
    if next_token is not None:
        if len(next_token) > NEXT_TOKEN_MAX:
            problems.append(too_long(next_token, "nextToken", NEXT_TOKEN_MAX))
        elif not next_token:
            problems.append(too_short(next_token, "nextToken", 1))

    filters, missing_key, missing_values = _read_filters(params.get("Filters"), problems)

    sort_order: str = params.get("SortOrder", DEFAULT_SORT_ORDER)
    if sort_order not in SORT_ORDERS:
        problems.append(not_in_enum(sort_order, "sortOrder", SORT_ORDERS))
    sort_by: str = params.get("SortBy", DEFAULT_SORT_BY)
    if sort_by not in SORT_FIELDS:
        problems.append(not_in_enum(sort_by, "sortBy", SORT_FIELDS))

    if problems:
        raise validation_error(*problems)
    if missing_key:
        raise InvalidParameterException(INVALID_FILTER_KEY)
    if missing_values is not None:
        # Values is optional in the model, so the request validation lets a missing list
        # through and the operation itself refuses it.
        raise filter_values_missing(missing_values)
    query = Query(filters, sort_by, sort_order, include)
    return query, max_results, next_token


def _read_filters(
    raw: Sequence[Mapping[str, Any]] | None, problems: list[str]
) -> tuple[tuple[Filter, ...], bool, str | None]:
    """The checked filters, whether one has no Key, and the key of the first filter that
    has no Values."""
    if raw is None:
        return (), False, None
    if len(raw) > MAX_FILTERS:
        problems.append(too_long(_render_filters(raw), "filters", MAX_FILTERS))
    filters: list[Filter] = []
    missing_key = False
    missing_values: str | None = None
    for number, item in enumerate(raw, 1):
        where = f"filters.{number}.member"
        key: str | None = item.get("Key")
        if key is None:
            missing_key = True
        elif key not in FILTER_KEYS:
            problems.append(not_in_enum(key, f"{where}.key", FILTER_KEYS))
        values: list[str] | None = item.get("Values")
        if values is None:
            if missing_values is None:
                missing_values = "null" if key is None else key
            continue
        if not values:
            problems.append(too_short("[]", f"{where}.values", 1))
        elif len(values) > MAX_VALUES:
            problems.append(too_long(_render_list(values), f"{where}.values", MAX_VALUES))
        for index, value in enumerate(values, 1):
            value_where = f"{where}.values.{index}.member"
            if len(value) > MAX_VALUE_LENGTH:
                problems.append(too_long(value, value_where, MAX_VALUE_LENGTH))
            if not _VALUE_RE.fullmatch(value):
                problems.append(not_matching(value, value_where, VALUE_PATTERN))
        if key is not None:
            filters.append(Filter(key, tuple(values)))
    return tuple(filters), missing_key, missing_values


def _render_list(values: Iterable[object]) -> str:
    """A list as the service (Java) prints it: `[a, b]`."""
    return "[" + ", ".join(str(v) for v in values) + "]"


def _render_filters(raw: Iterable[Mapping[str, Any]]) -> str:
    parts = []
    for item in raw:
        values = item.get("Values")
        shown = values if values is None else _render_list(values)
        parts.append(f"{{Key: {item.get('Key')},Values: {shown}}}")
    return "[" + ", ".join(parts) + "]"
