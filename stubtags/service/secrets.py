"""CreateSecret and UpdateSecret: a secret's metadata and its first or next value.

The value goes through `versions` (`add_version`; a new secret's, `first_version`), so
the idempotent-retry rule (same ClientRequestToken and same value: a retry; another
value: refused) is the one written there (`retried`), for CreateSecret as for
UpdateSecret and PutSecretValue.
"""

from __future__ import annotations

from collections.abc import Sequence

from stubtags.service import tags as tag_rules
from stubtags.service.errors import (
    NAME_SCHEDULED_FOR_DELETION,
    InvalidRequestException,
    secret_exists,
)
from stubtags.service.model import Secret, touch
from stubtags.service.store import AccountRegion
from stubtags.service.versions import add_version, first_version, retried


def create_secret(
    region: AccountRegion,
    name: str,
    tags: Sequence[tag_rules.Tag] | None,
    now: float,
    token: str,
    description: str | None = None,
    kms_key_id: str | None = None,
    secret_string: str | None = None,
    secret_binary: str | None = None,
) -> tuple[Secret, str | None]:
    """Create a secret (with a first version when a value is given).

    `token` is the ClientRequestToken: the id of the version a value makes. None means
    "not given", as for `update_secret`. Returns the secret and the id of the version
    made, if any. A retry of a create that succeeded (same name, token and value)
    returns that secret and changes nothing.
    """
    new_tags = None if tags is None else tag_rules.new_tags(tags)
    existing = region.secrets.get(name)
    if existing is not None:  # the name is taken: a retry, or refused
        if existing.deleted_date is not None:  # scheduled for deletion
            raise InvalidRequestException(NAME_SCHEDULED_FOR_DELETION)
        version = retried(existing, token, secret_string, secret_binary)
        if version is None:
            raise secret_exists(name)
        return existing, version.version_id
    # Description "": no Description at all (recorded).
    secret = region.create(name, now, description or None, kms_key_id, new_tags)
    if secret_string is None and secret_binary is None:
        return secret, None
    # Not `add_version`: nothing to retry or relabel, and no `touch`, the secret being
    # created now.
    first_version(secret, token, secret_string, secret_binary, None, now)
    return secret, token


def update_secret(
    secret: Secret,
    now: float,
    token: str,
    description: str | None = None,
    kms_key_id: str | None = None,
    secret_string: str | None = None,
    secret_binary: str | None = None,
) -> str | None:
    """Update an active secret's metadata and/or add a value; returns the version id, if any.

    None means "not given"; `token` is the id of the version a value makes. The value
    comes first, as the one step that can still refuse: a refused call changes nothing.
    Metadata equal to what is stored is no change.
    """
    version_id = None
    if secret_string is not None or secret_binary is not None:
        version, _ = add_version(secret, token, secret_string, secret_binary, None, now)
        version_id = version.version_id
    changed = False
    if description is not None and description != secret.description:
        secret.description = description
        changed = True
    if kms_key_id is not None and kms_key_id != secret.kms_key_id:
        secret.kms_key_id = kms_key_id
        changed = True
    if changed:
        touch(secret, now)
    return version_id
