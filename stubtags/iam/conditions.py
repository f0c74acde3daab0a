"""The Condition element: operators, set operators, IfExists, missing keys.

The rules, from "IAM JSON policy elements: Condition operators" and "Conditions with
multiple context keys or values":

* Several operators in a block, and several keys under one operator, are ANDed; the
  values of one key are ORed — for a negated operator (`StringNotEquals`,
  `ArnNotLike`, `NumericNotEquals`, `DateNotEquals`, `NotIpAddress`, …) that means the
  request value must match none of them (NOR).
* A key missing from the request: false for a positive operator; **true** for a negated
  one ("If the policy condition requires that the key is not matched, such as
  StringNotLike or ArnNotLike, and the right key is not present, the condition is
  true"); true for any `...IfExists` form; `Null` tests exactly that absence.
* `ForAllValues:` is true when every request value matches some policy value (for a
  negated operator: matches none), and true when the key is missing or its set empty.
  `ForAnyValue:` is true when some request value does, false when missing or empty.
* A missing key under `ForAnyValue:...IfExists` is true: the IfExists rule, which the
  page states for every operator but Null (the combination itself is undocumented).
* A plain operator on a multivalued key matches when any request value matches (a
  negated one: when none does) — AWS says to use a set operator there (inferred).

Policy variables are allowed in String, Arn and Bool values, not in Numeric, Date,
IpAddress, Binary or Null ones.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import ipaddress
import json
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Protocol

from stubtags.iam.context import ContextKeys, Scalar, as_text
from stubtags.iam.errors import PolicyError
from stubtags.iam.variables import Var, has_variables, parse_template
from stubtags.iam.wildcards import Mode, PatternSet

Number = float | int
_Compare = Callable[[Any, Any], bool]


class _Family(Enum):
    STRING = Mode.EQUALS
    STRING_IC = Mode.EQUALS_IC
    LIKE = Mode.LIKE
    ARN = Mode.ARN
    BOOL = "bool"
    NUMERIC = "numeric"
    DATE = "date"
    IP = "ip"
    BINARY = "binary"
    NULL = "null"


# base operator -> (family, comparison for Numeric/Date, negated)
_OPERATORS: dict[str, tuple[_Family, _Compare | None, bool]] = {
    "StringEquals": (_Family.STRING, None, False),
    "StringNotEquals": (_Family.STRING, None, True),
    "StringEqualsIgnoreCase": (_Family.STRING_IC, None, False),
    "StringNotEqualsIgnoreCase": (_Family.STRING_IC, None, True),
    "StringLike": (_Family.LIKE, None, False),
    "StringNotLike": (_Family.LIKE, None, True),
    "ArnEquals": (_Family.ARN, None, False),
    "ArnLike": (_Family.ARN, None, False),
    "ArnNotEquals": (_Family.ARN, None, True),
    "ArnNotLike": (_Family.ARN, None, True),
    "Bool": (_Family.BOOL, None, False),
    "BinaryEquals": (_Family.BINARY, None, False),
    "IpAddress": (_Family.IP, None, False),
    "NotIpAddress": (_Family.IP, None, True),
    "Null": (_Family.NULL, None, False),
}
for _prefix, _family in (("Numeric", _Family.NUMERIC), ("Date", _Family.DATE)):
    _OPERATORS[f"{_prefix}Equals"] = (_family, operator.eq, False)
    _OPERATORS[f"{_prefix}NotEquals"] = (_family, operator.eq, True)
    _OPERATORS[f"{_prefix}LessThan"] = (_family, operator.lt, False)
    _OPERATORS[f"{_prefix}LessThanEquals"] = (_family, operator.le, False)
    _OPERATORS[f"{_prefix}GreaterThan"] = (_family, operator.gt, False)
    _OPERATORS[f"{_prefix}GreaterThanEquals"] = (_family, operator.ge, False)

_ALL, _ANY = "ForAllValues:", "ForAnyValue:"
_VARIABLE_FAMILIES = (_Family.STRING, _Family.STRING_IC, _Family.LIKE, _Family.ARN, _Family.BOOL)


class _Matcher(Protocol):
    def __call__(self, value: Scalar, keys: ContextKeys, /) -> bool: ...


def as_number(value: Scalar) -> Number | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def parse_date(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 date/time (`Z` or an offset) or of epoch digits."""
    number = as_number(text)
    if number is not None:
        return float(number)
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def as_epoch(value: Scalar) -> float | None:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return parse_date(value)
    return None


def _pattern_matcher(patterns: PatternSet) -> _Matcher:
    def match(value: Scalar, keys: ContextKeys) -> bool:
        return patterns.matches(as_text(value), keys)

    return match


def _ordered_matcher(
    compare: _Compare, limits: tuple[float, ...], convert: Callable[[Scalar], float | None]
) -> _Matcher:
    def match(value: Scalar, keys: ContextKeys) -> bool:
        number = convert(value)
        return number is not None and any(compare(number, limit) for limit in limits)

    return match


def _ip_matcher(networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> _Matcher:
    def match(value: Scalar, keys: ContextKeys) -> bool:
        try:
            address = ipaddress.ip_address(as_text(value))
        except ValueError:
            return False
        return any(address in network for network in networks)

    return match


def _binary_matcher(blobs: frozenset[bytes]) -> _Matcher:
    def match(value: Scalar, keys: ContextKeys) -> bool:
        if isinstance(value, bytes):
            return value in blobs
        try:
            return base64.b64decode(as_text(value), validate=True) in blobs
        except (binascii.Error, ValueError):
            return False

    return match


def _text(value: object, path: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise PolicyError(path, f"condition values must be strings, numbers or booleans, got {value!r}")


@dataclass(frozen=True, slots=True, eq=False)
class Condition:
    """One `operator: {key: values}` pair of a Condition block."""

    operator: str
    key: str
    values: tuple[str, ...]
    _lower: str
    _set: str
    _if_exists: bool
    _negated: bool
    _null: frozenset[bool]
    _match: _Matcher | None
    _variables: tuple[Var, ...] = ()

    def test(self, keys: ContextKeys) -> bool:
        values = keys.values_for(self._lower, self.key)
        if self._match is None:  # Null: "true" means the key must be absent
            return (values is None) in self._null
        if values is None:
            if self._set == _ALL or self._if_exists:
                return True
            if self._set == _ANY:
                return False
            return self._negated
        match, negated = self._match, self._negated
        if self._set == _ALL:
            return all(match(value, keys) != negated for value in values)
        if self._set == _ANY:
            return any(match(value, keys) != negated for value in values)
        return any(match(value, keys) for value in values) != negated

    def __str__(self) -> str:
        shown = self.values[0] if len(self.values) == 1 else list(self.values)
        return json.dumps({self.operator: {self.key: shown}})[1:-1]

    def explain(self, keys: ContextKeys) -> str:
        """Why this condition holds or not, in one line."""
        values = keys.values_for(self._lower, self.key)
        have = "no value" if values is None else json.dumps([as_text(v) for v in values])
        verdict = "holds" if self.test(keys) else "is false"
        resolved = [
            f"{var} is {_shown(keys.variable(var.lower, var.name))}" for var in self._variables
        ]
        where = f" ({'; '.join(resolved)})" if resolved else ""
        return f"{self} {verdict}: the request has {have} for {self.key}{where}"


def _shown(value: str | None) -> str:
    return "without value" if value is None else json.dumps(value)


def _split_operator(name: str, path: str) -> tuple[str, str, bool, str]:
    set_op = next((p for p in (_ALL, _ANY) if name.startswith(p)), "")
    base = name[len(set_op) :]
    if_exists = base.endswith("IfExists") and base[: -len("IfExists")] in _OPERATORS
    if if_exists:
        base = base[: -len("IfExists")]
    if base not in _OPERATORS:
        known = [*_OPERATORS, *(f"{o}IfExists" for o in _OPERATORS if o != "Null")]
        close = difflib.get_close_matches(name.split(":")[-1], known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise PolicyError(path, f"unknown condition operator {name!r}{hint}")
    if base == "Null" and (if_exists or set_op):
        raise PolicyError(path, f"{name!r}: Null takes neither IfExists nor a set operator")
    return set_op, base, if_exists, name


def _values_of(raw: object, path: str) -> tuple[object, ...]:
    items = tuple(raw) if isinstance(raw, list) else (raw,)
    if not items:
        raise PolicyError(path, "a condition key needs at least one value")
    return items


def _matcher(
    family: _Family,
    compare: _Compare | None,
    items: tuple[object, ...],
    variables: bool,
    path: str,
) -> _Matcher:
    texts = tuple(_text(item, path) for item in items)
    if isinstance(family.value, Mode) or family is _Family.BOOL:
        mode = Mode.EQUALS_IC if family is _Family.BOOL else family.value
        templates = [
            parse_template(text, variables=variables and family in _VARIABLE_FAMILIES, path=path)
            for text in texts
        ]
        if family is _Family.BOOL:
            bad = [
                t
                for t, tpl in zip(texts, templates, strict=True)
                if not has_variables(tpl) and t.lower() not in ("true", "false")
            ]
            if bad:
                raise PolicyError(path, f'Bool takes "true" or "false", got {bad[0]!r}')
        assert isinstance(mode, Mode)
        return _pattern_matcher(PatternSet(templates, mode))
    if family is _Family.NUMERIC:
        numbers = []
        for item, text in zip(items, texts, strict=True):
            number = as_number(item) if isinstance(item, (str, int, float)) else None
            if number is None:
                raise PolicyError(path, f"{text!r} is not a number")
            numbers.append(float(number))
        assert compare is not None
        return _ordered_matcher(compare, tuple(numbers), _as_float)
    if family is _Family.DATE:
        epochs = []
        for text in texts:
            epoch = parse_date(text)
            if epoch is None:
                raise PolicyError(
                    path,
                    f"{text!r} is not a date (ISO 8601, e.g. 2026-01-01T00:00:00Z, "
                    "or epoch seconds)",
                )
            epochs.append(epoch)
        assert compare is not None
        return _ordered_matcher(compare, tuple(epochs), as_epoch)
    if family is _Family.IP:
        try:
            networks = tuple(ipaddress.ip_network(text, strict=False) for text in texts)
        except ValueError as error:
            raise PolicyError(path, f"not an IP address or CIDR range: {error}") from None
        return _ip_matcher(networks)
    try:
        blobs = frozenset(base64.b64decode(text, validate=True) for text in texts)
    except (binascii.Error, ValueError):
        raise PolicyError(path, "BinaryEquals takes base64-encoded values") from None
    return _binary_matcher(blobs)


def _as_float(value: Scalar) -> float | None:
    number = as_number(value)
    return None if number is None else float(number)


def parse_conditions(block: object, *, variables: bool, path: str) -> tuple[Condition, ...]:
    """Compile a Condition element: `{operator: {key: value or [values]}}`."""
    if not isinstance(block, Mapping):
        raise PolicyError(path, f"Condition must be an object, got {block!r}")
    conditions: list[Condition] = []
    for name, keys in block.items():
        where = f"{path}.{name}"
        set_op, base, if_exists, _ = _split_operator(str(name), where)
        family, compare, negated = _OPERATORS[base]
        if not isinstance(keys, Mapping) or not keys:
            raise PolicyError(where, "an operator must map at least one condition key to values")
        for key, raw in keys.items():
            at = f"{where}.{key}"
            if not isinstance(key, str) or ":" not in key:
                raise PolicyError(
                    at, f"condition key {key!r} has no service prefix (e.g. aws:ResourceTag/team)"
                )
            items = _values_of(raw, at)
            texts = tuple(_text(item, at) for item in items)
            if family is _Family.NULL:
                if any(t.lower() not in ("true", "false") for t in texts):
                    raise PolicyError(at, f'Null takes "true" or "false", got {texts!r}')
                expected = frozenset(t.lower() == "true" for t in texts)
                conditions.append(
                    Condition(str(name), key, texts, key.lower(), "", False, False, expected, None)
                )
                continue
            match = _matcher(family, compare, items, variables, at)
            found: tuple[Var, ...] = ()
            if variables and family in _VARIABLE_FAMILIES:
                templates = (parse_template(text, variables=True, path=at) for text in texts)
                found = tuple(p for t in templates for p in t if isinstance(p, Var))
            conditions.append(
                Condition(
                    str(name),
                    key,
                    texts,
                    key.lower(),
                    set_op,
                    if_exists,
                    negated,
                    frozenset(),
                    match,
                    found,
                )
            )
    return tuple(conditions)
