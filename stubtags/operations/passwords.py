"""GetRandomPassword: needs no secret, only the generator's rules."""

from __future__ import annotations

from stubtags.backend.passwords import random_password
from stubtags.backend.store import Region
from stubtags.operations.common import Params, Reply


def get_random_password(region: Region, params: Params) -> Reply:
    return {"RandomPassword": random_password(params)}
