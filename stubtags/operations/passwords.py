"""GetRandomPassword: needs no secret, only the generator's rules."""

from __future__ import annotations

from stubtags.operations.common import Params, Reply
from stubtags.service.passwords import random_password
from stubtags.service.store import AccountRegion


def get_random_password(region: AccountRegion, params: Params) -> Reply:
    return {"RandomPassword": random_password(params)}
