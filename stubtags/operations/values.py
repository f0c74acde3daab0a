"""Secret values: GetSecretValue, PutSecretValue, versions and staging labels."""

from __future__ import annotations

import time

from stubtags.errors import UnsupportedMemberError
from stubtags.operations.common import (
    Params,
    Reply,
    fresh_reply,
    request_token,
    require_token,
    secret_value,
    value_reply,
)
from stubtags.service.errors import (
    IDS_OR_FILTERS,
    PAGING_NEEDS_FILTERS,
    VALUE_REQUIRED,
    InvalidParameterException,
    ServiceError,
    too_large,
    too_long,
    validation_error,
)
from stubtags.service.gate import OPEN
from stubtags.service.store import AccountRegion
from stubtags.service.versions import (
    VERSIONS_PAGE_MAX,
    add_version,
    move_stage,
    read_value,
    version_page,
)

BATCH_MAX = 20
# "you must have secretsmanager:GetSecretValue for each secret" (BatchGetSecretValue's
# API reference): asked of the caller's gate for each secret read.
GET_SECRET_VALUE = "secretsmanager:GetSecretValue"


@fresh_reply
def get_secret_value(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_active(params["SecretId"])
    version = read_value(secret, params.get("VersionId"), params.get("VersionStage"), time.time())
    return value_reply(secret, version)


@fresh_reply
def put_secret_value(region: AccountRegion, params: Params) -> Reply:
    if params.get("RotationToken") is not None:  # `refuse_unsupported`, one member
        raise UnsupportedMemberError("PutSecretValue", "RotationToken")
    require_token(params)
    string, binary = secret_value(params)
    if string is None and binary is None:
        raise InvalidParameterException(VALUE_REQUIRED)
    token = request_token(params)
    secret = region.find_mutable(params["SecretId"])
    stages = params.get("VersionStages")
    # True: `pending_off`, PutSecretValue's own rule
    version, _ = add_version(secret, token, string, binary, stages, time.time(), True)
    return {
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version.version_id,
        "VersionStages": list(version.stages),
    }


@fresh_reply
def list_secret_version_ids(region: AccountRegion, params: Params) -> Reply:
    max_results: int | None = params.get("MaxResults")
    if max_results is not None and max_results > VERSIONS_PAGE_MAX:
        raise validation_error(too_large(max_results, "maxResults", VERSIONS_PAGE_MAX))
    secret = region.find(params["SecretId"])
    include_deprecated = bool(params.get("IncludeDeprecated", False))
    page, next_token = version_page(
        secret, include_deprecated, max_results, params.get("NextToken")
    )
    entries: list[Reply] = []
    for version in page:
        entry: Reply = {"VersionId": version.version_id}
        if version.stages:
            entry["VersionStages"] = list(version.stages)
        if version.last_accessed is not None:
            entry["LastAccessedDate"] = version.last_accessed
        entry["CreatedDate"] = version.created
        entry["KmsKeyIds"] = list(version.kms_key_ids)
        entries.append(entry)
    reply: Reply = {"Versions": entries}
    if next_token is not None:
        reply["NextToken"] = next_token
    # The output shape's order: Versions, NextToken, ARN, Name.
    reply["ARN"] = secret.arn
    reply["Name"] = secret.name
    return reply


@fresh_reply
def update_secret_version_stage(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_mutable(params["SecretId"])
    move_stage(
        secret,
        params["VersionStage"],
        params.get("MoveToVersionId"),
        params.get("RemoveFromVersionId"),
        time.time(),
    )
    return {"ARN": secret.arn, "Name": secret.name}


@fresh_reply
def batch_get_secret_value(region: AccountRegion, params: Params) -> Reply:
    """A value per readable secret, named or found by the filters, and an error entry
    per other (a secret the caller may not read is an AccessDeniedException entry)."""
    ids = params.get("SecretIdList")
    filters = params.get("Filters")
    if (ids is None) == (filters is None):
        raise InvalidParameterException(IDS_OR_FILTERS)
    next_token = None
    if ids is not None:
        if "MaxResults" in params or "NextToken" in params:
            raise InvalidParameterException(PAGING_NEEDS_FILTERS)
        if len(ids) > BATCH_MAX:
            raise validation_error(too_long(ids, "secretIdList", BATCH_MAX))
    else:
        # Filters: the listing engine, imported by the first such call rather than with
        # GetSecretValue, which shares this module.
        from stubtags.operations.listing import parse_query
        from stubtags.service.listing import list_page

        query, max_results, token = parse_query(params, max_results_limit=BATCH_MAX)
        page, next_token = list_page(region.secrets.orders, query, max_results, token)
        ids = [secret.arn for secret in page]
    values: list[Reply] = []
    errors: list[Reply] = []
    gate = region.gate
    now = time.time()  # the call's one moment, as for every other read
    for secret_id in ids:
        try:
            secret = region.find_active(secret_id)
            if gate is not OPEN:  # the open gate allows everything: no call to ask it
                denied = gate.check(GET_SECRET_VALUE, secret)
                if denied is not None:
                    raise denied
            values.append(value_reply(secret, read_value(secret, None, None, now)))
        except ServiceError as error:
            errors.append(
                {"SecretId": secret_id, "ErrorCode": error.code, "Message": error.message}
            )
    reply: Reply = {"SecretValues": values}  # the output shape's order
    if next_token is not None:
        reply["NextToken"] = next_token
    reply["Errors"] = errors
    return reply
