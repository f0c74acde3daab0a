"""The Resource Groups Tagging API over the secrets of one account's region.

The same store as Secrets Manager's, through the same doors: TagResources and
UntagResources call `tags.tag_resource` / `untag_resource` once per secret, so a
secret gets exactly the rules TagResource applies, and a refusal becomes that ARN's
entry in FailedResourcesMap instead of failing the call.

GetResources lists the secrets that have or had tags (`Secret.tags is not None`:
a secret whose tags were all removed is listed with no tags; one never tagged is
not), in creation order. Its PaginationToken is a keyset cursor, the `seq` of the
last secret returned, sealed by `tokens`: stateless, and secrets created or deleted
between pages neither repeat nor shift the listing. The store keeps each region's
secrets in `seq` order, which lets a page start by bisection.

GetTagKeys and GetTagValues list each key or value once, in code-point order, a
cursor being the last one returned.

Every PaginationToken carries when it was issued: used more than 15 minutes later (the
clock a test moves included), it is refused with PaginationTokenExpiredException, as
the API reference documents.

Inferred (no document or recording found): creation order; the default page size
(100 resources, 100 keys or values); secrets scheduled for deletion are listed; a
non-secret or other-Region ARN is a FailedResourcesMap entry; the ARN list is read
as a set (a repeated ARN is tagged once).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter
from typing import Final

from stubtags.service import tags as tag_rules
from stubtags.service import tokens
from stubtags.service.errors import (
    TOKEN_NOT_OURS,
    PaginationTokenExpiredException,
    ServiceError,
    arn_of_another_region,
    invalid_pagination_token,
    not_a_secret_arn,
)
from stubtags.service.model import Secret
from stubtags.service.store import AccountRegion

SECRET_TYPES: Final = frozenset({"secretsmanager", "secretsmanager:secret"})
RESOURCES_KIND: Final = "tagging-resources"
KEYS_KIND: Final = "tagging-keys"
VALUES_KIND: Final = "tagging-values"
#: How long a PaginationToken is good for, in seconds ("valid for a maximum of 15 minutes").
TOKEN_LIFETIME: Final = 15 * 60

_SEQ = attrgetter("seq")


@dataclass(frozen=True, slots=True)
class TagFilter:
    """A tag key and the values it may have; no values: any value, the key present."""

    key: str
    values: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ResourceQuery:
    """GetResources' filters: AND across tag filters, OR within one filter's values."""

    tag_filters: tuple[TagFilter, ...] = ()
    resource_types: tuple[str, ...] | None = None  # None: every type


def _tag_test(filters: Sequence[TagFilter]) -> Callable[[Secret], bool]:
    """Whether a listed secret passes every filter (and has or had tags at all)."""
    pairs = tuple((f.key, f.values) for f in filters)

    def passes(secret: Secret) -> bool:
        tags = secret.tags
        if tags is None:
            return False
        for key, values in pairs:
            value = tags.get(key)
            if value is None or (values and value not in values):
                return False
        return True

    return passes


def _secrets_type(query: ResourceQuery) -> bool:
    """Whether the query's type filters let secrets through at all."""
    types = query.resource_types
    return types is None or not SECRET_TYPES.isdisjoint(types)


def resources_page(
    region: AccountRegion,
    query: ResourceQuery,
    per_page: int,
    tags_per_page: int | None,
    token: str | None,
) -> tuple[list[Secret], str | None]:
    """One page of matching secrets, and the token of the next page (None: the last).

    A page ends at `per_page` secrets, or before the secret whose tags would take the
    page past `tags_per_page` (a secret without tags counts as one); a secret's tags
    are never split across pages, and a page holds at least one secret.
    """
    after = None if token is None else _decode_seq(token)
    if not _secrets_type(query):
        return [], None
    items = list(region.secrets.values())  # in seq order: see the module docstring
    start = 0 if after is None else bisect_right(items, after, key=_SEQ)
    page: list[Secret] = []
    used = 0
    for secret in filter(_tag_test(query.tag_filters), islice(items, start, None)):
        cost = max(1, len(secret.tags or ()))
        full = len(page) == per_page or (
            tags_per_page is not None and page and used + cost > tags_per_page
        )
        if full:
            return page, _seal(RESOURCES_KIND, {"seq": page[-1].seq})
        page.append(secret)
        used += cost
    return page, None


def _seal(kind: str, payload: dict[str, object]) -> str:
    """A PaginationToken of that kind, stamped with when it was issued."""
    return tokens.seal(kind, {**payload, "issued": time.time()})


def _unseal(token: str, kind: str) -> dict[str, object]:
    """The payload of a PaginationToken of ours, refused once its 15 minutes are up."""
    payload = tokens.unseal(token, kind, invalid_pagination_token)
    issued = payload.get("issued")
    if isinstance(issued, bool) or not isinstance(issued, (int, float)):
        raise invalid_pagination_token(TOKEN_NOT_OURS)
    if time.time() - issued > TOKEN_LIFETIME:
        raise PaginationTokenExpiredException()
    return payload


def _decode_seq(token: str) -> int:
    seq = _unseal(token, RESOURCES_KIND).get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise invalid_pagination_token(TOKEN_NOT_OURS)
    return seq


def resources_by_arn(region: AccountRegion, arns: Iterable[str]) -> list[Secret]:
    """The listed secrets of the region with these exact ARNs, in request order, each once;
    an ARN of nothing here (or of a never-tagged secret) is left out."""
    found: dict[str, Secret] = {}
    for arn in arns:
        if arn in found or _refusal(region, arn) is not None:
            continue
        try:
            secret = region.find(arn)
        except ServiceError:
            continue
        if secret.arn == arn and secret.tags is not None:
            found[arn] = secret
    return list(found.values())


def _refusal(region: AccountRegion, arn: str) -> ServiceError | None:
    """Why the tagging API cannot pass an ARN to Secrets Manager in this region, if so."""
    parts = arn.split(":", 6)
    if len(parts) != 7 or parts[0] != "arn" or parts[2] != "secretsmanager":
        return not_a_secret_arn(arn)
    if parts[5] != "secret" or not parts[6]:
        return not_a_secret_arn(arn)
    if (parts[1], parts[3]) != (region.partition, region.name):
        return arn_of_another_region(arn, region.name)
    return None  # another account: Secrets Manager's own answer (not found) applies


def tag_resources(
    region: AccountRegion, arns: Iterable[str], tags: Sequence[tag_rules.Tag], now: float
) -> dict[str, ServiceError]:
    """Tag each secret as TagResource would; the refusals, by ARN as the request gave it."""
    return _each(region, arns, lambda arn: tag_rules.tag_resource(region, arn, tags, now))


def untag_resources(
    region: AccountRegion, arns: Iterable[str], keys: Sequence[str], now: float
) -> dict[str, ServiceError]:
    """Untag each secret as UntagResource would; the refusals, by ARN."""
    return _each(region, arns, lambda arn: tag_rules.untag_resource(region, arn, keys, now))


def _each(
    region: AccountRegion, arns: Iterable[str], change: Callable[[str], None]
) -> dict[str, ServiceError]:
    failed: dict[str, ServiceError] = {}
    for arn in dict.fromkeys(arns):
        refusal = _refusal(region, arn)
        try:
            if refusal is not None:
                raise refusal
            change(arn)
        except ServiceError as error:
            failed[arn] = error
    return failed


def tag_keys_page(
    region: AccountRegion, token: str | None, page_size: int
) -> tuple[list[str], str | None]:
    """One page of the keys in use in the region, each once."""
    keys: set[str] = set()
    for secret in region.secrets.values():
        if secret.tags:
            keys.update(secret.tags)
    return _sorted_page(keys, token, KEYS_KIND, page_size)


def tag_values_page(
    region: AccountRegion, key: str, token: str | None, page_size: int
) -> tuple[list[str], str | None]:
    """One page of the values `key` has in the region, each once."""
    values: set[str] = set()
    for secret in region.secrets.values():
        tags = secret.tags
        if tags and key in tags:
            values.add(tags[key])
    return _sorted_page(values, token, VALUES_KIND, page_size)


def _sorted_page(
    items: set[str], token: str | None, kind: str, page_size: int
) -> tuple[list[str], str | None]:
    ordered = sorted(items)
    start = 0
    if token is not None:
        after = _unseal(token, kind).get("after")
        if not isinstance(after, str):
            raise invalid_pagination_token(TOKEN_NOT_OURS)
        start = bisect_right(ordered, after)
    page = ordered[start : start + page_size]
    if start + page_size >= len(ordered):
        return page, None
    return page, _seal(kind, {"after": page[-1]})
