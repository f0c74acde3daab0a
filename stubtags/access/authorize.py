"""The authorize stage with principals in play: who calls, may they, and the lock-out rule.

Order ("Policy evaluation logic", and what AWS answers): authorization comes before
the secret is looked up for the operation, so a denied caller gets AccessDenied even
for a missing secret; an allowed one then gets ResourceNotFoundException.

The question asked for a secret is on the secret's ARN. For a secret that does not
exist, it is on the ARN the SecretId names, or (a name) on
`arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME` without the random suffix
(inferred), and the message names the SecretId as given (recorded). CreateSecret is
asked on the ARN the new secret would have (a fresh random suffix; inferred).

Cross-account: a SecretId that is an ARN of another account lands in that account,
and identity-based and resource-based policies must both allow. Anything else lands
in the caller's account, so ListSecrets never lists another account's secrets.

The lock-out rule (TagResource/UntagResource, "If successfully completing this
operation would result in you losing your permissions for this secret, then the
operation is blocked"): once every other check passed, inside the operation, the same
action is asked again for the same caller against the tags the secret would have;
each action of `lockout_actions` too, counting only one the caller has now and would
lose. Denied: refused with the implicit-deny message, nothing changed. AWS documents
no algorithm; this one is inferred.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from stubtags.access.principals import Access, Principal, RootCaller
from stubtags.access.rules import (
    RULES,
    SM,
    Keys,
    Rule,
    reads_time,
    secret_keys,
    tag_references,
)
from stubtags.iam import Decision, Identity, Policy, Reason, RequestContext, evaluate
from stubtags.iam.request import environment_keys
from stubtags.service.errors import AccessDeniedException, ServiceError, access_denied
from stubtags.service.gate import Gate
from stubtags.service.identity import new_arn, partition_of
from stubtags.service.model import Secret

if TYPE_CHECKING:
    from stubtags.backend import Backend
    from stubtags.pipeline import Call

Caller = Principal | RootCaller
_MEMO_SIZE = 1024
_EXPLICIT = (Reason.EXPLICIT_DENY_IDENTITY, Reason.EXPLICIT_DENY_RESOURCE)


@lru_cache(maxsize=512)
def resource_policy(text: str) -> Policy:
    """A stored resource policy, parsed once per distinct text (PutResourcePolicy made
    sure it parses)."""
    return Policy.resource(text)


def policy_of(secret: Secret | None) -> Policy | None:
    if secret is None or secret.policy is None:
        return None
    return resource_policy(secret.policy)


@lru_cache(maxsize=64)
def _root_identity(account_id: str) -> Identity:
    return Identity(f"arn:aws:iam::{account_id}:root")


def identity_of(caller: Caller) -> tuple[Identity, tuple[Policy, ...], str]:
    """The evaluator's identity, identity-based policies and the ARN messages name."""
    if isinstance(caller, Principal):
        return caller.identity, caller.policies, caller.caller_arn
    return _root_identity(caller.account_id), (), caller.arn


def denial(
    caller_arn: str, action: str, shown: str | None, decision: Decision
) -> AccessDeniedException:
    reason = decision.reason
    return access_denied(caller_arn, action, shown, reason.value, reason in _EXPLICIT)


def _arn_account(secret_id: str) -> str | None:
    """The account of a Secrets Manager ARN SecretId, None for a name."""
    if not secret_id.startswith("arn:"):
        return None
    parts = secret_id.split(":", 6)
    if len(parts) == 7 and parts[2] == "secretsmanager" and len(parts[4]) == 12:
        return parts[4]
    return None


class Target:
    """Where a call lands and what it is asked on: account, resource ARN, the secret."""

    __slots__ = ("account", "resource", "secret", "shown")

    def __init__(
        self, account: str, resource: str, shown: str | None, secret: Secret | None
    ) -> None:
        self.account = account
        self.resource = resource  # the ARN evaluated, or "*"
        self.shown = shown  # what a denial names after "on resource:", None for none
        self.secret = secret


def target_of(
    backend: Backend, rule: Rule, request: Mapping[str, Any], region: str, account: str
) -> Target:
    """Find the secret a request names, without raising: a missing one is None."""
    secret_id = request.get("SecretId") if rule.on_secret else None
    if not isinstance(secret_id, str):
        if rule.action == SM + "CreateSecret" and isinstance(request.get("Name"), str):
            arn = new_arn(partition_of(region), region, account, request["Name"])
            return Target(account, arn, arn, None)
        return Target(account, "*", None, None)
    account = _arn_account(secret_id) or account
    store = backend.store
    with store.lock:
        try:
            secret: Secret | None = store.account_region(account, region).find(secret_id)
        except ServiceError:  # not found, or a SecretId no secret can have
            secret = None
    if secret is not None:
        return Target(account, secret.arn, secret.arn, secret)
    if secret_id.startswith("arn:"):
        return Target(account, secret_id, secret_id, None)
    arn = f"arn:{partition_of(region)}:secretsmanager:{region}:{account}:secret:{secret_id}"
    return Target(account, arn, secret_id, None)


_TAG_PREFIXES = ("aws:ResourceTag/", SM + "ResourceTag/")


@lru_cache(maxsize=512)
def _policy_references(text: str) -> frozenset[str] | None:
    return tag_references((text,))


def references(caller: Caller, secret: Secret | None) -> frozenset[str] | None:
    """The tag keys that can change this caller's decisions on `secret` (None: any)."""
    own = caller.tag_references if isinstance(caller, Principal) else frozenset()
    if secret is None or secret.policy is None:
        return own
    theirs = _policy_references(secret.policy)
    return None if own is None or theirs is None else own | theirs


def _referenced(
    tags: Mapping[str, str] | None, refs: frozenset[str] | None
) -> Mapping[str, str] | None:
    """The tags a decision can depend on: the context carries no others (same answers)."""
    if not tags or refs is None:
        return tags
    if not refs:
        return None
    return {key: value for key, value in tags.items() if key.lower() in refs}


_environment: dict[str, tuple[int, Keys]] = {}


def environment(region: str) -> Keys:
    """`aws:CurrentTime` and the other per-request keys, rebuilt once a second: the
    time keys have a second's precision in the condition keys reference."""
    second = int(time.time())
    found = _environment.get(region)
    if found is None or found[0] != second:
        found = _environment[region] = (second, environment_keys(region=region))
    return found[1]


def free(caller: Caller, target: Target) -> bool:
    """The account's root user on its own account's resource with no resource policy:
    allowed whatever the action ("Policy evaluation logic"), without asking."""
    return (
        isinstance(caller, RootCaller)
        and target.account == caller.account_id
        and (target.secret is None or target.secret.policy is None)
    )


@lru_cache(maxsize=512)
def _policy_timeless(text: str) -> bool:
    return not reads_time(text)


def _hashable(keys: Keys) -> tuple[object, ...]:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in keys.items())


def decide(
    caller: Caller,
    action: str,
    target: Target,
    keys: Keys,
    region: str,
    tags: Mapping[str, str] | None = None,
) -> Decision:
    """Ask one question: `keys` are the request's; the secret's (with `tags`, default
    its current tags) are added.

    A principal's decisions are remembered by everything they depend on (the action,
    resource, region, request keys, the tags its policies read, the resource policy),
    unless a policy reads the clock: a call repeated costs a lookup, not an evaluation.
    """
    identity, policies, _ = identity_of(caller)
    secret = target.secret
    seen: Mapping[str, str] | None = None
    if secret is not None:
        seen = _referenced(secret.tags if tags is None else tags, references(caller, secret))
    elif target.resource != "*":
        seen = tags
    memo: dict[tuple[object, ...], Any] | None = None
    if isinstance(caller, Principal) and caller.timeless:
        text = secret.policy if secret is not None else None
        if text is None or _policy_timeless(text):
            memo = caller.decisions
            key: tuple[object, ...] = (action, target.resource, region, text, _hashable(keys))
            if secret is not None:
                key += (secret.primary_region, tuple(seen.items()) if seen else ())
            elif seen:
                key += (tuple(seen.items()),)
            found = memo.get(key)
            if found is not None:
                return found  # type: ignore[no-any-return]
    merged = dict(environment(region))
    merged.update(keys)
    if secret is not None:
        secret_keys(secret.arn, seen, secret.primary_region or secret.region, merged)
    elif target.resource != "*":
        secret_keys(target.resource, seen, None, merged)
    request = RequestContext(identity.arn, action, target.resource, identity.keys.with_keys(merged))
    decision = evaluate(request, policies, policy_of(secret))
    if memo is not None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = decision
    return decision


def authorize_call(backend: Backend, call: Call, access: Access) -> None:
    """Set `call.caller` (and `call.account`, `call.gate`); raise AccessDenied to refuse."""
    caller = access.caller(call.access_key, backend.account_id)
    call.caller = caller.record if isinstance(caller, Principal) else caller
    rule = RULES.get(call.operation)
    if rule is None:
        return
    request = call.request
    target = target_of(backend, rule, request, call.region, caller.account_id)
    call.account = target.account
    keys = rule.keys(request)
    first: Decision | None = None
    if not free(caller, target):
        for action in rule.actions(request):
            decision = decide(caller, action, target, keys, call.region)
            if not decision:
                raise denial(identity_of(caller)[2], action, target.shown, decision)
            first = first or decision
    if rule.gated:
        call.gate = gate_for(caller, rule, keys, call.region, access.lockout_actions, first)


def gate_for(
    caller: Caller,
    rule: Rule,
    keys: Keys,
    region: str,
    lockout: frozenset[str],
    first: Decision | None = None,
) -> Gate:
    """The checks an operation makes itself, for this caller and request.

    `first` is the decision that let the call through: when it was about the secret
    being tagged, the lock-out re-check reuses its context with the tags replaced.
    """
    caller_arn = identity_of(caller)[2]
    own = rule.tag_action

    def check(action: str, secret: Secret) -> ServiceError | None:
        request = first.request if first is not None else None
        if request is not None and request.resource == secret.arn and request.action == action:
            return None  # the question the authorize stage already answered: allowed
        target = Target(secret.account, secret.arn, secret.arn, secret)
        if free(caller, target):
            return None
        decision = decide(caller, action, target, keys if action == own else {}, region)
        return None if decision else denial(caller_arn, action, secret.arn, decision)

    def again(secret: Secret, tags_after: Mapping[str, str]) -> Decision:
        if first is None or first.request.resource != secret.arn:
            target = Target(secret.account, secret.arn, secret.arn, secret)
            assert own is not None
            return decide(caller, own, target, keys, region, tags_after)
        after: Keys = {}
        tag_keys_into(_referenced(tags_after, references(caller, secret)) or {}, after)
        request = first.request.with_keys(after, without_prefixes=_TAG_PREFIXES)
        return evaluate(request, first.identity_policies, first.resource_policy)

    def guard(secret: Secret, tags_after: Mapping[str, str]) -> None:
        target = Target(secret.account, secret.arn, secret.arn, secret)
        refs = references(caller, secret)
        if free(caller, target) or (
            refs is not None and _referenced(secret.tags, refs) == _referenced(tags_after, refs)
        ):
            return  # no tag a policy reads changes: no decision can change, nothing is lost
        after = again(secret, tags_after)
        # The call's own action was allowed (it got here): denied afterwards, it is lost.
        # Another re-checked action is lost only if the caller has it now.
        lost = not after or any(
            not decide(caller, action, target, {}, region, tags_after)
            and decide(caller, action, target, {}, region)
            for action in sorted(lockout - {own})
        )
        if lost:
            reason = (
                Reason.NO_RESOURCE_ALLOW
                if after.reason is Reason.NO_RESOURCE_ALLOW
                else Reason.NO_IDENTITY_ALLOW
            )
            assert own is not None
            raise access_denied(caller_arn, own, secret.arn, reason.value, explicit=False)

    return Gate(check=check, tag_guard=guard if own is not None else None)


def tag_keys_into(tags: Mapping[str, str], keys: Keys) -> None:
    for key, value in tags.items():
        keys[f"aws:ResourceTag/{key}"] = value
        keys[f"{SM}ResourceTag/{key}"] = value


def is_allowed(
    backend: Backend,
    access: Access,
    principal: object,
    action: object,
    secret_id: object,
    region: str,
) -> Decision:
    """`backend.is_allowed`: the decision for `action` on the secret, as a call would get
    it (with no request keys: those of the secret and the caller only)."""
    caller = access.resolve(principal)
    if not isinstance(action, str) or not action or action.count(":") > 1:
        raise TypeError(
            f"action must be an action name such as 'secretsmanager:GetSecretValue', got {action!r}"
        )
    name = action if ":" in action else SM + action
    if secret_id is None or secret_id == "*":
        target = Target(caller.account_id, "*", None, None)
    elif isinstance(secret_id, str):
        rule = Rule(name, on_secret=True)
        target = target_of(backend, rule, {"SecretId": secret_id}, region, caller.account_id)
    else:
        raise TypeError(f"secret_id must be a secret's name or ARN (or None), got {secret_id!r}")
    return decide(caller, name, target, {}, region)
