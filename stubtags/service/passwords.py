"""GetRandomPassword: a password drawn with `secrets` from the requested character types.

Documented by AWS (botocore model and API reference): the default length of 32, the
1-4096 length range, the four character types with exactly the 32 punctuation
characters below, the space only under IncludeSpace, and RequireEachIncludedType
(default on) asking for at least one character of every included type. The space is
not one of those types (the model lists upper, lower, number and punctuation), so it
is never required: `PasswordLength=4` with `IncludeSpace` works.

Inferred, not documented:

* A type counts as included when it has a character left after the Exclude* switches
  and ExcludeCharacters; a type emptied by ExcludeCharacters alone is not required.
  ExcludeCharacters also removes the space.
* Every character excluded raises InvalidParameterException, whatever
  RequireEachIncludedType says; so does a PasswordLength shorter than the number of
  required types. The messages are ours.
* PasswordLength outside 1-4096 and an ExcludeCharacters longer than 4096 raise
  ValidationException in the service's standard constraint wording (botocore checks
  only the minimums before sending); `operations.passwords` checks those.
* The required characters are placed at random positions (the whole password is
  shuffled), so no position is predictable.
"""

from __future__ import annotations

import secrets
import string

from stubtags.service.errors import (
    ALL_CHARACTERS_EXCLUDED,
    InvalidParameterException,
    password_too_short,
)

DEFAULT_LENGTH = 32
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
SPACE = " "

_RANDOM = secrets.SystemRandom()


def character_types(
    exclude_characters: str,
    *,
    exclude_uppercase: bool,
    exclude_lowercase: bool,
    exclude_numbers: bool,
    exclude_punctuation: bool,
    include_space: bool,
) -> list[str]:
    """The included types, each as the string of its allowed characters, empty ones dropped."""
    excluded = set(exclude_characters)
    candidates = [
        (string.ascii_uppercase, exclude_uppercase),
        (string.ascii_lowercase, exclude_lowercase),
        (string.digits, exclude_numbers),
        (PUNCTUATION, exclude_punctuation),
        (SPACE, not include_space),
    ]
    kept = ("".join(c for c in chars if c not in excluded) for chars, off in candidates if not off)
    return [chars for chars in kept if chars]


def random_password(
    length: int = DEFAULT_LENGTH,
    exclude_characters: str = "",
    *,
    exclude_uppercase: bool = False,
    exclude_lowercase: bool = False,
    exclude_numbers: bool = False,
    exclude_punctuation: bool = False,
    include_space: bool = False,
    require_each: bool = True,
) -> str:
    """A GetRandomPassword password; the length is within the model's range already."""
    types = character_types(
        exclude_characters,
        exclude_uppercase=exclude_uppercase,
        exclude_lowercase=exclude_lowercase,
        exclude_numbers=exclude_numbers,
        exclude_punctuation=exclude_punctuation,
        include_space=include_space,
    )
    if not types:
        raise InvalidParameterException(ALL_CHARACTERS_EXCLUDED)
    required: list[str] = []
    if require_each:
        required_types = [chars for chars in types if chars != SPACE]
        if length < len(required_types):
            raise password_too_short(length, len(required_types))
        required = [secrets.choice(chars) for chars in required_types]
    alphabet = "".join(types)
    chars = required + [secrets.choice(alphabet) for _ in range(length - len(required))]
    _RANDOM.shuffle(chars)
    return "".join(chars)
