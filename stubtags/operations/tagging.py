"""TagResource and UntagResource: the product's first purpose."""

from __future__ import annotations

from stubtags.operations.common import Params, Reply, now
from stubtags.service import tags as tag_rules
from stubtags.service.store import AccountRegion


def tag_resource(region: AccountRegion, params: Params) -> Reply | None:
    new_tags = tag_rules.parse_tags(params["Tags"])
    secret = region.find_active(params["SecretId"])
    tag_rules.check_reserved(params["Tags"])
    if not new_tags:
        return None  # an empty list changes nothing, not even LastChangedDate (inferred)
    tag_rules.check_limit(secret.tags, new_tags)
    secret.tags = tag_rules.apply(secret.tags, new_tags)
    secret.last_changed = now()
    return None


def untag_resource(region: AccountRegion, params: Params) -> Reply | None:
    keys = tag_rules.parse_tag_keys(params["TagKeys"])
    secret = region.find_active(params["SecretId"])
    tag_rules.check_reserved_keys(keys)
    remaining, changed = tag_rules.remove(secret.tags, keys)
    if changed:
        secret.tags = remaining
        secret.last_changed = now()
    return None
