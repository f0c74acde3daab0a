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


_NEVER = -math.inf


def _accessed_position(secret: Secret) -> tuple[float, int]:
    accessed = secret.last_accessed
    return (_NEVER if accessed is None else accessed, secret.seq)


# The full order of each SortBy, (sort key, seq); never-accessed secrets come first.
POSITIONS: Final[dict[str, Position]] = {
    "created-date": attrgetter("created", "seq"),
    "last-changed-date": attrgetter("last_changed", "seq"),
    "last-accessed-date": _accessed_position,
    "name": attrgetter("name", "seq"),
}
_KEYS: Final = tuple(POSITIONS.values())  # in the order of `Orders._lists`
# The orders whose positions are attribute reads (in C), for `Orders.add`.
_BY_ATTRIBUTES: Final = tuple((by, k) for by, k in POSITIONS.items() if k is not _accessed_position)
# Sort keys alone, for a secret of the highest seq (`Orders.add_new`): no tuple to build.
_CREATED: Final = attrgetter("created")
_CHANGED: Final = attrgetter("last_changed")
_NAME: Final = attrgetter("name")
# The dates set through `Orders`: their SortBy and position.
_DATED: Final = {
    "last_changed": ("last-changed-date", POSITIONS["last-changed-date"]),
    "last_accessed": ("last-accessed-date", POSITIONS["last-accessed-date"]),
}


class Orders:
    """One region's secrets, sorted once per SortBy."""

    __slots__ = ("_changed", "_lists")

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        members = list(secrets)
        self._lists = {by: sorted(members, key=key) for by, key in POSITIONS.items()}
        self._changed = self._lists["last-changed-date"]  # what every change reads

    def sorted_by(self, sort_by: str) -> list[Secret]:
        """The live list in ascending order: read it, never change it."""
        return self._lists[sort_by]

    def add(self, secret: Secret) -> None:
        lists = self._lists
        for by, key in _BY_ATTRIBUTES:
            items = lists[by]
            # A new secret mostly sorts last (newest): no bisection then.
            if items and key(secret) < key(items[-1]):
                insort(items, secret, key=key)
            else:
                items.append(secret)
        items = lists["last-accessed-date"]
        # Never accessed, it mostly follows other never-accessed ones (older, a lower seq):
        # last, without a call to `_accessed_position`.
        if secret.last_accessed is None and (
            not items or (items[-1].last_accessed is None and items[-1].seq < secret.seq)
        ):
            items.append(secret)
        else:
            insort(items, secret, key=_accessed_position)

    def add_new(self, secret: Secret) -> None:
        """`add` for a secret `AccountRegion.create` (or replication) just made: it has the
        highest seq yet (`Store`'s counter), was created and changed at the same moment and
        never accessed, so it goes last in each order unless a later date (moved clocks) or
        name is there.
        The rule of `add`, with each position compared field by field, not in a tuple: with
        the highest seq, a secret goes after every equal sort key, where `insort` (to the
        right) puts it by that key alone."""
        lists = self._lists
        items = lists["created-date"]
        if items and items[-1].created > secret.created:
            insort(items, secret, key=_CREATED)
        else:
            items.append(secret)
        items = lists["last-changed-date"]
        if items and items[-1].last_changed > secret.last_changed:
            insort(items, secret, key=_CHANGED)
        else:
            items.append(secret)
        items = lists["last-accessed-date"]
        if items and items[-1].last_accessed is not None:  # never accessed ones come first
            insort(items, secret, key=_accessed_position)
        else:
            items.append(secret)
        items = lists["name"]
        if items and items[-1].name > secret.name:
            insort(items, secret, key=_NAME)
        else:
            items.append(secret)

    def discard(self, secret: Secret) -> None:
        for items, key in zip(self._lists.values(), _KEYS, strict=True):
            if items and items[-1] is secret:  # `_take`'s first step, without a call
                del items[-1]
            else:
                _take(items, secret, key)

    def set_changed(self, secret: Secret, value: float) -> None:
        """`set_date` of `last_changed`, what every change (`model.touch`) calls."""
        items = self._changed
        if items and items[-1] is secret and secret.last_changed < value:
            # Mostly the secret changed last changes again: last it stays.
            secret.last_changed = value
        else:
            self.set_date(secret, "last_changed", value)

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
        by, key = _DATED[attribute]
        return _take(self._lists[by], secret, key)

    def put(self, secret: Secret, attribute: str) -> None:
        by, key = _DATED[attribute]
        insort(self._lists[by], secret, key=key)


def _take(items: list[Secret], secret: Secret, key: Position) -> bool:
    if items and items[-1] is secret:  # mostly the newest, or the last changed
        del items[-1]
        return True
    index = bisect_left(items, key(secret), key=key)
    if index < len(items) and items[index] is secret:
        del items[index]
        return True
    return False
