"""Context keys: the condition keys of a request and their values, looked up by name.

Condition key names are case-insensitive, the tag-key part of `aws:ResourceTag/TagKey1`
included ("IAM JSON policy elements: Condition"), so keys are stored under their
lower-cased name. When two names differ only in case (a secret may carry both `Env`
and `env` tags) a policy's exact spelling is preferred, then the first one given —
AWS only says such a key matches one "but not both" (inferred).

An empty list is treated exactly like a missing key: that is what the documented
rules need ("Conditions with multiple context keys or values": ForAllValues is true
and ForAnyValue false for both a missing key and an empty set).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone

Scalar = str | bool | int | float | datetime | bytes
ContextValue = Scalar | Sequence[Scalar]


def as_text(value: Scalar) -> str:
    """The string form a String or Arn operator compares (and a policy variable inserts)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso_time(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def iso_time(moment: datetime) -> str:
    """`2026-11-28T12:00:00Z`: the ISO 8601 form the condition-keys page shows."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# (name as given, values, multivalued?): a plain tuple, built ~20 times per request.
_Entry = tuple[str, tuple[Scalar, ...], bool]
_SCALARS = (str, bytes, bool, int, float, datetime)
_SCALAR_TYPES = frozenset(_SCALARS)  # exact types: the fast path of `_add`


def _entry(name: str, value: ContextValue) -> _Entry:
    if isinstance(value, _SCALARS):
        return (name, (value,), False)
    if isinstance(value, Sequence):
        return (name, tuple(value), True)
    raise TypeError(
        f"context key {name!r}: expected str, bool, number, datetime, bytes or a list of "
        f"them, got {type(value).__name__}"
    )


class ContextKeys(Mapping[str, tuple[Scalar, ...]]):
    """An immutable, case-insensitive mapping of condition key → values.

    Indexing returns the values as a tuple (one element for a single-valued key).
    """

    __slots__ = ("_by_lower", "_variants")

    def __init__(self, keys: Mapping[str, ContextValue] | None = None) -> None:
        self._by_lower: dict[str, _Entry] = {}
        self._variants: dict[str, tuple[_Entry, ...]] = {}
        if keys:
            self._add(keys)

    def _add(self, keys: Mapping[str, ContextValue]) -> None:
        """Only while constructing: a layer of keys, which replaces every spelling of
        its names set before it; within the layer the first spelling wins."""
        layer: dict[str, _Entry] = {}
        variants: dict[str, tuple[_Entry, ...]] = {}
        for name, value in keys.items():
            kind = type(value)
            if kind in _SCALAR_TYPES:
                entry: _Entry = (name, (value,), False)  # type: ignore[assignment]
            elif kind is list or kind is tuple:
                entry = (name, tuple(value), True)  # type: ignore[arg-type]
            else:
                entry = _entry(name, value)
            lower = name.lower()
            first = layer.setdefault(lower, entry)
            if first is not entry:
                variants[lower] = (*variants.get(lower, (first,)), entry)
        if self._variants:
            for lower in layer:
                self._variants.pop(lower, None)
        self._by_lower.update(layer)
        if variants:
            self._variants.update(variants)

    def _find(self, lower: str, exact: str) -> _Entry | None:
        if self._variants and lower in self._variants:
            for entry in self._variants[lower]:
                if entry[0] == exact:
                    return entry
        return self._by_lower.get(lower)

    def values_for(self, lower: str, exact: str) -> tuple[Scalar, ...] | None:
        """The values of a key (`lower` pre-lowered by the caller), None if missing or empty."""
        if self._variants and lower in self._variants:
            entry = self._find(lower, exact)
        else:
            entry = self._by_lower.get(lower)
        if entry is None or not entry[1]:
            return None
        return entry[1]

    def variable(self, lower: str, exact: str) -> str | None:
        """The text a policy variable resolves to: None unless present and single-valued.

        "Single-valued vs. multivalued context keys": a multivalued key can't be a variable.
        """
        entry = self._find(lower, exact)
        if entry is None or entry[2] or len(entry[1]) != 1:
            return None
        return as_text(entry[1][0])

    def with_keys(
        self,
        *updates: Mapping[str, ContextValue],
        without_prefixes: Iterable[str] = (),
    ) -> ContextKeys:
        """A copy without the keys starting with any of `without_prefixes`, plus `updates`.

        Each mapping of `updates` replaces the keys of any spelling set before it. For
        re-checking a request against other resource tags, e.g.
        `without_prefixes=("aws:ResourceTag/", "secretsmanager:ResourceTag/")`.
        """
        prefixes = tuple(p.lower() for p in without_prefixes)
        copy = ContextKeys()
        if prefixes:
            copy._by_lower = {k: v for k, v in self._by_lower.items() if not k.startswith(prefixes)}
            copy._variants = {k: v for k, v in self._variants.items() if not k.startswith(prefixes)}
        else:
            copy._by_lower = self._by_lower.copy()
            copy._variants = self._variants.copy()
        for layer in updates:
            copy._add(layer)
        return copy

    def __getitem__(self, name: str) -> tuple[Scalar, ...]:
        entry = self._find(name.lower(), name)
        if entry is None:
            raise KeyError(name)
        return entry[1]

    def __iter__(self) -> Iterator[str]:
        for lower, entry in self._by_lower.items():
            for each in self._variants.get(lower, (entry,)):
                yield each[0]

    def __len__(self) -> int:
        return sum(len(self._variants.get(lower, (1,))) for lower in self._by_lower)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name!r}: {self[name]!r}" for name in self)
        return f"ContextKeys({{{shown}}})"
