"""The tagging rules of the seed document, applied to a secret's tag dict.

Every check runs before anything is written, so a rejected call changes nothing.
Order of checks (inferred: the service does not document it): the shape and length
of each tag, then the secret (exists, not scheduled for deletion), then the `aws:`
prefix, then the 50-tag limit. The operations call them in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stubtags.service.errors import InvalidParameterException, ValidationException, constraint_error
from stubtags.service.model import is_system_key

MAX_USER_TAGS = 50
KEY_MAX = 127
VALUE_MAX = 255


def system_tag_error(key: str) -> InvalidParameterException:
    return InvalidParameterException(f"You can't modify system tags. Tag key: '{key}'.")


def parse_tags(raw: Sequence[Mapping[str, Any]], member: str = "tags") -> dict[str, str]:
    """Validate a request's tag list and return it as an ordered dict.

    A key given twice keeps its first position and its last value, the same
    upsert rule TagResource applies to keys already on the secret (inferred).
    """
    result: dict[str, str] = {}
    for index, tag in enumerate(raw, start=1):
        key = tag.get("Key")
        value = tag.get("Value", "")
        if key is None or not 1 <= len(key) <= KEY_MAX or len(value) > VALUE_MAX:
            raise _tag_error(key, value, f"{member}.{index}.member")
        result[key] = value
    return result


def check_reserved(raw: Sequence[Mapping[str, Any]]) -> None:
    """Refuse the `aws:` prefix in any key or value of a request's tags.

    Every tag of the request is judged, including a value that a later duplicate
    of its key would replace: the request holds a reserved value either way.
    """
    for tag in raw:
        key, value = tag["Key"], tag.get("Value", "")
        if is_system_key(key):
            raise system_tag_error(key)
        if is_system_key(value):
            raise InvalidParameterException(
                f"You can't use the aws: prefix in a tag value, it is reserved for AWS use. "
                f"Tag key: '{key}'."
            )


def _tag_error(key: str | None, value: str, where: str) -> ValidationException:
    if key is None:
        return ValidationException(
            f"1 validation error detected: Value null at '{where}.key' failed to "
            "satisfy constraint: Member must not be null"
        )
    if not 1 <= len(key) <= KEY_MAX:
        return constraint_error(
            key, f"{where}.key", f"Member must have length less than or equal to {KEY_MAX}"
        )
    return constraint_error(
        value, f"{where}.value", f"Member must have length less than or equal to {VALUE_MAX}"
    )


def parse_tag_keys(raw: Sequence[str]) -> list[str]:
    """Validate UntagResource's TagKeys: the same key length limit as TagResource."""
    for index, key in enumerate(raw, start=1):
        if not 1 <= len(key) <= KEY_MAX:
            raise constraint_error(
                key,
                f"tagKeys.{index}.member",
                f"Member must have length less than or equal to {KEY_MAX}",
            )
    return list(raw)


def check_reserved_keys(keys: Sequence[str]) -> None:
    for key in keys:
        if is_system_key(key):
            raise system_tag_error(key)


def check_limit(current: Mapping[str, str] | None, new: Mapping[str, str]) -> None:
    """Refuse a change that would leave more than 50 user tags (`aws:` tags don't count)."""
    current = current or {}
    if len(current) + len(new) <= MAX_USER_TAGS:
        return  # cannot exceed the limit whatever overlaps: skip the count
    added = sum(1 for key in new if key not in current)
    total = sum(1 for key in current if not is_system_key(key)) + added
    if total > MAX_USER_TAGS:
        raise InvalidParameterException(
            f"The secret would have {total} tags, more than the limit of {MAX_USER_TAGS} "
            f"per secret (tags with the aws: prefix don't count). Remove tags with "
            f"UntagResource first, or send fewer new keys."
        )


def apply(current: dict[str, str] | None, new: Mapping[str, str]) -> dict[str, str]:
    """Upsert: existing keys keep their position with the new value, new keys go last."""
    merged = dict(current or {})
    merged.update(new)
    return merged


def remove(current: dict[str, str] | None, keys: Iterable[str]) -> tuple[dict[str, str], bool]:
    merged = dict(current or {})
    changed = False
    for key in keys:
        if key in merged:
            del merged[key]
            changed = True
    return merged, changed


def as_wire(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]
