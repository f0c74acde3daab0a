"""How a secret is named and found: names, ARNs, partitions.

A SecretId may be a name, a full ARN or a partial ARN (the full ARN without its
`-` + 6 random characters). The service reads an ARN whose last part ends in
`-` + 6 alphanumerics as a full ARN, which is why a partial ARN of a secret whose
own name ends that way is not found; `parse_secret_id` reproduces that reading.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass

from stubtags.service.errors import INVALID_NAME, ValidationException, too_long, validation_error

NAME_MAX = 512
SECRET_ID_MAX = 2048
_NAME_RE = re.compile(r"[A-Za-z0-9/_+=.@!-]+")
_SUFFIX_ALPHABET = string.ascii_letters + string.digits
_SUFFIX_LENGTH = 6
_SUFFIXES = len(_SUFFIX_ALPHABET) ** _SUFFIX_LENGTH
SUFFIXED = re.compile(r"(.+)-([A-Za-z0-9]{6})")


def partition_of(region: str) -> str:
    """The ARN partition a region belongs to."""
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
    if not _NAME_RE.fullmatch(name):
        raise ValidationException(INVALID_NAME)


def new_arn(partition: str, region: str, account: str, name: str) -> str:
    """A fresh ARN: the name, `-` and 6 random letters or digits."""
    # One draw among all 62**6 suffixes, read as 6 base-62 digits: the same odds as six
    # `secrets.choice` calls, which cost a system call each.
    number = secrets.randbelow(_SUFFIXES)
    suffix = ""
    for _ in range(_SUFFIX_LENGTH):
        number, digit = divmod(number, len(_SUFFIX_ALPHABET))
        suffix += _SUFFIX_ALPHABET[digit]
    return f"arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{suffix}"


@dataclass(frozen=True, slots=True)
class SecretRef:
    """What a SecretId designates, before it is looked up.

    Exactly one of `name`, `arn` and `partial_name` is set. `foreign` is True for
    an ARN of another partition, region or account: such a secret is never found.
    """

    name: str | None = None
    arn: str | None = None
    partial_name: str | None = None
    foreign: bool = False


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
    if not _NAME_RE.fullmatch(resource):  # the length is that of the whole SecretId
        raise ValidationException(INVALID_NAME)
    if SUFFIXED.fullmatch(resource):
        return SecretRef(arn=secret_id, foreign=foreign)
    return SecretRef(partial_name=resource, foreign=foreign)
