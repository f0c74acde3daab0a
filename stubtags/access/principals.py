"""Who calls: registered principals, their credentials, and the account's root user.

A test registers an IAM user, a role or a role session with `backend.principal(...)`;
calls signed with the credentials it gets back act as that principal. Credentials
that name no registered principal (or none at all) act as the `acting_as` principal
if one is set, else as the account's root user — who may do everything, as it would
with no permissions in play (issue 9's opt-in rule).

The registry (`Access`) is part of the `MockState`, so nested mocks share it; it exists
only once a principal was registered, which is what keeps calls without one free.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from stubtags.access.rules import reads_time, tag_references
from stubtags.iam import Identity, Policy, parse_principal_arn

_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # base32, as AWS access key ids use
_SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
DEFAULT_SESSION = "stubtags"  # the session name a registered role acts under (inferred)


@dataclass(frozen=True, slots=True)
class RootCaller:
    """The account's root user: the caller of credentials that name no principal."""

    account_id: str
    access_key: str | None = None
    kind: str = "Root"
    name: str | None = None
    role_arn: str | None = None
    session_name: str | None = None

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"


@dataclass(frozen=True, slots=True)
class CallerRecord:
    """A registered principal as `Call.caller` names it (what the call record reads):
    `arn` is the ARN AWS names the caller by — for a role, its session's."""

    arn: str
    account_id: str
    kind: str
    access_key: str
    name: str | None = None
    role_arn: str | None = None
    session_name: str | None = None


class Principal:
    """A registered caller: `.arn`, `.credentials` for `boto3.client(**credentials)`.

    `kind` is "IAMUser" or "AssumedRole" (CloudTrail's userIdentity types). A role
    registered by its role ARN acts as a session of that role named "stubtags":
    messages and records then name `arn:aws:sts::ACCOUNT:assumed-role/ROLE/stubtags`
    (`caller_arn`), as AWS names a role's caller. Register the assumed-role ARN
    itself to choose the session name.
    """

    __slots__ = (
        "access_key",
        "account_id",
        "arn",
        "caller_arn",
        "decisions",
        "identity",
        "kind",
        "name",
        "policies",
        "record",
        "role_arn",
        "secret_key",
        "session_name",
        "tag_references",
        "tags",
        "timeless",
    )

    def __init__(
        self,
        arn: str,
        policies: Sequence[Policy],
        tags: Mapping[str, str],
        access_key: str,
        secret_key: str,
    ) -> None:
        caller = parse_principal_arn(arn)
        self.arn = arn
        self.account_id = caller.account
        self.access_key = access_key
        self.secret_key = secret_key
        self.name = caller.name
        self.role_arn: str | None = None
        self.session_name: str | None = None
        if caller.kind == "user":
            self.kind = "IAMUser"
            self.caller_arn = arn
        else:
            self.kind = "AssumedRole"
            self.role_arn = arn if caller.kind == "role" else caller.role_arn
            self.session_name = caller.session or DEFAULT_SESSION
            self.caller_arn = (
                arn
                if caller.kind == "assumed-role"
                else f"arn:{caller.partition}:sts::{caller.account}:assumed-role/"
                f"{caller.name}/{self.session_name}"
            )
        self.record = CallerRecord(
            self.caller_arn,
            self.account_id,
            self.kind,
            access_key,
            self.name,
            self.role_arn,
            self.session_name,
        )
        self.policies: tuple[Policy, ...] = ()
        self.tags: dict[str, str] = {}
        self.tag_references: frozenset[str] | None = frozenset()
        self.timeless = True
        self.decisions: dict[tuple[object, ...], Any] = {}
        self.identity = Identity(self.caller_arn)
        self.update(policies, tags)

    def update(self, policies: Sequence[Policy], tags: Mapping[str, str]) -> None:
        self.policies = tuple(policies)
        self.tags = dict(tags)
        self.identity = Identity(self.caller_arn, principal_tags=self.tags, role_arn=self.role_arn)
        # The resource tag keys its policies read: only those can change its decisions.
        texts = [statement.text for policy in self.policies for statement in policy.statements]
        self.tag_references = tag_references(texts)
        # Decisions are remembered per question unless a policy reads the clock (the
        # only context key that moves on its own); new policies or tags forget them.
        self.timeless = not any(reads_time(text) for text in texts)
        self.decisions = {}

    @property
    def credentials(self) -> dict[str, str]:
        """`{"aws_access_key_id": ..., "aws_secret_access_key": ...}` for boto3."""
        return {"aws_access_key_id": self.access_key, "aws_secret_access_key": self.secret_key}

    def __repr__(self) -> str:
        return f"<stubtags Principal {self.arn} policies={len(self.policies)}>"


def _new_key(prefix: str, taken: Mapping[str, Any]) -> str:
    while True:
        key = prefix + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))
        if key not in taken:
            return key


def _parse_policies(arn: str, policies: object) -> list[Policy]:
    """Policy documents (dicts, JSON text or `Policy`), as a list or a {name: doc} dict."""
    if isinstance(policies, (str, bytes)) or (
        isinstance(policies, Mapping) and "Statement" in policies
    ):
        raise TypeError(
            f"policies takes a list of policy documents (or a dict of name -> document), "
            f"got one document: wrap it in a list, policies=[...], for {arn}"
        )
    if isinstance(policies, Mapping):
        named: list[tuple[str | None, object]] = [(str(k), v) for k, v in policies.items()]
    elif isinstance(policies, Sequence):
        named = [(None, document) for document in policies]
    else:
        raise TypeError(f"policies must be a list of policy documents, got {policies!r}")
    parsed: list[Policy] = []
    for name, document in named:
        if isinstance(document, Policy):
            parsed.append(document)
        elif isinstance(document, (str, bytes, Mapping)):
            parsed.append(Policy.identity(document, name=name))  # PolicyError: a ValueError
        else:
            raise TypeError(
                f"each policy is a dict, JSON text or stubtags.iam.Policy, got "
                f"{type(document).__name__} {document!r}"
            )
    return parsed


def _check_tags(tags: object) -> dict[str, str]:
    if not isinstance(tags, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    ):
        raise TypeError(f"tags must be a dict of str -> str (the principal's tags), got {tags!r}")
    return dict(tags)


@dataclass(eq=False)
class Access:
    """The registered principals of one mock state, by access key and by ARN."""

    by_key: dict[str, Principal] = field(default_factory=dict)
    by_arn: dict[str, Principal] = field(default_factory=dict)
    acting: list[Principal] = field(default_factory=list)
    # Actions re-checked by the lock-out rule besides the call's own (TagResource or
    # UntagResource): refused when the change would take one of them away.
    lockout_actions: frozenset[str] = frozenset()

    def register(self, arn: object, policies: object = (), tags: object = None) -> Principal:
        """Register (or update: same ARN, same credentials) a principal."""
        if not isinstance(arn, str):
            raise TypeError(f"arn must be a string (a principal ARN), got {arn!r}")
        kind = parse_principal_arn(arn).kind  # ValueError naming the accepted forms
        if kind not in ("user", "role", "assumed-role"):
            raise ValueError(
                f"arn must name an IAM user, a role or a role session, got {arn!r}"
                + (
                    ": credentials that name no principal act as the account's root user"
                    if kind == "root"
                    else ""
                )
            )
        parsed = _parse_policies(arn, policies)
        principal_tags = _check_tags({} if tags is None else tags)
        found = self.by_arn.get(arn)
        if found is not None:
            found.update(parsed, principal_tags)
            return found
        prefix = "AKIA" if kind == "user" else "ASIA"
        secret_key = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(40))
        principal = Principal(
            arn, parsed, principal_tags, _new_key(prefix, self.by_key), secret_key
        )
        self.by_key[principal.access_key] = principal
        self.by_arn[arn] = principal
        return principal

    def caller(self, access_key: str | None, account_id: str) -> Principal | RootCaller:
        """Who signs with `access_key`: its principal, else the acting one, else root."""
        found = self.by_key.get(access_key) if access_key is not None else None
        if found is not None:
            return found
        if self.acting:
            return self.acting[-1]
        return RootCaller(account_id, access_key)

    def resolve(self, principal: object) -> Principal:
        """A registered principal, given as itself or by its ARN."""
        if isinstance(principal, Principal):
            if self.by_arn.get(principal.arn) is not principal:
                raise ValueError(f"{principal!r} is not registered with this mock")
            return principal
        if isinstance(principal, str):
            found = self.by_arn.get(principal)
            if found is None:
                raise ValueError(
                    f"no principal {principal!r} is registered: use backend.principal(...)"
                )
            return found
        raise TypeError(f"expected a Principal from backend.principal(...), got {principal!r}")

    @contextmanager
    def acting_as(self, principal: object) -> Iterator[Principal]:
        found = self.resolve(principal)
        self.acting.append(found)
        try:
            yield found
        finally:  # the innermost entry: the same principal may be nested in itself
            del self.acting[len(self.acting) - 1 - self.acting[::-1].index(found)]

    def set_lockout_actions(self, actions: object) -> None:
        if isinstance(actions, str) or not isinstance(actions, (Sequence, set, frozenset)):
            raise TypeError(
                f"lockout_actions takes a set of actions such as "
                f'{{"secretsmanager:GetSecretValue"}}, got {actions!r}'
            )
        for action in actions:
            if not isinstance(action, str) or action.count(":") != 1 or "*" in action:
                raise ValueError(
                    f"lockout_actions: {action!r} is not an action name such as "
                    f'"secretsmanager:GetSecretValue"'
                )
        self.lockout_actions = frozenset(actions)
