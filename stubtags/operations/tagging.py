"""TagResource and UntagResource: the product's first purpose.

The rules are `service.tags.tag_resource` / `untag_resource`, which the Resource Groups
Tagging API calls too; reading a request checks each tag's size as it goes (CreateSecret
reads its Tags here as well), so TagResource tells the service function its sizes are
checked already (`sizes_checked`) rather than have them checked twice.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from stubtags.operations.common import Params, Reply
from stubtags.service import tags as tag_rules
from stubtags.service.errors import not_null, validation_error
from stubtags.service.store import AccountRegion
from stubtags.service.tags import KEY_MAX, VALUE_MAX  # the sizes, now the service's rule

__all__ = ["KEY_MAX", "VALUE_MAX", "read_tags", "tag_resource", "untag_resource"]


def read_tags(raw: Sequence[Mapping[str, Any]], member: str = "tags") -> list[tag_rules.Tag]:
    """A request's Tags as (key, value) pairs, each within the service's sizes."""
    tags: list[tag_rules.Tag] = []
    for index, tag in enumerate(raw, 1):  # positional: no keyword parsing
        key = tag.get("Key")
        value = tag.get("Value", "")
        if key is None:
            raise validation_error(not_null(f"{member}.{index}.member.key"))
        tag_rules.check_tag_size(key, value, index, member)
        tags.append((key, value))
    return tags


def tag_resource(region: AccountRegion, params: Params) -> Reply | None:
    tags = read_tags(params["Tags"])
    tag_rules.tag_resource(region, params["SecretId"], tags, time.time(), sizes_checked=True)
    return None


def untag_resource(region: AccountRegion, params: Params) -> Reply | None:
    # TagKeys as sent: the service function reads them without keeping them.
    tag_rules.untag_resource(region, params["SecretId"], params["TagKeys"], time.time())
    return None
