"""Resource policies: stored and checked here; `stubtags.access` evaluates them once a test
registers a principal."""

from __future__ import annotations

import time

from stubtags.operations.common import Params, Reply, identity
from stubtags.service import policies
from stubtags.service.store import AccountRegion


def put_resource_policy(region: AccountRegion, params: Params) -> Reply:
    document: str = params["ResourcePolicy"]
    policies.check_put_policy(document, bool(params.get("BlockPublicPolicy", False)))
    secret = region.find_mutable(params["SecretId"])
    policies.put_policy(secret, document, time.time())
    return identity(secret)


def get_resource_policy(region: AccountRegion, params: Params) -> Reply:
    secret = region.find(params["SecretId"])
    reply = identity(secret)
    if secret.policy is not None:
        reply["ResourcePolicy"] = secret.policy
    return reply


def delete_resource_policy(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_mutable(params["SecretId"])
    policies.delete_policy(secret, time.time())
    return identity(secret)


def validate_resource_policy(region: AccountRegion, params: Params) -> Reply:
    if "SecretId" in params:
        region.find(params["SecretId"])
    errors = policies.validate_policy_document(params["ResourcePolicy"])
    return {"PolicyValidationPassed": not errors, "ValidationErrors": errors}
