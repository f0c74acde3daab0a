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

The randomness comes from `os.urandom` (what `secrets` uses). A system call per character
and per shuffle step (`secrets.choice`, `shuffle`) made GetRandomPassword cost twice
botocore's own work for the call; and between two calls botocore's own work evicts the CPU
caches, so each step a call takes costs cache misses, the system call's most. So a
request's whole plan is worked out once (`_plan`), and one os.urandom read makes that
request's next passwords together (`_draw`; up to about `POOL_READ` bytes' worth, from
`FIRST_READ` password up as the request comes back), which its calls then take one by
one: a call is one dictionary look-up and a `list.pop`. Passwords drawn
ahead are as random as passwords drawn on demand: each is made from its own bytes, and
no caller sees another's. A forked child draws its own.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field

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
#: Bytes an os.urandom read asks for, as many passwords as fit (one at least).
POOL_READ = 4096
#: Passwords the first read of a request makes; each later read makes twice as many as
#: the one before, up to POOL_READ's worth: a request asked once costs one password's
#: draw, one asked again and again soon draws a read's worth at a time.
FIRST_READ = 1

_Request = tuple[int, str, bool, bool, bool, bool, bool, bool]


@dataclass(slots=True)
class _Plan:
    """What every password of one request draws, and its passwords drawn ahead."""

    table: bytes  # `bytes.translate`'s table and deletions (`_byte_table`)
    rejected: bytes
    count: int  # free characters a password
    width: int  # bytes of the required draws' integer
    limit: int  # the integer's values kept: a multiple of every outcome's count
    # Per required type: its characters, its slots, its outcomes (slots x characters).
    required: tuple[tuple[bytes, int, int], ...]
    per_read: int  # passwords an os.urandom read makes at most
    ready: list[str] = field(default_factory=list)  # taken from the end
    next_read: int = 0  # passwords the next read makes (0: FIRST_READ)


_PLANS: dict[_Request, _Plan] = {}
_PLANS_MAX = 256
# A forked child draws its own passwords, not copies of its parent's.
os.register_at_fork(after_in_child=_PLANS.clear)
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
    """A GetRandomPassword password; the length is within the model's range already."""
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
    try:
        return _PLANS[request].ready.pop()
    except (KeyError, IndexError):  # a request not seen lately, or its passwords all taken
        plan = _PLANS.get(request) or _plan(request)
        many = min(plan.next_read or FIRST_READ, plan.per_read)
        plan.next_read = 2 * many
        made = _draw(plan, many)
        password = made.pop()
        plan.ready.extend(made)
        return password


def _draw(plan: _Plan, per_read: int) -> list[str]:
    """`per_read` passwords from one read, the first made last (taken first).

    The free characters come from `bytes.translate`, each equally likely any of the
    alphabet, in one stream cut in turn. One integer equally likely below the product of
    the required draws' bounds gives, digit by digit, each required character and its
    slot among the characters so far: the characters around it are independent draws, so
    this is a uniform shuffle of the whole. Each password's integer has bytes of its own.
    """
    count, width, limit = plan.count, plan.width, plan.limit
    table, rejected = plan.table, plan.rejected
    free = per_read * count
    integers = per_read * width
    drawn = os.urandom(integers + per_read * (2 * count + SPARE_BYTES))
    # Two bytes a free character: at most a third of the bytes are deleted.
    chars = drawn[integers:].translate(table, rejected)
    while len(chars) < free:
        chars += os.urandom(2 * (free - len(chars)) + SPARE_BYTES).translate(table, rejected)
    made = []
    required = plan.required
    start = at = 0  # where the password's integer and free characters start
    for _ in range(per_read):
        value = _from_bytes(drawn[start : start + width], "little")
        start += width
        if value >= limit:
            value = _redrawn(width, limit)
        password = bytearray(chars[at : at + count])
        at += count
        for kind, slots, outcomes in required:
            # The low digit in base `slots` is the slot, the next in base len(kind) the
            # character: a small number's divmod after the large one's.
            value, outcome = divmod(value, outcomes)
            i, slot = divmod(outcome, slots)
            password.insert(slot, kind[i])
        made.append(password.decode("ascii"))
    made.reverse()
    return made


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
        (chars.encode("ascii"), count + k + 1, len(chars) * (count + k + 1))
        for k, chars in enumerate(required)
    )
    bound = 1
    for _, _, outcomes in draws:
        bound *= outcomes
    width = (bound.bit_length() + 7) // 8 + SPARE_BYTES if draws else 0
    values = 256**width
    per_read = max(1, POOL_READ // (width + 2 * count + SPARE_BYTES))
    table, rejected = _byte_table("".join(types))
    plan = _Plan(table, rejected, count, width, values - values % bound, draws, per_read)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[request] = plan
    return plan
