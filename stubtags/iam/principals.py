"""The Principal and NotPrincipal elements of resource-based policies.

Per "AWS JSON policy elements: Principal": `"*"` or `{"AWS": "*"}` is everyone; an
account ID or `arn:aws:iam::ACCOUNT:root` is the account; user, role and role-session
ARNs name those principals, and a role ARN also covers the role's sessions. No
wildcard may stand for part of a principal ARN.

How a statement names the caller matters to "Policy evaluation logic": a grant to
the user, role or session itself (or to everyone) is `Grant.DIRECT` and allows within
the account even when no identity-based policy does; a grant to the account is
`Grant.ACCOUNT` — a delegation, which needs an identity-based Allow as well.

NotPrincipal excludes a caller only when each link of its chain is listed: the
account, then (for a session) the role, then the principal itself. That reproduces
"AWS JSON policy elements: NotPrincipal": with Deny, listing a user without their
account still denies the user (AWS "might validate the account first") — inferred
from that page's warnings, which do not say when AWS does so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

from stubtags.iam.callers import Caller, parse_principal_arn
from stubtags.iam.errors import PolicyError

_ACCOUNT = re.compile(r"\d{12}")
_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")


class Grant(IntEnum):
    NONE = 0
    ACCOUNT = 1
    DIRECT = 2


@dataclass(frozen=True, slots=True)
class PrincipalSet:
    """The principals one Principal (or NotPrincipal) element lists, ready to test."""

    everyone: bool = False
    accounts: frozenset[str] = frozenset()
    arns: frozenset[str] = frozenset()
    roles: frozenset[tuple[str, str]] = frozenset()
    services: frozenset[str] = frozenset()

    def grant(self, caller: Caller) -> Grant:
        if self.everyone or caller.arn in self.arns:
            return Grant.DIRECT
        if caller.kind == "service":
            return Grant.DIRECT if caller.arn in self.services else Grant.NONE
        if caller.kind == "assumed-role" and (caller.account, caller.name) in self.roles:
            return Grant.DIRECT
        if caller.account in self.accounts:
            return Grant.ACCOUNT
        return Grant.NONE

    def excludes(self, caller: Caller) -> bool:
        """NotPrincipal: is the caller's whole chain listed?"""
        if self.everyone:
            return True
        if caller.kind == "service":
            return caller.arn in self.services
        if caller.account not in self.accounts:
            return False
        if caller.kind == "root":
            return True
        if caller.kind == "assumed-role" and (caller.account, caller.name) not in self.roles:
            return False
        return caller.arn in self.arns


def _aws_entry(
    entry: str,
    path: str,
    accounts: set[str],
    arns: set[str],
    roles: set[tuple[str, str]],
) -> bool:
    """Add one "AWS" principal; True when it is "*"."""
    if entry == "*":
        return True
    if _ACCOUNT.fullmatch(entry):
        accounts.add(entry)
        return False
    if "*" in entry or "?" in entry:
        raise PolicyError(
            path, f"principal {entry!r}: a wildcard can't stand for part of a principal ARN"
        )
    try:
        caller = parse_principal_arn(entry)
    except ValueError:
        raise PolicyError(
            path,
            f'principal {entry!r} is not "*", an account ID, or the ARN of an account '
            "root, user, role, role session or federated user",
        ) from None
    if caller.kind == "root":
        accounts.add(caller.account)
    else:
        arns.add(entry)
        if caller.kind == "role":
            roles.add((caller.account, caller.name))
    return False


def parse_principal(raw: object, path: str) -> PrincipalSet:
    if raw == "*":
        return PrincipalSet(everyone=True)
    if not isinstance(raw, Mapping) or not raw:
        raise PolicyError(
            path, f'must be "*" or an object such as {{"AWS": "123456789012"}}, got {raw!r}'
        )
    everyone = False
    accounts: set[str] = set()
    arns: set[str] = set()
    roles: set[tuple[str, str]] = set()
    services: set[str] = set()
    for kind, value in raw.items():
        if kind not in _TYPES:
            raise PolicyError(path, f"unknown principal type {kind!r}; expected one of {_TYPES}")
        entries = value if isinstance(value, list) else [value]
        if not entries or not all(isinstance(e, str) and e for e in entries):
            raise PolicyError(path, f"{kind} takes a string or a list of strings, got {value!r}")
        for entry in entries:
            if kind == "AWS":
                everyone = _aws_entry(entry, path, accounts, arns, roles) or everyone
            elif kind == "Service":
                services.add(entry)
            # Federated and CanonicalUser principals never call through botocore's
            # IAM credentials here: they are accepted and match no caller.
    return PrincipalSet(
        everyone, frozenset(accounts), frozenset(arns), frozenset(roles), frozenset(services)
    )
