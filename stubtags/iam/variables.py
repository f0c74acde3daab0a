"""Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`.

Per "IAM policy elements: Variables and tags":

* Variables exist only under `"Version": "2012-10-17"`; otherwise `${...}` is literal text.
* `${*}`, `${?}` and `${$}` stand for a literal `*`, `?` and `$` (not wildcards).
* A default, written `${key, 'value'}`, is used when the key has no value.
* A multivalued key can't be a variable ("Single-valued vs. multivalued context keys").
* A variable with no value and no default makes that policy value match nothing: in
  `Resource` the ARN matches no resource; in a condition the value never matches, so a
  positive operator is false for it and a negated one (`StringNotEquals`) true.

A template is parsed once, at policy parse time, into parts: raw policy text (whose
`*` and `?` are wildcards where the element allows them), `Lit` text (never a
wildcard: special variables and resolved values) and `Var` references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stubtags.iam.context import ContextKeys
from stubtags.iam.errors import PolicyError

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_INNER = re.compile(r"\s*([^\s,']+)\s*(?:,\s*'([^']*)'\s*)?")
_SPECIAL = ("*", "?", "$")


@dataclass(frozen=True, slots=True)
class Lit:
    """Text matched literally, even `*` and `?`."""

    text: str


@dataclass(frozen=True, slots=True)
class Var:
    """A reference to a context key, resolved per request."""

    name: str
    lower: str
    default: str | None

    def __str__(self) -> str:
        if self.default is None:
            return f"${{{self.name}}}"
        return f"${{{self.name}, '{self.default}'}}"


Part = str | Lit | Var
Template = tuple[Part, ...]


def parse_template(text: str, *, variables: bool, path: str) -> Template:
    """Split `text` into raw text, literals and variables (only when `variables`)."""
    if not variables or "${" not in text:
        return (text,)
    parts: list[Part] = []
    position = 0
    for found in _VARIABLE.finditer(text):
        if found.start() > position:
            parts.append(text[position : found.start()])
        inner = found.group(1)
        if inner in _SPECIAL:
            parts.append(Lit(inner))
        else:
            reference = _INNER.fullmatch(inner)
            if reference is None:
                raise PolicyError(
                    path,
                    f"malformed policy variable {found.group(0)!r} in {text!r}: expected "
                    "${key} or ${key, 'default'}",
                )
            name = reference.group(1)
            parts.append(Var(name, name.lower(), reference.group(2)))
        position = found.end()
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def has_variables(template: Template) -> bool:
    return any(type(part) is Var for part in template)


def has_wildcards(template: Template) -> bool:
    return any(type(part) is str and ("*" in part or "?" in part) for part in template)


def resolve(template: Template, keys: ContextKeys) -> Template | None:
    """The template with each variable replaced by a `Lit`; None if one has no value."""
    resolved: list[Part] = []
    for part in template:
        if type(part) is Var:
            value = keys.variable(part.lower, part.name)
            if value is None:
                if part.default is None:
                    return None
                value = part.default
            resolved.append(Lit(value))
        else:
            resolved.append(part)
    return tuple(resolved)


def text_of(template: Template) -> str:
    """The template as plain text (variables must be resolved already)."""
    out: list[str] = []
    for part in template:
        if isinstance(part, Var):
            raise TypeError(f"unresolved policy variable {part}")
        out.append(part if isinstance(part, str) else part.text)
    return "".join(out)


def source_of(template: Template) -> str:
    """The template as the policy wrote it, for messages."""
    out: list[str] = []
    for part in template:
        if type(part) is Lit:
            out.append(f"${{{part.text}}}")
        else:
            out.append(str(part))
    return "".join(out)
