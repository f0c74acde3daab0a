"""The tagging rules, applied to a secret's tag dict.

Every check runs before anything is written, so a rejected call changes nothing.
Order of checks (inferred: the service does not document it): the shape and length
of each tag, then the secret (exists, not scheduled for deletion), then the `aws:`
prefix, then the 50-tag limit, then the caller's `guard` (the lock-out rule of
permissions: `service.gate`), last.

`tag_resource` and `untag_resource` are the one door to a secret's tags for both
APIs: Secrets Manager's TagResource/UntagResource call them once, the Resource Groups
Tagging API's TagResources/UntagResources once per secret, so every rule added there
holds for both — permissions too: the door asks the region's gate (`service.gate`)
whether the caller may tag the secret (already answered for Secrets Manager's own call,
authorized before the secret was looked up; per secret for the tagging API) and hands
its lock-out guard to `tag_secret` / `untag_secret`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from sys import intern
from typing import TYPE_CHECKING

from stubtags.service.errors import (
    system_tag,
    system_tag_value,
    too_long,
    too_many_tags,
    validation_error,
)
from stubtags.service.gate import OPEN, TagGuard
from stubtags.service.model import Secret, is_system_key, touch

if TYPE_CHECKING:
    from stubtags.service.store import AccountRegion

MAX_USER_TAGS = 50
KEY_MAX = 127  # the service's limits: one less than the model's 128 and 256
VALUE_MAX = 255

Tag = tuple[str, str]  # (key, value), as a request lists them


def check_tag_size(key: str, value: str, index: int, member: str = "tags") -> None:
    """Tag `index` (from 1) of a request's `member` within the service's sizes; an error
    names its wire path, `tags.1.member.key` (built only then)."""
    if not 1 <= len(key) <= KEY_MAX:
        raise validation_error(too_long(key, f"{member}.{index}.member.key", KEY_MAX))
    if len(value) > VALUE_MAX:
        raise validation_error(too_long(value, f"{member}.{index}.member.value", VALUE_MAX))


def check_sizes(tags: Sequence[Tag]) -> None:
    for index, (key, value) in enumerate(tags, 1):
        check_tag_size(key, value, index)


def check_key_sizes(keys: Sequence[str]) -> None:
    for index, key in enumerate(keys, start=1):
        if not 1 <= len(key) <= KEY_MAX:
            raise validation_error(too_long(key, f"tagKeys.{index}.member", KEY_MAX))


def check_reserved_keys(keys: Sequence[str]) -> None:
    for key in keys:
        if is_system_key(key):
            raise system_tag(key)


def merged(current: Mapping[str, str] | None, tags: Sequence[Tag]) -> dict[str, str]:
    """`current` with a request's tags upserted, once every tag passed TagResource's rules.

    One pass over the request: the `aws:` prefix, refused in any key or value of any
    tag (a value a later duplicate of its key would replace included: the request holds
    it either way), then the 50-tag limit on the result. Upsert: existing keys keep their
    position with the new value, new keys go last; a key given twice keeps its first
    position and its last value (inferred). Keys are interned, as `apply` says why.
    """
    result = dict(current) if current else {}
    for key, value in tags:
        if is_system_key(key):
            raise system_tag(key)
        if is_system_key(value):
            raise system_tag_value(key)
        result[intern(key)] = value
    if len(result) > MAX_USER_TAGS:  # else within the limit whatever was there: no count
        # The request's keys are not `aws:` ones (refused above): the user tags after
        # the change are the result's non-`aws:` keys.
        total = sum(1 for key in result if not is_system_key(key))
        if total > MAX_USER_TAGS:
            raise too_many_tags(total, MAX_USER_TAGS)
    return result


def new_tags(tags: Sequence[Tag]) -> dict[str, str]:
    """The tags of a CreateSecret request, judged by the same rules as TagResource."""
    return merged(None, tags)


def apply(current: Mapping[str, str] | None, new: Mapping[str, str]) -> dict[str, str]:
    """Upsert, without TagResource's checks (seeding's own and `aws:` tags): existing
    keys keep their position with the new value, new keys go last.

    Keys are interned, since a fleet's secrets share a few keys ("env"): 10,000
    secrets with the same ten keys then hold ten key strings, not 100,000. Values are
    kept as given: mostly distinct, interning them would only grow the interpreter's
    table. `merged` upserts the same way, checking each tag as it goes.
    """
    result = dict(current) if current else {}
    for key, value in new.items():
        result[intern(key)] = value
    return result


def remove(current: dict[str, str] | None, keys: Iterable[str]) -> tuple[dict[str, str], bool]:
    kept = dict(current or {})
    changed = False
    for key in keys:
        if key in kept:
            del kept[key]
            changed = True
    return kept, changed


def tag_secret(
    secret: Secret, tags: Sequence[Tag], now: float, guard: TagGuard | None = None
) -> None:
    """TagResource on a found, active secret.

    `guard(secret, tags_after)` runs once every other rule passed, before anything is
    written: it refuses (raises) a change that would lock the caller out.
    """
    if not tags:
        return  # an empty list changes nothing, not even LastChangedDate (inferred)
    after = merged(secret.tags, tags)
    if guard is not None:
        guard(secret, after)
    secret.tags = after
    touch(secret, now)


def untag_secret(
    secret: Secret, keys: Sequence[str], now: float, guard: TagGuard | None = None
) -> None:
    """UntagResource on a found, active secret; removing absent keys changes nothing.

    `guard` as for `tag_secret`; not asked when nothing would change.
    """
    check_reserved_keys(keys)
    remaining, changed = remove(secret.tags, keys)
    if changed:
        if guard is not None:
            guard(secret, remaining)
        secret.tags = remaining
        touch(secret, now)


TAG_ACTION = "secretsmanager:TagResource"
UNTAG_ACTION = "secretsmanager:UntagResource"


def tag_resource(
    region: AccountRegion,
    secret_id: str,
    tags: Sequence[Tag],
    now: float,
    *,
    sizes_checked: bool = False,
) -> None:
    """TagResource's rules on one secret, in the service's order; what both APIs call.

    `sizes_checked`: the caller checked each tag's size as it read it (`check_tag_size`).
    """
    if not sizes_checked:
        check_sizes(tags)
    secret = region.find_mutable(secret_id)
    gate = region.gate
    if gate is not OPEN:  # the open gate allows everything: no call to ask it
        denied = gate.check(TAG_ACTION, secret)
        if denied is not None:
            raise denied
    tag_secret(secret, tags, now, gate.tag_guard)


def untag_resource(region: AccountRegion, secret_id: str, keys: Sequence[str], now: float) -> None:
    """UntagResource's rules on one secret, in the service's order; what both APIs call."""
    check_key_sizes(keys)
    secret = region.find_mutable(secret_id)
    gate = region.gate
    denied = gate.check(UNTAG_ACTION, secret)
    if denied is not None:
        raise denied
    untag_secret(secret, keys, now, gate.tag_guard)


def as_wire(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]
