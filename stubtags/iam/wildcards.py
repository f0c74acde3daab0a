"""Matching a request value against a list of policy strings, compiled once.

Modes, each from the IAM user guide:

* ACTION ("IAM JSON policy elements: Action"): case-insensitive, `*` and `?`.
* ARN ("IAM JSON policy elements: Resource"; the ARN operators of "Condition
  operators"): case-sensitive; each of the six colon-delimited components is matched
  separately, so in partition, service, region and account a wildcard never spans a
  `:`; in the resource component (after the fifth colon) `*` spans anything, `/`,
  `-` and `:` included. A lone `*` matches everything.
* LIKE (`StringLike`): case-sensitive, `*` and `?` anywhere, spanning anything.
* EQUALS / EQUALS_IC (`StringEquals`, `StringEqualsIgnoreCase`, `Bool`): no wildcards.

Variable-free strings become a frozenset (exact ones) and one alternation regex
(wildcard ones) at parse time; only strings with policy variables are resolved per
request, and their regexes are cached by source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache

from stubtags.iam.context import ContextKeys
from stubtags.iam.errors import PolicyError
from stubtags.iam.variables import (
    Lit,
    Template,
    Var,
    has_variables,
    has_wildcards,
    resolve,
    source_of,
    text_of,
)

_WILDCARD_SPLIT = re.compile(r"([*?])")
_ARN_SEGMENTS = 6


class Mode(Enum):
    EQUALS = "equals"
    EQUALS_IC = "equals-ignore-case"
    LIKE = "like"
    ARN = "arn"
    ACTION = "action"


def regex_source(template: Template, arn: bool) -> str:
    """A regex (for `fullmatch`) for a resolved template."""
    out: list[str] = []
    colons = 0
    for part in template:
        if type(part) is str:
            for piece in _WILDCARD_SPLIT.split(part):
                if piece == "*":
                    out.append("[^:]*" if arn and colons < _ARN_SEGMENTS - 1 else ".*")
                elif piece == "?":
                    out.append("[^:]" if arn and colons < _ARN_SEGMENTS - 1 else ".")
                elif piece:
                    out.append(re.escape(piece))
                    colons += piece.count(":")
        elif type(part) is Lit:
            out.append(re.escape(part.text))
            colons += part.text.count(":")
        else:
            raise TypeError(f"unresolved policy variable {part}")
    return "".join(out)


@lru_cache(maxsize=4096)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source, re.DOTALL)


class _Dynamic:
    """One policy string with variables: resolved against each request's keys."""

    __slots__ = ("arn", "fold", "only", "template", "wild")

    def __init__(self, template: Template, mode: Mode) -> None:
        self.template = template
        self.fold = mode is Mode.EQUALS_IC
        self.arn = mode is Mode.ARN
        self.wild = mode in (Mode.LIKE, Mode.ARN) and has_wildcards(template)
        only = template[0] if len(template) == 1 else None
        self.only = only if isinstance(only, Var) else None

    def matches(self, value: str, keys: ContextKeys) -> bool:
        only = self.only
        if only is not None:  # the common `"${aws:PrincipalTag/team}"`: no assembly
            text = keys.variable(only.lower, only.name)
            if text is None:
                text = only.default
                if text is None:
                    return False
            return text.lower() == value if self.fold else text == value
        resolved = resolve(self.template, keys)
        if resolved is None:
            return False
        if self.wild:
            return _compiled(regex_source(resolved, self.arn)).fullmatch(value) is not None
        text = text_of(resolved)
        return text.lower() == value if self.fold else text == value


class PatternSet:
    """The strings of one policy element (or one condition key): does a value match any?

    For EQUALS_IC the caller passes the value as is; folding happens here.
    """

    __slots__ = ("dynamic", "exact", "fold", "match_all", "mode", "regex", "sources")

    def __init__(self, templates: Sequence[Template], mode: Mode) -> None:
        self.mode = mode
        self.fold = mode is Mode.EQUALS_IC
        self.sources = tuple(source_of(t) for t in templates)
        exact: set[str] = set()
        wild: list[str] = []
        dynamic: list[_Dynamic] = []
        match_all = False
        for template in templates:
            if has_variables(template):
                dynamic.append(_Dynamic(template, mode))
                continue
            if mode in (Mode.EQUALS, Mode.EQUALS_IC) or not has_wildcards(template):
                text = text_of(template)
                exact.add(text.lower() if mode in (Mode.EQUALS_IC, Mode.ACTION) else text)
            elif template == ("*",):
                match_all = True
            else:
                source = regex_source(template, mode is Mode.ARN)
                wild.append(source.lower() if mode is Mode.ACTION else source)
        self.match_all = match_all
        self.exact = frozenset(exact)
        self.dynamic = tuple(dynamic)
        self.regex = _compiled("|".join(f"(?:{w})" for w in wild)) if wild else None

    def matches(self, value: str, keys: ContextKeys) -> bool:
        if self.match_all:
            return True
        if self.fold:
            value = value.lower()
        if value in self.exact:
            return True
        regex = self.regex
        if regex is not None and regex.fullmatch(value) is not None:
            return True
        if self.dynamic:
            for each in self.dynamic:
                if each.matches(value, keys):
                    return True
        return False

    def __repr__(self) -> str:
        return f"PatternSet({list(self.sources)!r}, {self.mode.value})"


def check_action(text: str, path: str) -> None:
    """`*` or `service:action`, the service prefix without wildcards."""
    if text == "*":
        return
    service, colon, name = text.partition(":")
    if not colon or not name or not re.fullmatch(r"[A-Za-z0-9-]+", service):
        raise PolicyError(
            path,
            f'action {text!r} is not "*" or "service:action" (e.g. '
            '"secretsmanager:TagResource", "secretsmanager:*")',
        )


def check_resource(text: str, template: Template, path: str) -> None:
    """`*` or an ARN of six components; no wildcard in the service component and no
    variable before the fifth colon ("IAM JSON policy elements: Resource"; "IAM policy
    elements: Variables and tags")."""
    if text == "*":
        return
    parts = text.split(":", _ARN_SEGMENTS - 1)
    if len(parts) < _ARN_SEGMENTS or parts[0] != "arn":
        raise PolicyError(
            path,
            f'resource {text!r} must be "*" or an ARN '
            "(arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)",
        )
    if "*" in parts[2] or "?" in parts[2]:
        raise PolicyError(
            path, f"resource {text!r}: a wildcard can't stand in the service part of an ARN"
        )
    colons = 0
    for part in template:
        if isinstance(part, Var):
            if colons < _ARN_SEGMENTS - 1:
                raise PolicyError(
                    path,
                    f"resource {text!r}: a policy variable may only appear after the "
                    "fifth colon (the resource part of the ARN)",
                )
            break
        colons += (part if isinstance(part, str) else part.text).count(":")
