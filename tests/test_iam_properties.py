"""Properties of "Policy evaluation logic" that hold for every policy and request:
an explicit Deny only ever takes access away, an Allow only ever adds it, and an
unconditional Allow of `*` on `*` allows everything no Deny forbids. Along the way:
every decision agrees with its reason and report, and action names ignore case.

`deadline=None`: timing varies with the machine's load (the suite runs under xdist);
it is not a property of the evaluator.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stubtags.iam import Decision, Policy, Reason, RequestContext, evaluate
from tests.iam_strategies import ACCOUNT, Scenario, requests, scenarios, statements

STAR: dict[str, Any] = {"Effect": "Allow", "Action": "*", "Resource": "*"}
SERVICE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def decide(scenario: Scenario) -> Decision:
    return evaluate(scenario.request, scenario.identities(), scenario.resource())


def assert_consistent(decision: Decision) -> None:
    """A decision agrees with its reason, its statements and its report."""
    assert decision.allowed is (decision.reason is Reason.ALLOWED)
    assert str(decision).startswith("ALLOWED " if decision else "DENIED ")
    if decision.reason in (Reason.EXPLICIT_DENY_IDENTITY, Reason.EXPLICIT_DENY_RESOURCE):
        assert decision.decided_by is not None and decision.decided_by.effect == "Deny"
    if decision.reason in (Reason.NO_IDENTITY_ALLOW, Reason.NO_RESOURCE_ALLOW):
        assert decision.statements == ()
    assert all(ref.effect == ("Allow" if decision else "Deny") for ref in decision.statements)
    assert decision.explain().startswith(str(decision))


def with_statement(scenario: Scenario, statement: dict[str, Any], where: int) -> Scenario:
    """The scenario with `statement` added to identity policy `where` (a new identity
    policy past the end; the resource policy, created if need be, at -1)."""
    identity_docs = [list(doc) for doc in scenario.identity_docs]
    resource_doc = None if scenario.resource_doc is None else list(scenario.resource_doc)
    if where == -1:
        resource_doc = [*(resource_doc or []), statement]
    elif where < len(identity_docs):
        identity_docs[where].append(statement)
    else:
        identity_docs.append([statement])
    return Scenario(identity_docs, resource_doc, scenario.request, scenario.version)


@given(scenarios(), st.data())
def test_adding_an_explicit_deny_never_turns_a_deny_into_an_allow(
    scenario: Scenario, data: st.DataObject
) -> None:
    where = data.draw(st.integers(-1, len(scenario.identity_docs)))
    deny = data.draw(statements(effect="Deny", resource_policy=where == -1))
    before, after = decide(scenario), decide(with_statement(scenario, deny, where))
    assert before.allowed or not after.allowed, after.explain()
    assert_consistent(before)
    assert_consistent(after)


@given(scenarios(), st.data())
def test_adding_an_allow_never_turns_an_allow_into_a_deny(
    scenario: Scenario, data: st.DataObject
) -> None:
    where = data.draw(st.integers(-1, len(scenario.identity_docs)))
    allow = data.draw(statements(effect="Allow", resource_policy=where == -1))
    before, after = decide(scenario), decide(with_statement(scenario, allow, where))
    assert after.allowed or not before.allowed, after.explain()
    # Action names are case-insensitive: shouting the action changes nothing.
    request = scenario.request
    shouted = request.with_action(request.action.upper())
    again = evaluate(shouted, before.identity_policies, before.resource_policy)
    assert again.allowed == before.allowed


@given(
    st.lists(statements(effect="Allow"), max_size=3),
    st.tuples(
        st.text(SERVICE_CHARS, min_size=1, max_size=12),
        st.text(NAME_CHARS, min_size=1, max_size=24),
    ).map(":".join),
    st.text(NAME_CHARS + "/_+=.@-", min_size=1, max_size=24) | st.just("*"),
    requests(principal=f"arn:aws:iam::{ACCOUNT}:user/alice"),
)
def test_an_unconditional_allow_of_star_on_star_allows_every_action(
    others: list[dict[str, Any]], action: str, name: str, base: RequestContext
) -> None:
    resource = "*" if name == "*" else f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{name}"
    request = RequestContext(base.principal_arn, action, resource, base.keys)
    policy = Policy.identity({"Version": "2012-10-17", "Statement": [*others, STAR]})
    decision = evaluate(request, [policy])
    assert decision and decision.reason is Reason.ALLOWED
