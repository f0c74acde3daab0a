"""GetRandomPassword: needs no secret, only the generator's rules.

The model's ranges (PasswordLength 1-4096, ExcludeCharacters up to 4096) are checked
here, since botocore checks only the minimums before sending; a member sent as null
takes its default.
"""

from __future__ import annotations

from stubtags.operations.common import Params, Reply, check_max_length, fresh_reply
from stubtags.service.errors import too_large, too_small, validation_error
from stubtags.service.passwords import DEFAULT_LENGTH, random_password
from stubtags.service.store import AccountRegion

MIN_LENGTH = 1
MAX_LENGTH = 4096
EXCLUDE_CHARACTERS_MAX = 4096


def _length(value: int) -> int:
    length = int(value)
    if length < MIN_LENGTH:
        raise validation_error(too_small(value, "passwordLength", MIN_LENGTH))
    if length > MAX_LENGTH:
        raise validation_error(too_large(value, "passwordLength", MAX_LENGTH))
    return length


@fresh_reply
def get_random_password(region: AccountRegion, params: Params) -> Reply:
    if not params:  # mostly nothing is sent: every member takes its default
        return {"RandomPassword": random_password()}
    value = params.get("PasswordLength")
    length = DEFAULT_LENGTH if value is None else _length(value)
    excluded: str | None = params.get("ExcludeCharacters")
    if excluded:
        check_max_length(excluded, "excludeCharacters", EXCLUDE_CHARACTERS_MAX)
    require_each = params.get("RequireEachIncludedType")
    # A switch sent as null takes its default: off, or on for RequireEachIncludedType.
    password = random_password(
        length,
        excluded or "",
        exclude_uppercase=bool(params.get("ExcludeUppercase")),
        exclude_lowercase=bool(params.get("ExcludeLowercase")),
        exclude_numbers=bool(params.get("ExcludeNumbers")),
        exclude_punctuation=bool(params.get("ExcludePunctuation")),
        include_space=bool(params.get("IncludeSpace")),
        require_each=True if require_each is None else bool(require_each),
    )
    return {"RandomPassword": password}
