"""One botocore class attribute replaced while a mock runs, and put back after.

Someone else (a tracer, a test's `mock.patch`) may wrap ours meanwhile, or take it
away with a patch of their own: ours is put back only if it is still on top (else it
stays under theirs, inert once no mock runs), and installed again at the next start
if it is no longer anywhere in the chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class AttributePatch:
    """`owner.name` replaced by a wrapper of the original, while installed."""

    def __init__(self, owner: type[Any], name: str) -> None:
        self._owner = owner
        self._name = name
        self._installed: tuple[Any, Any] | None = None  # (the original, ours)

    def install(self, wrap: Callable[[Any], Any]) -> None:
        """Put `wrap(original)` in place, unless ours still is (maybe under another)."""
        current = self._owner.__dict__.get(self._name)
        if self._installed is not None and in_chain(current, self._installed[1]):
            return
        original = self._owner.__dict__[self._name]
        wrapper = wrap(original)
        self._installed = (original, wrapper)
        setattr(self._owner, self._name, wrapper)

    def remove(self) -> None:
        if self._installed is not None:
            original, ours = self._installed
            if self._owner.__dict__.get(self._name) is ours:
                setattr(self._owner, self._name, original)
                self._installed = None


def in_chain(attribute: Any, wrapper: Any) -> bool:
    """Whether `wrapper` is `attribute` or sits under it in a chain of `__wrapped__`:
    whether a wrapper of ours is still in place, maybe under someone else's."""
    for _ in range(32):  # a bound on the walk, in case of a cycle
        if attribute is wrapper:
            return True
        attribute = getattr(attribute, "__wrapped__", None)
        if attribute is None:
            return False
    return False
