"""GetRandomPassword: a password drawn from `os.urandom` over the requested character types.

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

The randomness comes from `os.urandom` (what `secrets` uses), one read per password,
more only to replace rejected draws: a system call per character and per shuffle step
(`secrets.choice`, `shuffle`) made GetRandomPassword cost twice botocore's own work for
the call. Between two calls botocore's own work evicts the CPU caches, so each step a
call takes costs cache misses: a request's whole plan is worked out once (`_plan`) and
a call is one dictionary look-up, one read, one `bytes.translate`, one integer.
"""

from __future__ import annotations

import os
import string

from stubtags.service.errors import (
    ALL_CHARACTERS_EXCLUDED,
    InvalidParameterException,
    password_too_short,
)

DEFAULT_LENGTH = 32
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
SPACE = " "

#: Bytes read beyond need, twice: the required draws' integer is then rejected
#: (`_redrawn`) with odds under 2**-64, the characters fall short rarely.
SPARE_BYTES = 8

_Request = tuple[int, str, bool, bool, bool, bool, bool, bool]
# The translate table and deletions, the free characters' count, the integer's width in
# bytes and its limit, and per required type: its characters, their count, its slots.
_Plan = tuple[bytes, bytes, int, int, int, tuple[tuple[bytes, int, int], ...]]
_PLANS: dict[_Request, _Plan] = {}
_PLANS_MAX = 256
# Bound once: `int.from_bytes` looked up on the type at each call cost a type-cache miss
# and a new bound method.
_from_bytes = int.from_bytes


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
    """A GetRandomPassword password; the length is within the model's range already.

    The free characters come from `bytes.translate`, each equally likely any of the
    alphabet. One integer equally likely below the product of the required draws'
    bounds gives, digit by digit, each required character and its slot among the
    characters so far: the characters around it are independent draws, so this is a
    uniform shuffle of the whole.
    """
    request = (
        length,
        exclude_characters,
        exclude_uppercase,
        exclude_lowercase,
        exclude_numbers,
        exclude_punctuation,
        include_space,
        require_each,
    )
    table, rejected, count, width, limit, required = _PLANS.get(request) or _plan(request)
    drawn = os.urandom(width + 2 * count + SPARE_BYTES)
    value = _from_bytes(drawn[:width], "little")
    if value >= limit:
        value = _redrawn(width, limit)
    # Two bytes a free character: at most a third of the bytes are deleted.
    chars = drawn[width:].translate(table, rejected)
    while len(chars) < count:
        chars += os.urandom(2 * (count - len(chars)) + SPARE_BYTES).translate(table, rejected)
    password = bytearray(chars[:count])
    for kind, size, slots in required:
        value, slot = divmod(value, slots)
        value, i = divmod(value, size)
        password.insert(slot, kind[i])
    return password.decode("ascii")


def _redrawn(width: int, limit: int) -> int:
    """An integer from `width` fresh random bytes, drawn again until below `limit`."""
    while (value := _from_bytes(os.urandom(width), "little")) >= limit:
        pass
    return value


def _byte_table(alphabet: str) -> tuple[bytes, bytes]:
    """The table and deletions of `bytes.translate` turning random bytes into characters
    of `alphabet` (ASCII): byte b becomes alphabet[b % n], and the bytes at or above the
    largest multiple of n under 256, which `% n` would favour, are deleted."""
    size = len(alphabet)
    table = bytes(ord(alphabet[byte % size]) for byte in range(256))
    return table, bytes(range(256 - 256 % size, 256))


def _plan(request: _Request) -> _Plan:
    """What every call with `random_password`'s arguments draws, or the request's error.

    Memoised in `_PLANS`: the same few requests come back call after call.
    """
    (
        length,
        exclude_characters,
        exclude_uppercase,
        exclude_lowercase,
        exclude_numbers,
        exclude_punctuation,
        include_space,
        require_each,
    ) = request
    excluded = set(exclude_characters)
    candidates = [
        (string.ascii_uppercase, exclude_uppercase),
        (string.ascii_lowercase, exclude_lowercase),
        (string.digits, exclude_numbers),
        (PUNCTUATION, exclude_punctuation),
        (SPACE, not include_space),
    ]
    kept = ("".join(c for c in chars if c not in excluded) for chars, off in candidates if not off)
    types = [chars for chars in kept if chars]
    if not types:
        raise InvalidParameterException(ALL_CHARACTERS_EXCLUDED)
    required = [chars for chars in types if chars != SPACE] if require_each else []
    count = length - len(required)
    if count < 0:
        raise password_too_short(length, len(required))
    # The k-th required character goes into one of count + k + 1 slots.
    draws = tuple(
        (chars.encode("ascii"), len(chars), count + k + 1) for k, chars in enumerate(required)
    )
    bound = 1
    for _, size, slots in draws:
        bound *= size * slots
    width = (bound.bit_length() + 7) // 8 + SPARE_BYTES if draws else 0
    values = 256**width
    plan = (*_byte_table("".join(types)), count, width, values - values % bound, draws)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[request] = plan
    return plan
