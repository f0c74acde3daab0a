"""GetRandomPassword: a password drawn with `secrets` from the requested character types.

Documented by AWS (botocore model and API reference): the default length of 32, the
1-4096 length range, the four character types with exactly the 32 punctuation
characters below, the space only under IncludeSpace, and RequireEachIncludedType
(default on) asking for at least one character of every included type.

Inferred, not documented:

* A type counts as included when it has a character left after the Exclude* switches
  and ExcludeCharacters; a type emptied by ExcludeCharacters alone is not required.
  ExcludeCharacters also removes the space.
* Every character excluded raises InvalidParameterException, whatever
  RequireEachIncludedType says; so does a PasswordLength shorter than the number of
  required types. The messages are ours.
* PasswordLength outside 1-4096 and an ExcludeCharacters longer than 4096 raise
  ValidationException in the service's standard constraint wording (botocore checks
  only the minimums before sending).
* The required characters are placed at random positions (the whole password is
  shuffled), so no position is predictable.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from stubtags.service.errors import InvalidParameterException, constraint_error

DEFAULT_LENGTH = 32
MIN_LENGTH = 1
MAX_LENGTH = 4096
EXCLUDE_CHARACTERS_MAX = 4096
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
SPACE = " "

_RANDOM = secrets.SystemRandom()


def _flag(params: Mapping[str, Any], member: str, default: bool) -> bool:
    value = params.get(member)
    return default if value is None else bool(value)


def _length(params: Mapping[str, Any]) -> int:
    value = params.get("PasswordLength")
    if value is None:
        return DEFAULT_LENGTH
    length = int(value)
    if length < MIN_LENGTH:
        raise constraint_error(
            value, "passwordLength", f"Member must have value greater than or equal to {MIN_LENGTH}"
        )
    if length > MAX_LENGTH:
        raise constraint_error(
            value, "passwordLength", f"Member must have value less than or equal to {MAX_LENGTH}"
        )
    return length


def character_types(params: Mapping[str, Any]) -> list[str]:
    """The included types, each as the string of its allowed characters, empty ones dropped."""
    excluded = params.get("ExcludeCharacters") or ""
    if len(excluded) > EXCLUDE_CHARACTERS_MAX:
        raise constraint_error(
            excluded,
            "excludeCharacters",
            f"Member must have length less than or equal to {EXCLUDE_CHARACTERS_MAX}",
        )
    excluded_set = set(excluded)
    candidates = [
        (string.ascii_uppercase, _flag(params, "ExcludeUppercase", False)),
        (string.ascii_lowercase, _flag(params, "ExcludeLowercase", False)),
        (string.digits, _flag(params, "ExcludeNumbers", False)),
        (PUNCTUATION, _flag(params, "ExcludePunctuation", False)),
        (SPACE, not _flag(params, "IncludeSpace", False)),
    ]
    kept = (
        "".join(c for c in chars if c not in excluded_set) for chars, off in candidates if not off
    )
    return [chars for chars in kept if chars]


def random_password(params: Mapping[str, Any]) -> str:
    """A password for a GetRandomPassword request given as its wire-format members."""
    length = _length(params)
    types = character_types(params)
    if not types:
        raise InvalidParameterException(
            "The password can't be generated: every character is excluded by the request."
        )
    required: list[str] = []
    if _flag(params, "RequireEachIncludedType", True):
        if length < len(types):
            raise InvalidParameterException(
                f"PasswordLength {length} is too short to include at least one character of "
                f"each of the {len(types)} included character types."
            )
        required = [secrets.choice(chars) for chars in types]
    alphabet = "".join(types)
    chars = required + [secrets.choice(alphabet) for _ in range(length - len(required))]
    _RANDOM.shuffle(chars)
    return "".join(chars)
