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

The randomness comes from `os.urandom` (what `secrets` uses), two reads per password (the
characters; the required ones and their slots), more only to replace rejected draws: a
system call per character and per shuffle step (`secrets.choice`, `shuffle`) made
GetRandomPassword cost twice botocore's own work for the call.
"""

from __future__ import annotations

import functools
import operator
import os
import string
from collections.abc import Sequence

from stubtags.service.errors import (
    ALL_CHARACTERS_EXCLUDED,
    InvalidParameterException,
    password_too_short,
)

DEFAULT_LENGTH = 32
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
SPACE = " "


@functools.lru_cache(maxsize=256)
def _limits(bounds: tuple[int, ...]) -> tuple[int, ...]:
    """Per bound, the largest multiple of it under 65,536: two bytes at or above it are
    the values `% bound` would favour. The same bounds come back call after call."""
    return tuple(65536 - 65536 % bound for bound in bounds)


def _draw(bounds: Sequence[int]) -> list[int]:
    """One integer below each bound (at most 4,097) from two bytes of one os.urandom read;
    -1 where the two bytes fell at or above the bound's limit (`_limits`).

    The common case, nothing rejected, runs as two C-level maps: a Python step per bound
    cost as much as the rest of GetRandomPassword's service work.
    """
    bounds = tuple(bounds)
    values = memoryview(os.urandom(2 * len(bounds))).cast("H").tolist()
    limits = _limits(bounds)
    if all(map(operator.lt, values, limits)):
        return list(map(operator.mod, values, bounds))
    return [v % b if v < limit else -1 for v, b, limit in zip(values, bounds, limits, strict=True)]


def _uniform(bounds: Sequence[int]) -> list[int]:
    """One integer equally likely below each bound, each draw independent of the others:
    a rejected draw is made again from fresh bytes."""
    drawn = _draw(bounds)
    while -1 in drawn:
        again = [i for i, value in enumerate(drawn) if value < 0]
        for i, value in zip(again, _draw([bounds[i] for i in again]), strict=True):
            drawn[i] = value
    return drawn


@functools.lru_cache(maxsize=32)
def _byte_table(alphabet: str) -> tuple[bytes, bytes]:
    """The table and deletions of `bytes.translate` turning random bytes into characters
    of `alphabet` (ASCII): byte b becomes alphabet[b % n], and the bytes at or above the
    largest multiple of n under 256, which `% n` would favour, are deleted."""
    size = len(alphabet)
    table = bytes(ord(alphabet[byte % size]) for byte in range(256))
    return table, bytes(range(256 - 256 % size, 256))


def _characters(alphabet: str, count: int) -> bytearray:
    """`count` characters, each equally likely any of `alphabet` (ASCII) and independent.

    Random bytes go through `bytes.translate` in C: a Python step per character cost
    more than the rest of the call.
    """
    table, rejected = _byte_table(alphabet)
    drawn = bytearray()
    while len(drawn) < count:
        # Two bytes a missing character: at most a third of the bytes are deleted.
        drawn += os.urandom(2 * (count - len(drawn)) + 8).translate(table, rejected)
    del drawn[count:]
    return drawn


@functools.lru_cache(maxsize=32)
def character_types(
    exclude_characters: str,
    *,
    exclude_uppercase: bool,
    exclude_lowercase: bool,
    exclude_numbers: bool,
    exclude_punctuation: bool,
    include_space: bool,
) -> tuple[str, ...]:
    """The included types, each as the string of its allowed characters, empty ones dropped.

    Memoised: the same few requests come back call after call."""
    excluded = set(exclude_characters)
    candidates = [
        (string.ascii_uppercase, exclude_uppercase),
        (string.ascii_lowercase, exclude_lowercase),
        (string.digits, exclude_numbers),
        (PUNCTUATION, exclude_punctuation),
        (SPACE, not include_space),
    ]
    kept = ("".join(c for c in chars if c not in excluded) for chars, off in candidates if not off)
    return tuple(chars for chars in kept if chars)


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
    alphabet, required_types, sizes = _plan(types, require_each)
    required = len(required_types)
    if length < required:
        raise password_too_short(length, required)
    password = _characters(alphabet, length - required)
    # A character of each required type, then its slot among the password's characters,
    # from one read.
    draws = _uniform((*sizes, *range(length - required + 1, length + 1)))
    # Each required character into a slot drawn among all of them: the characters
    # around it are independent draws, so this is a uniform shuffle of the whole.
    for chars, i, slot in zip(required_types, draws[:required], draws[required:], strict=True):
        password.insert(slot, ord(chars[i]))
    return password.decode("ascii")


@functools.lru_cache(maxsize=32)
def _plan(
    types: tuple[str, ...], require_each: bool
) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    """The characters to draw from, the required types (every type but the space, under
    RequireEachIncludedType) and their sizes. Memoised, as `character_types` is."""
    required = tuple(chars for chars in types if chars != SPACE) if require_each else ()
    return "".join(types), required, tuple(len(chars) for chars in required)
