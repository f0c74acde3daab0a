"""TagResource and UntagResource: the product's first purpose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stubtags.operations.common import Params, Reply, now
from stubtags.service import tags as tag_rules
from stubtags.service.errors import not_null, too_long, validation_error
from stubtags.service.store import AccountRegion

KEY_MAX = 127
VALUE_MAX = 255


def read_tags(raw: Sequence[Mapping[str, Any]], member: str = "tags") -> list[tag_rules.Tag]:
    """A request's Tags as (key, value) pairs, each within the model's sizes."""
    tags: list[tag_rules.Tag] = []
    for index, tag in enumerate(raw, start=1):
        where = f"{member}.{index}.member"
        key = tag.get("Key")
        value = tag.get("Value", "")
        if key is None:
            raise validation_error(not_null(f"{where}.key"))
        _check_key(key, f"{where}.key")
        if len(value) > VALUE_MAX:
            raise validation_error(too_long(value, f"{where}.value", VALUE_MAX))
        tags.append((key, value))
    return tags


def read_tag_keys(raw: Sequence[str]) -> list[str]:
    """UntagResource's TagKeys: the same key length limit as TagResource."""
    for index, key in enumerate(raw, start=1):
        _check_key(key, f"tagKeys.{index}.member")
    return list(raw)


def _check_key(key: str, where: str) -> None:
    if not 1 <= len(key) <= KEY_MAX:
        raise validation_error(too_long(key, where, KEY_MAX))


def tag_resource(region: AccountRegion, params: Params) -> Reply | None:
    tags = read_tags(params["Tags"])
    secret = region.find_active(params["SecretId"])
    tag_rules.tag_secret(secret, tags, now(), region.gate.tag_guard)
    return None


def untag_resource(region: AccountRegion, params: Params) -> Reply | None:
    keys = read_tag_keys(params["TagKeys"])
    secret = region.find_active(params["SecretId"])
    tag_rules.untag_secret(secret, keys, now(), region.gate.tag_guard)
    return None
