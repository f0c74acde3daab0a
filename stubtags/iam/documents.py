"""Parsing a policy document into an immutable, precompiled `Policy`.

Validation follows the IAM JSON policy element pages; every problem raises
`PolicyError` (a ValueError) whose message names the policy, the statement (index and
Sid) and the element. Element names and the Effect values are case-sensitive.

Identity-based policies carry no Principal ("AWS JSON policy elements: Principal":
"You cannot use the Principal element in an identity-based policy"); each statement
of a resource-based policy names one with Principal or NotPrincipal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from stubtags.iam.conditions import Condition, parse_conditions
from stubtags.iam.context import ContextKeys
from stubtags.iam.errors import PolicyError
from stubtags.iam.principals import Grant, PrincipalSet, parse_principal
from stubtags.iam.request import RequestContext
from stubtags.iam.variables import parse_template
from stubtags.iam.wildcards import Mode, PatternSet, check_action, check_resource
from stubtags.policy_language import (
    STATEMENT_ELEMENTS,
    TOP_LEVEL_ELEMENTS,
    VARIABLES_VERSION,
    VERSIONS,
)

_ACTION_CACHE = 256
_NO_KEYS = ContextKeys()


class PolicyKind(str, Enum):
    IDENTITY = "identity"
    RESOURCE = "resource"

    @property
    def label(self) -> str:
        """The words AWS's denial messages use: "identity-based policy" and the like."""
        return f"{self.value}-based policy"


@dataclass(frozen=True, slots=True, eq=False)
class Statement:
    """One compiled statement. `text` is the statement as given, as compact JSON."""

    index: int
    sid: str | None
    allow: bool
    actions: PatternSet
    not_action: bool
    resources: PatternSet
    not_resource: bool
    principals: PrincipalSet | None
    not_principal: bool
    conditions: tuple[Condition, ...]
    text: str

    @property
    def effect(self) -> str:
        return "Allow" if self.allow else "Deny"

    def matches_action(self, request: RequestContext) -> bool:
        return self.actions.matches(request.action_lower, request.keys) != self.not_action

    def matches_resource(self, request: RequestContext) -> bool:
        return self.resources.matches(request.resource, request.keys) != self.not_resource

    def applies(self, request: RequestContext) -> bool:
        """Action, Resource and Condition all match (the Principal is checked apart)."""
        if self.actions.matches(request.action_lower, request.keys) == self.not_action:
            return False
        return self.applies_to_resource(request)

    def applies_to_resource(self, request: RequestContext) -> bool:
        """Resource and Condition match: for a statement already known to cover the action."""
        keys = request.keys
        if self.resources.matches(request.resource, keys) == self.not_resource:
            return False
        for condition in self.conditions:  # noqa: SIM110 (a loop beats all() here)
            if not condition.test(keys):
                return False
        return True

    def grant(self, request: RequestContext) -> Grant:
        """How the Principal element names the caller (DIRECT without one)."""
        if self.principals is None:
            return Grant.DIRECT
        if self.not_principal:
            return Grant.NONE if self.principals.excludes(request.caller) else Grant.DIRECT
        return self.principals.grant(request.caller)

    def __str__(self) -> str:
        return f"statement {self.sid!r} (#{self.index})" if self.sid else f"statement #{self.index}"


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    """A parsed policy: build with `Policy.identity(doc)` or `Policy.resource(doc)`."""

    kind: PolicyKind
    statements: tuple[Statement, ...]
    version: str | None = None
    id: str | None = None
    name: str | None = None
    _by_action: dict[str, tuple[Statement, ...]] = field(
        default_factory=dict, init=False, repr=False
    )

    def statements_for(self, action: str) -> tuple[Statement, ...]:
        """The statements whose Action/NotAction covers `action` (lower-cased), memoized:
        Action takes no policy variables, so this is fixed per policy."""
        found = self._by_action.get(action)
        if found is None:
            if len(self._by_action) >= _ACTION_CACHE:
                self._by_action.clear()
            found = tuple(
                s for s in self.statements if s.actions.matches(action, _NO_KEYS) != s.not_action
            )
            self._by_action[action] = found
        return found

    @classmethod
    def identity(cls, document: str | bytes | Mapping[str, Any], name: str | None = None) -> Policy:
        return parse_policy(document, PolicyKind.IDENTITY, name=name)

    @classmethod
    def resource(cls, document: str | bytes | Mapping[str, Any], name: str | None = None) -> Policy:
        return parse_policy(document, PolicyKind.RESOURCE, name=name)

    def __str__(self) -> str:
        return f"{self.kind.label} {self.name!r}" if self.name else self.kind.label


def _strings(value: object, path: str, element: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise PolicyError(path, f"{element} must not be an empty list")
    strings: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item:
            raise PolicyError(path, f"{element} takes strings, got {item!r}")
        strings.append(item)
    return tuple(strings)


def _one_of(
    raw: Mapping[str, Any], names: tuple[str, str], path: str, required: bool
) -> str | None:
    present = [name for name in names if name in raw]
    if len(present) == 2:
        raise PolicyError(path, f"has both {names[0]} and {names[1]}; use one")
    if not present and required:
        raise PolicyError(path, f"needs {names[0]} or {names[1]}")
    return present[0] if present else None


def _statement(
    raw: object, index: int, kind: PolicyKind, variables: bool, prefix: str
) -> Statement:
    path = f"{prefix}Statement[{index}]"
    if not isinstance(raw, Mapping):
        raise PolicyError(path, f"a statement must be an object, got {raw!r}")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError(path, f"Sid must be a string, got {sid!r}")
    if sid:
        path = f"{path} (Sid {sid!r})"
    unknown = [name for name in raw if name not in STATEMENT_ELEMENTS]
    if unknown:
        raise PolicyError(
            path, f"unknown element {unknown[0]!r}; a statement has {', '.join(STATEMENT_ELEMENTS)}"
        )
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(path, f'Effect must be "Allow" or "Deny", got {effect!r}')

    action_name = _one_of(raw, ("Action", "NotAction"), path, required=True)
    assert action_name is not None
    actions = _strings(raw[action_name], f"{path}.{action_name}", action_name)
    for action in actions:
        check_action(action, f"{path}.{action_name}")

    resource_name = _one_of(raw, ("Resource", "NotResource"), path, required=True)
    assert resource_name is not None
    where = f"{path}.{resource_name}"
    texts = _strings(raw[resource_name], where, resource_name)
    templates = [parse_template(text, variables=variables, path=where) for text in texts]
    for text, template in zip(texts, templates, strict=True):
        check_resource(text, template, where)

    principal_name = _one_of(
        raw, ("Principal", "NotPrincipal"), path, required=kind is PolicyKind.RESOURCE
    )
    if principal_name is not None and kind is PolicyKind.IDENTITY:
        raise PolicyError(
            path, f"an identity-based policy can't name a principal ({principal_name})"
        )
    principals = (
        parse_principal(raw[principal_name], f"{path}.{principal_name}") if principal_name else None
    )
    conditions = (
        parse_conditions(raw["Condition"], variables=variables, path=f"{path}.Condition")
        if "Condition" in raw
        else ()
    )
    return Statement(
        index=index,
        sid=sid or None,
        allow=effect == "Allow",
        actions=PatternSet([(action,) for action in actions], Mode.ACTION),
        not_action=action_name == "NotAction",
        resources=PatternSet(templates, Mode.ARN),
        not_resource=resource_name == "NotResource",
        principals=principals,
        not_principal=principal_name == "NotPrincipal",
        conditions=conditions,
        text=json.dumps(raw, separators=(",", ":"), default=str),
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _load(document: str | bytes | Mapping[str, Any], prefix: str) -> Mapping[str, Any]:
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document, parse_constant=_reject_constant)
        except ValueError as error:
            raise PolicyError(prefix.rstrip(": "), f"not valid JSON: {error}") from None
    if not isinstance(document, Mapping):
        raise PolicyError(
            prefix.rstrip(": "),
            f"a policy document is a JSON object, got {type(document).__name__}",
        )
    return document


def parse_policy(
    document: str | bytes | Mapping[str, Any],
    kind: PolicyKind = PolicyKind.IDENTITY,
    *,
    name: str | None = None,
) -> Policy:
    """Validate and compile a policy document (a JSON string or a decoded dict).

    Raises PolicyError (a ValueError) naming what is wrong and where.
    """
    label = f"{kind.label} {name!r}" if name else kind.label
    prefix = f"{label}: "
    raw = _load(document, prefix)
    unknown = [key for key in raw if key not in TOP_LEVEL_ELEMENTS]
    if unknown:
        raise PolicyError(
            label, f"unknown element {unknown[0]!r}; a policy has {', '.join(TOP_LEVEL_ELEMENTS)}"
        )
    version = raw.get("Version")
    if version is not None and version not in VERSIONS:
        raise PolicyError(label, f"Version must be one of {', '.join(VERSIONS)}, got {version!r}")
    policy_id = raw.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise PolicyError(label, f"Id must be a string, got {policy_id!r}")
    if "Statement" not in raw:
        raise PolicyError(label, "has no Statement")
    body = raw["Statement"]
    items = body if isinstance(body, list) else [body]
    if not items:
        raise PolicyError(label, "Statement must not be an empty list")
    variables = version == VARIABLES_VERSION
    statements = tuple(
        _statement(item, index, kind, variables, f"{label}: ") for index, item in enumerate(items)
    )
    if kind is PolicyKind.IDENTITY:
        seen: set[str] = set()
        for statement in statements:
            if statement.sid in seen:
                raise PolicyError(
                    label, f"Sid {statement.sid!r} is used twice; Sids must be unique in a policy"
                )
            if statement.sid:
                seen.add(statement.sid)
    return Policy(kind, statements, version, policy_id, name)
