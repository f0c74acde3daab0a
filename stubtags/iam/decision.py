"""The decision: "Policy evaluation logic", for identity and resource-based policies.

1. An applicable Deny in any policy wins (identity-based policies are reported first
   when both deny — which one AWS names then is not documented; inferred).
2. Same account: allowed when an identity-based policy allows, or the resource-based
   policy allows and names the caller itself (a grant to the account is a delegation
   and needs the identity-based Allow; see `principals`).
3. Across accounts ("Cross-account policy evaluation logic"): both must allow; the
   resource policy may name the caller's account.
4. The account's root user is allowed by its identity ("all requests are implicitly
   denied with the exception of the AWS account root user") but not past an explicit
   Deny of a resource-based policy.

Not modelled: SCPs and RCPs, permissions boundaries, session policies, KMS key
policies, VPC endpoint policies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from stubtags.iam.documents import Policy, PolicyKind, Statement
from stubtags.iam.principals import Grant
from stubtags.iam.request import RequestContext


class Reason(str, Enum):
    """Why a request was allowed or denied, in the words of AWS's AccessDenied messages."""

    ALLOWED = "allowed"
    EXPLICIT_DENY_IDENTITY = "explicit deny in an identity-based policy"
    EXPLICIT_DENY_RESOURCE = "explicit deny in a resource-based policy"
    NO_IDENTITY_ALLOW = "no identity-based policy allows"
    NO_RESOURCE_ALLOW = "no resource-based policy allows"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class StatementRef:
    """Which statement of which policy: `policy_index` counts the identity-based policies
    in the order given (0 for the resource-based policy)."""

    kind: PolicyKind
    policy_index: int
    policy_name: str | None
    statement_index: int
    sid: str | None
    effect: str
    text: str

    @property
    def policy(self) -> str:
        if self.policy_name:
            return f"{self.kind.label} {self.policy_name!r}"
        if self.kind is PolicyKind.RESOURCE:
            return "the resource-based policy"
        return f"{self.kind.label} #{self.policy_index}"

    @property
    def statement(self) -> str:
        if self.sid:
            return f"statement {self.sid!r} (#{self.statement_index})"
        return f"statement #{self.statement_index}"

    def __str__(self) -> str:
        return f"{self.policy}, {self.statement}"


def _ref(policy: Policy, index: int, statement: Statement) -> StatementRef:
    return StatementRef(
        policy.kind,
        index,
        policy.name,
        statement.index,
        statement.sid,
        statement.effect,
        statement.text,
    )


_Found = tuple[Policy, int, Statement]


class Decision:
    """Truthy when allowed. `statements` are the ones that decided: the Deny that won,
    or the Allow(s) that granted (identity first); empty for an implicit deny.

    `str()` is a short report, `explain()` adds why each statement did or didn't apply.
    A plain slotted class (not a frozen dataclass): one is built per API call.
    """

    __slots__ = (
        "_found",
        "allowed",
        "identity_policies",
        "note",
        "reason",
        "request",
        "resource_policy",
        "same_account",
    )

    def __init__(
        self,
        allowed: bool,
        reason: Reason,
        request: RequestContext,
        found: tuple[_Found, ...],
        same_account: bool,
        identity_policies: tuple[Policy, ...],
        resource_policy: Policy | None,
        note: str = "",
    ) -> None:
        self.allowed = allowed
        self.reason = reason
        self.request = request
        self._found = found
        self.same_account = same_account
        self.identity_policies = identity_policies
        self.resource_policy = resource_policy
        self.note = note

    @property
    def statements(self) -> tuple[StatementRef, ...]:
        return tuple(_ref(policy, index, statement) for policy, index, statement in self._found)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def decided_by(self) -> StatementRef | None:
        return self.statements[0] if self.statements else None

    def _summary(self) -> str:
        request = self.request
        target = "" if request.resource == "*" else f" on {request.resource}"
        verdict = "ALLOWED" if self.allowed else "DENIED"
        head = f"{verdict} {request.principal_arn} -> {request.action}{target}"
        if self.allowed:
            return head
        if self.reason in (Reason.NO_IDENTITY_ALLOW, Reason.NO_RESOURCE_ALLOW):
            return f"{head}: {self.reason} the {request.action} action"
        return f"{head}: {self.reason}"

    def __str__(self) -> str:
        lines = [self._summary()]
        for ref in self.statements:
            lines.append(f"  by {ref}: {ref.text}")
        if self.note:
            lines.append(f"  ({self.note})")
        if not self.same_account:
            lines.append("  (cross-account: identity and resource-based policies must both allow)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        by = f" by {self.decided_by}" if self.decided_by else ""
        return f"<Decision {self._summary()}{by}>"

    def explain(self) -> str:
        """`str(self)` plus one line per statement saying why it did or didn't apply."""
        lines = [str(self), "statements:"]
        policies = [(i, p) for i, p in enumerate(self.identity_policies)]
        if self.resource_policy is not None:
            policies.append((0, self.resource_policy))
        for index, policy in policies:
            for statement in policy.statements:
                ref = _ref(policy, index, statement)
                lines.append(f"  {ref} [{statement.effect}]: {_why(statement, self.request)}")
        return "\n".join(lines)


def _why(statement: Statement, request: RequestContext) -> str:
    if statement.principals is not None and statement.grant(request) is Grant.NONE:
        element = "NotPrincipal excludes" if statement.not_principal else "Principal doesn't name"
        return f"{element} the caller"
    if not statement.matches_action(request):
        return f"{'NotAction' if statement.not_action else 'Action'} doesn't cover {request.action}"
    if not statement.matches_resource(request):
        element = "NotResource" if statement.not_resource else "Resource"
        return f"{element} doesn't cover {request.resource}"
    for condition in statement.conditions:
        if not condition.test(request.keys):
            return f"condition {condition.explain(request.keys)}"
    if statement.principals is not None and statement.grant(request) is Grant.ACCOUNT:
        return "applies (grants to the caller's account: the identity-based policy must allow too)"
    return "applies"


def evaluate(
    request: RequestContext,
    identity_policies: Sequence[Policy] = (),
    resource_policy: Policy | None = None,
    *,
    same_account: bool | None = None,
) -> Decision:
    """Decide `request` against the caller's identity-based policies and the resource's
    resource-based policy (None when it has none).

    `same_account` defaults to comparing the caller's account with the resource ARN's
    (a request on "*" counts as same-account).
    """
    same = request.same_account if same_account is None else same_account
    identities = tuple(identity_policies)

    def decision(allowed: bool, reason: Reason, *refs: _Found | None, note: str = "") -> Decision:
        found = tuple(ref for ref in refs if ref is not None)
        return Decision(allowed, reason, request, found, same, identities, resource_policy, note)

    action = request.action_lower
    identity_allow: _Found | None = None
    for index, policy in enumerate(identities):
        if policy.kind is not PolicyKind.IDENTITY:
            raise ValueError(f"{policy} passed as an identity-based policy")
        for statement in policy.statements_for(action):
            if statement.applies_to_resource(request):
                if not statement.allow:
                    return decision(
                        False, Reason.EXPLICIT_DENY_IDENTITY, (policy, index, statement)
                    )
                if identity_allow is None:
                    identity_allow = (policy, index, statement)

    direct: _Found | None = None
    via_account: _Found | None = None
    if resource_policy is not None:
        if resource_policy.kind is not PolicyKind.RESOURCE:
            raise ValueError(f"{resource_policy} passed as the resource-based policy")
        for statement in resource_policy.statements_for(action):
            grant = statement.grant(request)
            if grant is Grant.NONE or not statement.applies_to_resource(request):
                continue
            if not statement.allow:
                return decision(
                    False, Reason.EXPLICIT_DENY_RESOURCE, (resource_policy, 0, statement)
                )
            if grant is Grant.DIRECT and direct is None:
                direct = (resource_policy, 0, statement)
            elif grant is Grant.ACCOUNT and via_account is None:
                via_account = (resource_policy, 0, statement)

    root = request.caller.kind == "root"
    note = "the account's root user: its identity allows every action" if root else ""
    identity_ok = root or identity_allow is not None
    if same:
        if identity_ok or direct is not None:
            return decision(True, Reason.ALLOWED, identity_allow, direct, note=note)
        return decision(False, Reason.NO_IDENTITY_ALLOW)
    if not identity_ok:
        return decision(False, Reason.NO_IDENTITY_ALLOW)
    if direct is None and via_account is None:
        return decision(False, Reason.NO_RESOURCE_ALLOW)
    return decision(True, Reason.ALLOWED, identity_allow, direct or via_account, note=note)
