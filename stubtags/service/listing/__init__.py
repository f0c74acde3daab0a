"""The listing engine of ListSecrets and BatchGetSecretValue's Filters, by job.

`filters` decides which secrets match; `ordering` sorts them and selects a page; the
page tokens are `service.tokens`, shared with ListSecretVersionIds. Requests are read
and checked into a `Query` by `operations.listing`.

The names below are imported on first use: the store keeps its sorted orders
(`listing.orders`) from its first secret, but a test that never lists pays nothing
for filters and paging (issue #10).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stubtags.service.listing.filters import FILTER_KEYS, Filter, matches
    from stubtags.service.listing.ordering import SORT_FIELDS, SORT_ORDERS, Query, list_page

_WHERE = {
    "FILTER_KEYS": "filters",
    "Filter": "filters",
    "matches": "filters",
    "SORT_FIELDS": "ordering",
    "SORT_ORDERS": "ordering",
    "Query": "ordering",
    "list_page": "ordering",
}

__all__ = ["FILTER_KEYS", "SORT_FIELDS", "SORT_ORDERS", "Filter", "Query", "list_page", "matches"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # looked up once
    return value
