"""Resource policies: stored and checked here; `stubtags.access` evaluates them once a test
registers a principal."""

from __future__ import annotations

import time

from stubtags.operations.common import Params, Reply, fresh_reply
from stubtags.service import policies
from stubtags.service.store import AccountRegion


@fresh_reply
def put_resource_policy(region: AccountRegion, params: Params) -> Reply:
    document: str = params["ResourcePolicy"]
    policies.check_put_policy(document, bool(params.get("BlockPublicPolicy", False)))
    secret = region.find_mutable(params["SecretId"])
    policies.put_policy(secret, document, time.time())
    return {"ARN": secret.arn, "Name": secret.name}


@fresh_reply
def get_resource_policy(region: AccountRegion, params: Params) -> Reply:
    secret = region.find(params["SecretId"])
    if secret.policy is None:
        return {"ARN": secret.arn, "Name": secret.name}
    return {"ARN": secret.arn, "Name": secret.name, "ResourcePolicy": secret.policy}


@fresh_reply
def delete_resource_policy(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_mutable(params["SecretId"])
    policies.delete_policy(secret, time.time())
    return {"ARN": secret.arn, "Name": secret.name}


def validate_resource_policy(region: AccountRegion, params: Params) -> Reply:
    if "SecretId" in params:
        region.find(params["SecretId"])
    errors = policies.validate_policy_document(params["ResourcePolicy"])
    return {"PolicyValidationPassed": not errors, "ValidationErrors": errors}
