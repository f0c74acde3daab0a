"""A request context: the standard global keys of a caller, and the question itself.

`Identity` holds what is fixed for a principal (ARN, account, type, tags, user ID) as
prebuilt context keys, so a request adds only its own keys: the cheap path for a
caller evaluated on every API call. `RequestContext.create` does it all in one go.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from stubtags.iam.callers import Caller, parse_principal_arn
from stubtags.iam.context import ContextKeys, ContextValue

_PRINCIPAL_TYPES = {
    "user": "User",
    "role": "AssumedRole",
    "assumed-role": "AssumedRole",
    "federated-user": "FederatedUser",
    "root": "Account",
}


@lru_cache(maxsize=1024)
def _unique_id(prefix: str, arn: str) -> str:
    # The shape of "IAM identifiers: Unique identifiers" (AIDA… users, AROA… roles);
    # the characters are a stable digest of the ARN, not anything AWS would issue.
    digest = base64.b32encode(hashlib.sha256(arn.encode()).digest()).decode()
    return prefix + digest[:17]


def principal_keys(
    principal_arn: str,
    *,
    principal_tags: Mapping[str, str] | None = None,
    userid: str | None = None,
    role_arn: str | None = None,
) -> dict[str, ContextValue]:
    """The global keys fixed for a principal: its ARN, account, type, IDs and tags.

    Per "AWS global condition context keys" and the principal table of "IAM policy
    elements: Variables and tags": `aws:PrincipalArn` is the role's ARN for a role
    session (pass `role_arn` when the role has a path); `aws:username` exists for IAM
    users only; `aws:userid` is `ROLEID:SESSION` for a session, the account ID for
    root. The generated unique IDs are stand-ins (inferred); pass `userid` to choose.
    """
    caller = parse_principal_arn(principal_arn)
    keys: dict[str, ContextValue] = {}
    if caller.kind == "service":
        return keys
    keys["aws:PrincipalAccount"] = caller.account
    keys["aws:PrincipalType"] = _PRINCIPAL_TYPES[caller.kind]
    if caller.kind == "assumed-role":
        role = role_arn or caller.role_arn
        keys["aws:PrincipalArn"] = role
        keys["aws:userid"] = userid or f"{_unique_id('AROA', role)}:{caller.session}"
    else:
        keys["aws:PrincipalArn"] = caller.arn
        if caller.kind == "root":
            keys["aws:userid"] = userid or caller.account
        elif caller.kind == "federated-user":
            keys["aws:userid"] = userid or f"{caller.account}:{caller.name}"
        else:
            keys["aws:userid"] = userid or _unique_id(
                "AIDA" if caller.kind == "user" else "AROA", caller.arn
            )
    if caller.kind == "user":
        keys["aws:username"] = caller.name
    for tag_key, tag_value in (principal_tags or {}).items():
        keys[f"aws:PrincipalTag/{tag_key}"] = tag_value
    return keys


def environment_keys(
    *, region: str | None = None, now: datetime | None = None, secure_transport: bool = True
) -> dict[str, ContextValue]:
    """The per-request global keys: `aws:CurrentTime`, `aws:EpochTime`,
    `aws:SecureTransport` and (given a region) `aws:RequestedRegion`."""
    moment = now if now is not None else datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    keys: dict[str, ContextValue] = {
        "aws:CurrentTime": moment,
        "aws:EpochTime": int(moment.timestamp()),
        "aws:SecureTransport": secure_transport,
    }
    if region is not None:
        keys["aws:RequestedRegion"] = region
    return keys


def standard_keys(
    principal_arn: str,
    *,
    principal_tags: Mapping[str, str] | None = None,
    region: str | None = None,
    now: datetime | None = None,
    secure_transport: bool = True,
    userid: str | None = None,
    role_arn: str | None = None,
) -> dict[str, ContextValue]:
    """`environment_keys(...)` plus `principal_keys(...)`: every global key stubtags sets."""
    keys = environment_keys(region=region, now=now, secure_transport=secure_transport)
    keys.update(
        principal_keys(
            principal_arn, principal_tags=principal_tags, userid=userid, role_arn=role_arn
        )
    )
    return keys


class Identity:
    """A caller and its fixed context keys, built once (e.g. when a test registers it).

    `identity.request(action, resource, keys)` then adds only the per-request keys.
    """

    __slots__ = ("arn", "caller", "keys")

    def __init__(
        self,
        principal_arn: str,
        *,
        principal_tags: Mapping[str, str] | None = None,
        userid: str | None = None,
        role_arn: str | None = None,
    ) -> None:
        self.arn = principal_arn
        self.caller = parse_principal_arn(principal_arn)
        self.keys = ContextKeys(
            principal_keys(
                principal_arn, principal_tags=principal_tags, userid=userid, role_arn=role_arn
            )
        )

    def request(
        self,
        action: str,
        resource: str = "*",
        keys: Mapping[str, ContextValue] | None = None,
        *,
        region: str | None = None,
        now: datetime | None = None,
        secure_transport: bool = True,
    ) -> RequestContext:
        """The question for one call; `keys` (service keys) win over the standard ones."""
        updates = environment_keys(region=region, now=now, secure_transport=secure_transport)
        layered = self.keys.with_keys(updates, keys) if keys else self.keys.with_keys(updates)
        return RequestContext(self.arn, action, resource, layered)

    def __repr__(self) -> str:
        return f"Identity({self.arn!r})"


def tag_keys(prefix: str, tags: Mapping[str, str]) -> dict[str, ContextValue]:
    """`{"<prefix>/<key>": value}` for each tag, e.g. `tag_keys("aws:ResourceTag", tags)`."""
    return {f"{prefix}/{key}": value for key, value in tags.items()}


def _resource_account(resource: str) -> str:
    parts = resource.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[0] == "arn" else ""


@dataclass(frozen=True, slots=True)
class RequestContext:
    """One authorization question: may `principal_arn` do `action` on `resource`?

    `resource` is the target's ARN, or "*" for an action on no resource (ListSecrets).
    Build one with `RequestContext.create(...)`, which adds the standard global keys.
    """

    principal_arn: str
    action: str
    resource: str = "*"
    keys: ContextKeys = field(default_factory=ContextKeys)
    caller: Caller = field(init=False, repr=False, compare=False)
    action_lower: str = field(init=False, repr=False, compare=False)
    resource_account: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.keys, ContextKeys):
            object.__setattr__(self, "keys", ContextKeys(self.keys))
        object.__setattr__(self, "caller", parse_principal_arn(self.principal_arn))
        object.__setattr__(self, "action_lower", self.action.lower())
        object.__setattr__(self, "resource_account", _resource_account(self.resource))

    @classmethod
    def create(
        cls,
        principal_arn: str,
        action: str,
        resource: str = "*",
        *,
        principal_tags: Mapping[str, str] | None = None,
        region: str | None = None,
        now: datetime | None = None,
        secure_transport: bool = True,
        userid: str | None = None,
        role_arn: str | None = None,
        keys: Mapping[str, ContextValue] | None = None,
    ) -> RequestContext:
        """The context with `standard_keys(...)` plus `keys` (which win on a clash)."""
        identity = Identity(
            principal_arn, principal_tags=principal_tags, userid=userid, role_arn=role_arn
        )
        return identity.request(
            action, resource, keys, region=region, now=now, secure_transport=secure_transport
        )

    @property
    def principal_account(self) -> str:
        return self.caller.account

    @property
    def same_account(self) -> bool:
        """True when the resource is the caller's account's (or the action has none)."""
        return self.resource_account in ("", self.caller.account)

    def with_keys(
        self, updates: Mapping[str, ContextValue], *, without_prefixes: Iterable[str] = ()
    ) -> RequestContext:
        """The same question with other context keys (see `ContextKeys.with_keys`)."""
        keys = self.keys.with_keys(updates, without_prefixes=without_prefixes)
        return RequestContext(self.principal_arn, self.action, self.resource, keys)

    def with_action(self, action: str) -> RequestContext:
        return RequestContext(self.principal_arn, action, self.resource, self.keys)
