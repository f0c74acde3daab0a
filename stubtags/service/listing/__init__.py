"""The listing engine of ListSecrets and BatchGetSecretValue's Filters, by job.

`filters` decides which secrets match; `ordering` sorts them and selects a page; the
page tokens are `service.tokens`, shared with ListSecretVersionIds. Requests are read
and checked into a `Query` by `operations.listing`.
"""

from stubtags.service.listing.filters import FILTER_KEYS, Filter, matches
from stubtags.service.listing.ordering import SORT_FIELDS, SORT_ORDERS, Query, list_page

__all__ = ["FILTER_KEYS", "SORT_FIELDS", "SORT_ORDERS", "Filter", "Query", "list_page", "matches"]
