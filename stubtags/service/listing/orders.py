"""A region's secrets kept in every ListSecrets order, updated on each change.

Each order is a list sorted by (sort key, seq); seq makes every position unique, so
a secret is found by bisection and moved in O(log N) plus a pointer shift. A page is
then a bisection to the cursor and a scan that stops at the page's last match: walking
every page of a listing costs O(N) overall, in any order, instead of a sort per page.

The lists are kept by the three places sort keys change: `AccountRegion.create` and
`remove` (name, created), `model.touch` (last changed) and `versions.read_value` (last
accessed), all through `Orders`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, Final

from stubtags.service.model import Secret

Position = Callable[[Secret], tuple[Any, int]]


def _accessed_position(secret: Secret) -> tuple[float, int]:
    accessed = secret.last_accessed
    return (-math.inf if accessed is None else accessed, secret.seq)


# The full order of each SortBy, (sort key, seq); never-accessed secrets come first.
POSITIONS: Final[dict[str, Position]] = {
    "created-date": attrgetter("created", "seq"),
    "last-changed-date": attrgetter("last_changed", "seq"),
    "last-accessed-date": _accessed_position,
    "name": attrgetter("name", "seq"),
}
_SORT_BY_OF: Final = {"last_changed": "last-changed-date", "last_accessed": "last-accessed-date"}


class Orders:
    """One region's secrets, sorted once per SortBy."""

    __slots__ = ("_lists",)

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        members = list(secrets)
        self._lists = {by: sorted(members, key=key) for by, key in POSITIONS.items()}

    def sorted_by(self, sort_by: str) -> list[Secret]:
        """The live list in ascending order: read it, never change it."""
        return self._lists[sort_by]

    def add(self, secret: Secret) -> None:
        for by, items in self._lists.items():
            key = POSITIONS[by]
            # A new secret mostly sorts last (newest, never accessed): no bisection then.
            if not items or key(items[-1]) < key(secret):
                items.append(secret)
            else:
                insort(items, secret, key=key)

    def discard(self, secret: Secret) -> None:
        for by, items in self._lists.items():
            _take(items, secret, POSITIONS[by])

    def set_date(self, secret: Secret, attribute: str, value: float) -> None:
        """Set `last_changed` or `last_accessed`, keeping that order's list sorted."""
        if getattr(secret, attribute) == value:
            return  # same key, same place: a create's first version, calls in frozen time
        taken = self.take(secret, attribute)
        setattr(secret, attribute, value)
        if taken:
            self.put(secret, attribute)

    def take(self, secret: Secret, attribute: str) -> bool:
        """Out of the order of `attribute` before its value changes elsewhere (a replica's
        date is its primary's); `put` puts it back once it has."""
        by = _SORT_BY_OF[attribute]
        return _take(self._lists[by], secret, POSITIONS[by])

    def put(self, secret: Secret, attribute: str) -> None:
        by = _SORT_BY_OF[attribute]
        insort(self._lists[by], secret, key=POSITIONS[by])


def _take(items: list[Secret], secret: Secret, key: Position) -> bool:
    index = bisect_left(items, key(secret), key=key)
    if index < len(items) and items[index] is secret:
        del items[index]
        return True
    return False
