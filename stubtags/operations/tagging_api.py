"""The Resource Groups Tagging API's operations on secrets: the wire layer.

botocore checks only minimums before sending, so the maximums of the model (and the
ranges its documentation gives: ResourcesPerPage 1-100, TagsPerPage 100-500, at most
100 ResourceTypeFilters) are judged here. The API declares InvalidParameterException
as its one client error, so every violation of a request is reported in one of those,
counted and worded like Secrets Manager's validation errors (inferred). The rules,
the paging and each secret's tagging are `service.tagging_api`'s.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from stubtags.errors import UnsupportedMemberError
from stubtags.operations.common import Params, Reply, fresh_reply
from stubtags.service import tagging_api
from stubtags.service.errors import (
    ARN_LIST_WITH_FILTERS,
    InvalidParameterException,
    ServiceError,
    invalid_parameters,
    not_null,
    too_large,
    too_long,
    too_small,
)
from stubtags.service.model import Secret
from stubtags.service.store import AccountRegion
from stubtags.service.tags import as_wire

TOKEN_MAX: Final = 2048
ARN_MAX: Final = 1011
KEY_MAX: Final = 128  # the model's; Secrets Manager's own limit (127) applies per secret
VALUE_MAX: Final = 256
MAX_TAG_FILTERS: Final = 50
MAX_FILTER_VALUES: Final = 20
MAX_TYPE_FILTERS: Final = 100
MAX_ARNS_GET: Final = 100
MAX_ARNS_TAG: Final = 20
MAX_TAGS: Final = 50
RESOURCES_PER_PAGE: Final = (1, 100)
TAGS_PER_PAGE: Final = (100, 500)
DEFAULT_PER_PAGE: Final = 100  # inferred
KEYS_PER_PAGE: Final = 100  # GetTagKeys / GetTagValues have no page size: inferred


@fresh_reply
def get_resources(region: AccountRegion, params: Params) -> Reply:
    # Compliance with a tag policy is not modelled: asking for it must not pass silently.
    if params.get("IncludeComplianceDetails") or params.get("ExcludeCompliantResources"):
        member = (
            "IncludeComplianceDetails"
            if params.get("IncludeComplianceDetails")
            else ("ExcludeCompliantResources")
        )
        raise UnsupportedMemberError("GetResources", member)
    problems: list[str] = []
    token = _token(params, problems)
    per_page: int | None = params.get("ResourcesPerPage")
    _check_range(per_page, "resourcesPerPage", RESOURCES_PER_PAGE, problems)
    tags_per_page: int | None = params.get("TagsPerPage")
    _check_range(tags_per_page, "tagsPerPage", TAGS_PER_PAGE, problems)
    filters = _tag_filters(params.get("TagFilters"), problems)
    types: list[str] | None = params.get("ResourceTypeFilters")
    if types is not None:
        _check_strings(types, "resourceTypeFilters", MAX_TYPE_FILTERS, VALUE_MAX, problems)
    arns: list[str] | None = params.get("ResourceARNList")
    if arns is not None:
        _check_strings(arns, "resourceARNList", MAX_ARNS_GET, ARN_MAX, problems)
    if problems:
        raise invalid_parameters(*problems)

    if arns is not None:
        given = (params.get("TagFilters"), types, token, per_page, tags_per_page)
        if any(member is not None for member in given):
            raise InvalidParameterException(ARN_LIST_WITH_FILTERS)
        return _resources_reply(tagging_api.resources_by_arn(region, arns), None)
    query = tagging_api.ResourceQuery(filters, None if types is None else tuple(types))
    page, next_token = tagging_api.resources_page(
        region, query, per_page or DEFAULT_PER_PAGE, tags_per_page, token
    )
    return _resources_reply(page, next_token)


def _resources_reply(secrets: Iterable[Secret], next_token: str | None) -> Reply:
    return {
        # The last page carries an empty token (recorded), not none.
        "PaginationToken": next_token or "",
        "ResourceTagMappingList": [
            {"ResourceARN": s.arn, "Tags": as_wire(s.tags or {})} for s in secrets
        ],
    }


def tag_resources(region: AccountRegion, params: Params) -> Reply:
    problems: list[str] = []
    arns: list[str] = params["ResourceARNList"]
    _check_strings(arns, "resourceARNList", MAX_ARNS_TAG, ARN_MAX, problems)
    tags: dict[str, str] = params["Tags"]
    if len(tags) > MAX_TAGS:
        problems.append(too_long(_render_map(tags), "tags", MAX_TAGS))
    for key, value in tags.items():
        if len(key) > KEY_MAX:
            problems.append(too_long(key, "tags.key", KEY_MAX))
        if len(value) > VALUE_MAX:
            problems.append(too_long(value, "tags.value", VALUE_MAX))
    if problems:
        raise invalid_parameters(*problems)
    failed = tagging_api.tag_resources(region, arns, list(tags.items()), time.time())
    return _failed_reply(failed)


def untag_resources(region: AccountRegion, params: Params) -> Reply:
    problems: list[str] = []
    arns: list[str] = params["ResourceARNList"]
    _check_strings(arns, "resourceARNList", MAX_ARNS_TAG, ARN_MAX, problems)
    keys: list[str] = params["TagKeys"]
    _check_strings(keys, "tagKeys", MAX_TAGS, KEY_MAX, problems)
    if problems:
        raise invalid_parameters(*problems)
    return _failed_reply(tagging_api.untag_resources(region, arns, keys, time.time()))


def _failed_reply(failed: Mapping[str, ServiceError]) -> Reply:
    """FailedResourcesMap: each refused ARN with Secrets Manager's code and message."""
    entries = {
        arn: {"StatusCode": error.status, "ErrorCode": error.code, "ErrorMessage": error.message}
        for arn, error in failed.items()
    }
    return {"FailedResourcesMap": entries}


def get_tag_keys(region: AccountRegion, params: Params) -> Reply:
    problems: list[str] = []
    token = _token(params, problems)
    if problems:
        raise invalid_parameters(*problems)
    keys, next_token = tagging_api.tag_keys_page(region, token, KEYS_PER_PAGE)
    return {"PaginationToken": next_token or "", "TagKeys": keys}


def get_tag_values(region: AccountRegion, params: Params) -> Reply:
    problems: list[str] = []
    token = _token(params, problems)
    key: str = params["Key"]
    if len(key) > KEY_MAX:
        problems.append(too_long(key, "key", KEY_MAX))
    if problems:
        raise invalid_parameters(*problems)
    values, next_token = tagging_api.tag_values_page(region, key, token, KEYS_PER_PAGE)
    return {"PaginationToken": next_token or "", "TagValues": values}


# -- reading requests ------------------------------------------------------------------------


def _token(params: Params, problems: list[str]) -> str | None:
    """The PaginationToken; an empty one (what a last page carries) is no token."""
    token: str | None = params.get("PaginationToken")
    if token and len(token) > TOKEN_MAX:
        problems.append(too_long(token, "paginationToken", TOKEN_MAX))
    return token or None


def _check_range(
    value: int | None, where: str, bounds: tuple[int, int], problems: list[str]
) -> None:
    low, high = bounds
    if value is not None and value > high:
        problems.append(too_large(value, where, high))
    elif value is not None and value < low:
        problems.append(too_small(value, where, low))


def _check_strings(
    values: Sequence[str], where: str, max_items: int, max_length: int, problems: list[str]
) -> None:
    if len(values) > max_items:
        problems.append(too_long(_render(values), where, max_items))
    for index, value in enumerate(values, start=1):
        if len(value) > max_length:
            problems.append(too_long(value, f"{where}.{index}.member", max_length))


def _tag_filters(
    raw: Sequence[Mapping[str, Any]] | None, problems: list[str]
) -> tuple[tagging_api.TagFilter, ...]:
    if raw is None:
        return ()
    if len(raw) > MAX_TAG_FILTERS:
        problems.append(too_long(f"[{len(raw)} filters]", "tagFilters", MAX_TAG_FILTERS))
    filters = []
    for index, item in enumerate(raw, start=1):
        where = f"tagFilters.{index}.member"
        key: str | None = item.get("Key")
        values: list[str] = item.get("Values") or []
        if key is None:
            problems.append(not_null(f"{where}.key"))
        elif len(key) > KEY_MAX:
            problems.append(too_long(key, f"{where}.key", KEY_MAX))
        _check_strings(values, f"{where}.values", MAX_FILTER_VALUES, VALUE_MAX, problems)
        if key is not None:
            filters.append(tagging_api.TagFilter(key, frozenset(values)))
    return tuple(filters)


def _render(values: Iterable[object]) -> str:
    """A list as the service (Java) prints it: `[a, b]`."""
    return "[" + ", ".join(str(v) for v in values) + "]"


def _render_map(tags: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{k}={v}" for k, v in tags.items()) + "}"
