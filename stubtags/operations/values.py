"""Secret values: GetSecretValue, PutSecretValue, versions and staging labels."""

from __future__ import annotations

import uuid

from stubtags.operations.common import (
    Params,
    Reply,
    access_day,
    now,
    request_token,
    secret_value,
    value_reply,
)
from stubtags.service import listing
from stubtags.service.errors import (
    InvalidParameterException,
    ServiceError,
    constraint_error,
)
from stubtags.service.model import Secret
from stubtags.service.store import AccountRegion
from stubtags.service.versions import add_version, move_stage, select_version

BATCH_MAX = 20


def _read(secret: Secret, version_id: str | None, stage: str | None) -> Reply:
    version = select_version(secret, version_id, stage)
    stamp = now()
    secret.last_accessed = access_day(stamp)
    version.last_accessed = secret.last_accessed
    return value_reply(secret, version)


def get_secret_value(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_active(params["SecretId"])
    return _read(secret, params.get("VersionId"), params.get("VersionStage"))


def put_secret_value(region: AccountRegion, params: Params) -> Reply:
    string, binary = secret_value(params)
    if string is None and binary is None:
        raise InvalidParameterException("You must provide either SecretString or SecretBinary.")
    token = request_token(params) or str(uuid.uuid4())
    secret = region.find_active(params["SecretId"])
    stamp = now()
    version, created = add_version(
        secret, token, string, binary, params.get("VersionStages"), stamp
    )
    if created:
        secret.last_changed = stamp
    return {
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version.version_id,
        "VersionStages": list(version.stages),
    }


def list_secret_version_ids(region: AccountRegion, params: Params) -> Reply:
    max_results = params.get("MaxResults")
    if max_results is not None and max_results > 100:
        raise constraint_error(
            max_results, "maxResults", "Member must have value less than or equal to 100"
        )
    secret = region.find(params["SecretId"])
    include_deprecated = bool(params.get("IncludeDeprecated", False))
    entries: list[Reply] = []
    for version in secret.versions.values():
        if not version.stages and not include_deprecated:
            continue
        entry: Reply = {"VersionId": version.version_id}
        if version.stages:
            entry["VersionStages"] = list(version.stages)
        if version.last_accessed is not None:
            entry["LastAccessedDate"] = version.last_accessed
        entry["CreatedDate"] = version.created
        entry["KmsKeyIds"] = list(version.kms_key_ids)
        entries.append(entry)
    entries.reverse()  # newest first (inferred)
    start = _offset_token(params.get("NextToken"), len(entries))
    size = max_results or 100
    page = entries[start : start + size]
    reply: Reply = {"Versions": page, "ARN": secret.arn, "Name": secret.name}
    if start + size < len(entries):
        reply["NextToken"] = listing.encode_offset(start + size)
    return reply


def _offset_token(token: str | None, total: int) -> int:
    if token is None:
        return 0
    return min(listing.decode_offset(token), total)


def update_secret_version_stage(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_active(params["SecretId"])
    move_stage(
        secret,
        params["VersionStage"],
        params.get("MoveToVersionId"),
        params.get("RemoveFromVersionId"),
    )
    secret.last_changed = now()
    return {"ARN": secret.arn, "Name": secret.name}


def batch_get_secret_value(region: AccountRegion, params: Params) -> Reply:
    ids = params.get("SecretIdList")
    filters = params.get("Filters")
    if (ids is None) == (filters is None):
        raise InvalidParameterException(
            "You must include either SecretIdList or Filters, but not both."
        )
    if ids is not None:
        if "MaxResults" in params or "NextToken" in params:
            raise InvalidParameterException(
                "MaxResults and NextToken can only be used together with Filters."
            )
        if len(ids) > BATCH_MAX:
            raise constraint_error(
                ids, "secretIdList", f"Member must have length less than or equal to {BATCH_MAX}"
            )
        return _read_each(region, ids)
    query, max_results, token = listing.parse_query(params, max_results_limit=BATCH_MAX)
    page, next_token = listing.list_page(list(region.secrets.values()), query, max_results, token)
    reply = _read_each(region, [secret.arn for secret in page])
    if next_token is not None:
        reply["NextToken"] = next_token
    return reply


def _read_each(region: AccountRegion, secret_ids: list[str]) -> Reply:
    """BatchGetSecretValue's body: a value per readable secret, an error entry per other."""
    values: list[Reply] = []
    errors: list[Reply] = []
    for secret_id in secret_ids:
        try:
            values.append(_read(region.find_active(secret_id), None, None))
        except ServiceError as error:
            errors.append(
                {"SecretId": secret_id, "ErrorCode": error.code, "Message": error.message}
            )
    return {"SecretValues": values, "Errors": errors}
