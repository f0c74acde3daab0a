"""How a secret is named and found: names, ARNs, partitions.

A SecretId may be a name, a full ARN or a partial ARN (the full ARN without its
`-` + 6 random characters). The service reads an ARN whose last part ends in
`-` + 6 alphanumerics as a full ARN, which is why a partial ARN of a secret whose
own name ends that way is not found; `parse_secret_id` reproduces that reading.
"""

from __future__ import annotations

import functools
import os
import re
import string

from stubtags.service.errors import INVALID_NAME, ValidationException, too_long, validation_error

NAME_MAX = 512
SECRET_ID_MAX = 2048
# A name's alphabet. `not text.strip(_NAME_CHARS)` tests that every character is in it,
# in C, through less code than a regular expression's match: a cold CreateSecret's cost.
_NAME_CHARS = string.ascii_letters + string.digits + "/_+=.@!-"
_SUFFIX_ALPHABET = string.ascii_letters + string.digits
_SUFFIX_LENGTH = 6
# `bytes.translate` turns random byte b into _SUFFIX_ALPHABET[b % 62] and deletes the
# bytes 248-255, which `% 62` would favour: each byte kept is any character equally.
_SUFFIX_TABLE = bytes(ord(_SUFFIX_ALPHABET[b % len(_SUFFIX_ALPHABET)]) for b in range(256))
_SUFFIX_REJECTED = bytes(range(256 - 256 % len(_SUFFIX_ALPHABET), 256))
_SUFFIX_READ = 1024  # bytes an os.urandom read: about 160 suffixes
# Suffixes drawn ahead, taken from the end; a forked child draws its own, not its parent's.
_suffixes: list[str] = []
os.register_at_fork(after_in_child=_suffixes.clear)
SUFFIXED = re.compile(r"(.+)-([A-Za-z0-9]{6})")


@functools.lru_cache(maxsize=256)
def partition_of(region: str) -> str:
    """The ARN partition a region belongs to (cached: a few prefix tests per region,
    asked for on every replication and every new region view)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def validate_name(name: str, member: str = "name") -> None:
    """Reject a secret name outside the service's alphabet or length."""
    if len(name) > NAME_MAX:
        raise validation_error(too_long(name, member, NAME_MAX))
    if not name or name.strip(_NAME_CHARS):
        raise ValidationException(INVALID_NAME)


def new_arn(partition: str, region: str, account: str, name: str) -> str:
    """A fresh ARN: the name, `-` and 6 random letters or digits."""
    try:
        suffix = _suffixes.pop()
    except IndexError:  # none left (or another thread took the last): read more
        suffix = _draw_suffixes()
    return f"arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{suffix}"


def _draw_suffixes() -> str:
    """Refill `_suffixes` and return one more suffix.

    Each character equally likely and independent, as from `secrets.choice`, but from one
    os.urandom read (a system call) for about 160 suffixes, through `bytes.translate` in
    C: the steps of a draw per ARN cost more than the rest of a CreateSecret's service
    work. Characters left over after the last whole suffix of a read are dropped (their
    number depends on no kept character's value, so no suffix is favoured).
    """
    while True:
        kept = os.urandom(_SUFFIX_READ).translate(_SUFFIX_TABLE, _SUFFIX_REJECTED).decode()
        size = _SUFFIX_LENGTH
        _suffixes.extend([kept[i : i + size] for i in range(0, len(kept) - size + 1, size)])
        try:
            return _suffixes.pop()
        except IndexError:  # fewer than 6 kept (never seen), or other threads took them
            continue


class SecretRef:
    """What a SecretId designates, before it is looked up.

    Exactly one of `name`, `arn` and `partial_name` is set. `foreign` is True for
    an ARN of another partition, region or account: such a secret is never found.

    Read once and dropped, never changed. Not a frozen dataclass: that cost 1.4 ms
    at every import (`stubtags.records`) and an `object.__setattr__` per field per
    call, for `==`, a hash and a repr that nothing uses.
    """

    __slots__ = ("arn", "foreign", "name", "partial_name")

    def __init__(
        self,
        name: str | None = None,
        arn: str | None = None,
        partial_name: str | None = None,
        foreign: bool = False,
    ) -> None:
        self.name = name
        self.arn = arn
        self.partial_name = partial_name
        self.foreign = foreign


def parse_secret_id(secret_id: str, partition: str, region: str, account: str) -> SecretRef:
    if len(secret_id) > SECRET_ID_MAX:
        raise validation_error(too_long(secret_id, "secretId", SECRET_ID_MAX))
    if not secret_id.startswith("arn:"):
        validate_name(secret_id, "secretId")
        return SecretRef(name=secret_id)
    parts = secret_id.split(":", 6)
    if len(parts) != 7 or parts[2] != "secretsmanager" or parts[5] != "secret" or not parts[6]:
        # Shaped like no Secrets Manager ARN: nothing can match it.
        return SecretRef(arn=secret_id, foreign=True)
    foreign = (parts[1], parts[3], parts[4]) != (partition, region, account)
    resource = parts[6]
    if resource.strip(_NAME_CHARS):  # the length is that of the whole SecretId
        raise ValidationException(INVALID_NAME)
    if SUFFIXED.fullmatch(resource):
        return SecretRef(arn=secret_id, foreign=foreign)
    return SecretRef(partial_name=resource, foreign=foreign)
