"""ListSecrets: the backend's listing engine, rendered as SecretListEntry items."""

from __future__ import annotations

from stubtags.operations.common import Params, Reply, describe
from stubtags.service import listing
from stubtags.service.store import AccountRegion


def list_secrets(region: AccountRegion, params: Params) -> Reply:
    query, max_results, token = listing.parse_query(params)
    page, next_token = listing.list_page(region.secrets.values(), query, max_results, token)
    reply: Reply = {"SecretList": [describe(s, "SecretVersionsToStages") for s in page]}
    if next_token is not None:
        reply["NextToken"] = next_token
    return reply
