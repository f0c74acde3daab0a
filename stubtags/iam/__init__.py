"""An IAM policy evaluator for tests: identity and resource-based policies, conditions,
policy variables, and a decision that says which statement decided.

Standalone: it knows nothing of Secrets Manager or botocore.

    from stubtags.iam import Policy, RequestContext, evaluate

    policy = Policy.identity({"Version": "2012-10-17", "Statement": [...]}, name="tagger")
    request = RequestContext.create(
        "arn:aws:iam::111122223333:user/alice", "secretsmanager:TagResource", secret_arn,
        principal_tags={"team": "blue"}, keys=tag_keys("aws:ResourceTag", tags),
    )
    decision = evaluate(request, [policy], resource_policy=None)
    if not decision:
        print(decision.explain())
"""

from stubtags.iam.callers import Caller, parse_principal_arn
from stubtags.iam.conditions import Condition
from stubtags.iam.context import ContextKeys, ContextValue, Scalar
from stubtags.iam.decision import Decision, Reason, StatementRef, evaluate
from stubtags.iam.documents import Policy, PolicyKind, Statement, parse_policy
from stubtags.iam.errors import PolicyError
from stubtags.iam.principals import Grant, PrincipalSet
from stubtags.iam.request import (
    Identity,
    RequestContext,
    environment_keys,
    principal_keys,
    standard_keys,
    tag_keys,
)

__all__ = [
    "Caller",
    "Condition",
    "ContextKeys",
    "ContextValue",
    "Decision",
    "Grant",
    "Identity",
    "Policy",
    "PolicyError",
    "PolicyKind",
    "PrincipalSet",
    "Reason",
    "RequestContext",
    "Scalar",
    "Statement",
    "StatementRef",
    "environment_keys",
    "evaluate",
    "parse_policy",
    "parse_principal_arn",
    "principal_keys",
    "standard_keys",
    "tag_keys",
]
