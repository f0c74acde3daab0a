"""The sensitive-data check: a secret's own value in its tags or its description.

The API reference of TagResource, CreateSecret and UpdateSecret warns: "Do not
include sensitive information in request parameters because it might be logged."
Tags and descriptions are request parameters CloudTrail logs, and anyone allowed
DescribeSecret or ListSecrets reads them, so a value copied there leaks. The check
runs after a successful call, against the secret's current SecretString (8
characters or more: shorter ones match too much text by chance). The warning names
the operation, the secret and the field, never the value.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from stubtags.service.errors import ServiceError
from stubtags.service.model import AWSCURRENT, Secret

if TYPE_CHECKING:
    from stubtags.backend import Backend
    from stubtags.pipeline import Call

MIN_LENGTH = 8
SCREENED = frozenset({"CreateSecret", "UpdateSecret", "TagResource"})
_INTERNAL = ("stubtags", "botocore", "boto3", "aiobotocore", "wrapt")


class SensitiveDataWarning(UserWarning):
    """A tag or a description contains the secret's own value: CloudTrail would log it."""


def screen(backend: Backend, call: Call) -> None:
    """After a successful CreateSecret, UpdateSecret or TagResource: warn on a leak.

    Runs on every such call, so it bails out early: no tags and no description, or
    no current string value of 8 characters or more. No lock: it only reads, and a
    write racing it could at worst change whether this one call warns.
    """
    request = call.request
    tags = request.get("Tags")
    description = request.get("Description")
    if not tags and description is None:
        return
    # A leak needs a field at least MIN_LENGTH long: most tags are shorter, and then
    # the secret is not looked up at all.
    # (The call succeeded: its members have the model's types.)
    if description is None or len(description) < MIN_LENGTH:
        for tag in tags or ():
            if len(tag.get("Key") or "") >= MIN_LENGTH or len(tag.get("Value") or "") >= MIN_LENGTH:
                break
        else:
            return
    secret_id = request.get("Name" if call.operation == "CreateSecret" else "SecretId")
    try:
        where = backend.store.account_region(backend.account_id, call.region)
        secret = where.find(str(secret_id))
    except ServiceError:
        return
    value = current_value(secret)
    if value is None:
        return
    fields: list[tuple[str, Any]] = [
        (f"Tags[{i}].{part}", tag.get(part))
        for i, tag in enumerate(tags or ())
        if isinstance(tag, dict)
        for part in ("Key", "Value")
    ]
    if description is not None:
        fields.append(("Description", description))
    warn_if_leaked(secret, call.operation, fields)


def current_value(secret: Secret) -> str | None:
    """The secret's current SecretString if it is long enough to be checked, else None."""
    current = secret.version_with_stage(AWSCURRENT)
    value = current.secret_string if current is not None else None
    return value if value is not None and len(value) >= MIN_LENGTH else None


def warn_if_leaked(secret: Secret, operation: str, fields: Iterable[tuple[str, Any]]) -> None:
    """Warn if any (field name, text) contains the secret's current SecretString.

    The one test, so other writers of tags (the tagging API) can call it too.
    """
    value = current_value(secret)
    if value is None:
        return
    leaked = [name for name, text in fields if isinstance(text, str) and value in text]
    if leaked:
        warnings.warn(
            f"stubtags: {operation} put the current value of secret {secret.name!r} into "
            f"{', '.join(leaked)}. Tags and descriptions are logged by CloudTrail and shown "
            f"to anyone who may describe the secret; keep secret values out of them.",
            SensitiveDataWarning,
            stacklevel=_user_level(),
        )


def _user_level() -> int:
    """The stacklevel of the first frame outside stubtags, botocore and boto3.

    So the warning points at the test's line that made the call, and `-W` filters
    on a module match the user's module.
    """
    files = [getattr(sys.modules.get(name), "__file__", None) for name in _INTERNAL]
    roots = tuple(os.path.dirname(os.path.abspath(f)) + os.sep for f in files if f)
    frame = sys._getframe(1)  # warn_if_leaked, which calls warnings.warn: level 1
    level = 1
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(roots):
        frame = frame.f_back
        level += 1
    return level
