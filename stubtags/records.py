"""`==` and `repr()` for record classes written out by hand, as `@dataclass` makes them.

Why not `@dataclass` for the records every test imports: it writes the source of each
class's methods (`__init__`, `__repr__`, `__eq__`, a frozen class's `__setattr__`, ...)
and compiles it on every import; `.pyc` files do not keep it. Measured at import of
`stubtags.lifecycle` (Python 3.11, 11 classes): 12 ms, half of the whole import, from
0.4 ms for a 4-field class to 2 ms for `Secret`. A class with `__slots__` and its own
`__init__` costs next to nothing; where its objects are compared or shown (a snapshot
in an assertion, a call handed to a test's hook), these two functions keep what
dataclasses did: the same `==` and the same text.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

# (id, thread) of the records being shown: a record met again inside itself shows "...",
# as a dataclass's repr does.
_showing: set[tuple[int, int]] = set()


def record_repr(record: object, names: tuple[str, ...]) -> str:
    """`Class(a=1, b='x')` over `names`, as a dataclass's repr shows its fields."""
    key = (id(record), threading.get_ident())
    if key in _showing:
        return "..."
    _showing.add(key)
    try:
        text = ", ".join(f"{name}={getattr(record, name)!r}" for name in names)
    finally:
        _showing.discard(key)
    return f"{type(record).__qualname__}({text})"


def record_eq(record: object, other: object, names: tuple[str, ...]) -> bool:
    """A dataclass's `==`: the same class, then `names`' values compared as a tuple;
    NotImplemented for any other class (Python then falls back to identity)."""
    if other.__class__ is not record.__class__:
        return NotImplemented  # type: ignore[no-any-return]  # as __eq__ may
    mine = tuple([getattr(record, name) for name in names])
    same: bool = mine == tuple([getattr(other, name) for name in names])
    return same


def compared(cls: type[Any]) -> tuple[str, ...]:
    """A dataclass's fields that `==` compares (`field(compare=False)` left out)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.compare)


def shown(cls: type[Any]) -> tuple[str, ...]:
    """A dataclass's fields that `repr()` shows (`field(repr=False)` left out)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.repr)
