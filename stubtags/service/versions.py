"""Secret versions and their staging labels.

A staging label is on at most one version. When AWSCURRENT moves, the version that
had it gets AWSPREVIOUS. A version left without labels is "deprecated"; the
service keeps at most 100 of those and drops the oldest beyond that.

Versions and labels come and go through this module only (`first_version`,
`add_version`, `_attach`, `unlabel`, `remove_version`, the drop), which keeps
`Secret.deprecated`, the count of unlabelled versions: the drop beyond 100 reads that
number instead of every version, on each change of a secret at the cap.

A secret's first version always gets AWSCURRENT, whatever labels the request names
(documented in the PutSecretValue API reference). PutSecretValue without
VersionStages also takes AWSPENDING off the version that held AWSCURRENT, which so
ends with AWSPREVIOUS only (recorded: `add_version`'s `pending_off`).
"""

from __future__ import annotations

from collections.abc import Sequence

from stubtags.service.errors import (
    CURRENT_NEEDS_TARGET,
    MOVE_OR_REMOVE_REQUIRED,
    STAGE_NOT_ON_VERSION,
    InvalidParameterException,
    InvalidRequestException,
    label_held_elsewhere,
    label_not_found,
    label_not_on_version,
    token_in_use,
    version_not_found,
)
from stubtags.service.model import (
    AWSCURRENT,
    AWSPENDING,
    AWSPREVIOUS,
    DAY,
    Secret,
    Version,
    touch,
)

MAX_DEPRECATED_VERSIONS = 100
DEFAULT_KMS_KEY = "DefaultEncryptionKey"  # a version's key when the secret names none
VERSIONS_PAGE_MAX = 100


def retried(
    secret: Secret, version_id: str, secret_string: str | None, secret_binary: str | None
) -> Version | None:
    """The idempotent-retry rule: the ClientRequestToken is the version id.

    The same token with the same value is a retry and returns the version it made
    (nothing changes); the same token with another value is refused.
    """
    existing = secret.versions.get(version_id)
    if existing is None:
        return None
    return _same_request(secret, existing, secret_string, secret_binary)


def _same_request(
    secret: Secret, existing: Version, secret_string: str | None, secret_binary: str | None
) -> Version:
    """`retried` of a token that names `existing`: that version, or the refusal."""
    if not existing.same_value(secret_string, secret_binary):
        raise token_in_use(existing.version_id, secret.arn)
    return existing


def first_version(
    secret: Secret,
    version_id: str,
    secret_string: str | None,
    secret_binary: str | None,
    stages: Sequence[str] | None,
    now: float,
) -> Version:
    """Store the first value of a secret that has none: no retry to recognise, no label to
    take from another version, and AWSCURRENT whatever labels the request names.

    The caller records the change (`touch`), except for a secret created at this moment
    (CreateSecret): its last change is then already now.
    """
    if stages is None:
        labels = [AWSCURRENT]
    else:
        labels = list(dict.fromkeys(stages))
        if AWSCURRENT not in labels:
            labels.append(AWSCURRENT)
    version = Version(  # positional: no keyword dict to pack and unpack
        version_id,
        now,  # created
        labels,
        secret_string,
        secret_binary,
        [secret.kms_key_id or DEFAULT_KMS_KEY],  # kms_key_ids
    )
    secret.versions[version_id] = version
    return version


def add_version(
    secret: Secret,
    version_id: str,
    secret_string: str | None,
    secret_binary: str | None,
    stages: Sequence[str] | None,
    now: float,
    pending_off: bool = False,
) -> tuple[Version, bool]:
    """Store a new value, or recognise a retry of the same request (see `retried`).

    Returns the version and whether it is new. `pending_off` is PutSecretValue's rule:
    without VersionStages, the old current version loses AWSPENDING along with
    AWSCURRENT (recorded). One function for both: a Python call less per PutSecretValue.
    """
    versions = secret.versions
    if not versions:  # then no retry either, nor a label to take from another version
        version = first_version(secret, version_id, secret_string, secret_binary, stages, now)
        touch(secret, now)
        return version, True
    existing = versions.get(version_id)  # `retried`'s first step, without a call
    if existing is not None:
        return _same_request(secret, existing, secret_string, secret_binary), False
    # Looked for before the new version is in: a scan from the newest finds it first.
    current = secret.version_with_stage(AWSCURRENT) if stages is None else None
    version = Version(
        version_id,
        now,  # created
        [],  # stages: each label is attached below
        secret_string,
        secret_binary,
        [secret.kms_key_id or DEFAULT_KMS_KEY],  # kms_key_ids
    )
    versions[version_id] = version
    secret.deprecated += 1  # no label yet: its first one (`_attach`) counts it back
    if stages is None:
        _attach(secret, version, AWSCURRENT, current)
        if pending_off and current is not None and AWSPENDING in current.stages:
            unlabel(secret, current, AWSPENDING)  # it keeps AWSPREVIOUS
    else:
        for label in dict.fromkeys(stages):
            _attach(secret, version, label, secret.version_with_stage(label))
    if secret.deprecated > MAX_DEPRECATED_VERSIONS:
        _drop_old_deprecated(secret)
    touch(secret, now)
    return version, True


def move_stage(
    secret: Secret, stage: str, move_to: str | None, remove_from: str | None, now: float
) -> None:
    """UpdateSecretVersionStage: attach, move or detach one label."""
    holder = secret.version_with_stage(stage)
    if remove_from is not None:
        if remove_from not in secret.versions:
            raise version_not_found(remove_from)
        if holder is None or holder.version_id != remove_from:
            raise label_not_on_version(stage, remove_from)
    if move_to is None:
        if remove_from is None:
            raise InvalidParameterException(MOVE_OR_REMOVE_REQUIRED)
        if stage == AWSCURRENT:
            raise InvalidParameterException(CURRENT_NEEDS_TARGET)
        unlabel(secret, secret.versions[remove_from], stage)
        touch(secret, now)
        return
    target = secret.versions.get(move_to)
    if target is None:
        raise version_not_found(move_to)
    if holder is not None and holder is not target and remove_from is None:
        raise label_held_elsewhere(stage, holder.version_id)
    _attach(secret, target, stage, holder)
    if secret.deprecated > MAX_DEPRECATED_VERSIONS:
        _drop_old_deprecated(secret)
    touch(secret, now)


def _attach(secret: Secret, version: Version, label: str, previous: Version | None) -> None:
    """Put `label` on `version`, taking it off `previous`, the version holding it (which
    the caller has looked for: most callers needed it already).

    AWSCURRENT taken from a version gives that version AWSPREVIOUS: the same steps again,
    as a loop (one Python call per label attached, not one more per move)."""
    while True:
        stages = version.stages
        if label in stages:
            return
        if previous is not None:  # `unlabel`, without a call
            held = previous.stages
            held.remove(label)
            if not held:
                secret.deprecated += 1
        if not stages:
            secret.deprecated -= 1  # labelled again
        stages.append(label)
        if label != AWSCURRENT or previous is None:
            return
        version, label = previous, AWSPREVIOUS
        previous = secret.version_with_stage(AWSPREVIOUS)


def unlabel(secret: Secret, version: Version, label: str) -> None:
    """Take `label` off `version`; one left without labels is counted deprecated."""
    stages = version.stages
    stages.remove(label)
    if not stages:
        secret.deprecated += 1


def remove_version(secret: Secret, version_id: str) -> None:
    """Forget a version (a rotation's test copy), uncounting it if it was deprecated."""
    if not secret.versions.pop(version_id).stages:
        secret.deprecated -= 1


def _drop_old_deprecated(secret: Secret) -> None:
    """Drop the oldest deprecated versions beyond the 100 kept: the first ones in creation
    order, each found by a scan from the front that stops at it (mostly one version
    dropped, the oldest or nearly: one short scan, and no list of ids)."""
    versions = secret.versions
    while secret.deprecated > MAX_DEPRECATED_VERSIONS:
        for version_id, version in versions.items():
            if not version.stages:
                del versions[version_id]
                break  # before the iterator sees the dict change
        secret.deprecated -= 1


def read_value(secret: Secret, version_id: str | None, stage: str | None, now: float) -> Version:
    """The version GetSecretValue reads (by id, by label, or AWSCURRENT), with the read
    recorded (a read is not a change)."""
    if version_id is not None:
        version = secret.versions.get(version_id)
        if version is None:
            raise version_not_found(version_id)
        if stage is not None and stage not in version.stages:
            raise InvalidRequestException(STAGE_NOT_ON_VERSION)
    else:
        label = stage or AWSCURRENT
        version = secret.version_with_stage(label)
        if version is None:
            raise label_not_found(label)
    day = now - now % DAY  # LastAccessedDate is kept to the day, rounded down (UTC)
    if secret.orders is None:
        secret.last_accessed = day
    elif secret.last_accessed != day:
        secret.orders.set_date(secret, "last_accessed", day)
    version.last_accessed = day
    return version


def version_page(
    secret: Secret, include_deprecated: bool, max_results: int | None, next_token: str | None
) -> tuple[list[Version], str | None]:
    """One page of ListSecretVersionIds, newest first (inferred), and the next token.

    Deprecated versions (no label) are listed only when asked for.
    """
    newest_first = reversed(secret.versions.values())
    if include_deprecated:
        listed = list(newest_first)
    else:  # a loop, not a comprehension: no function made and called (Python 3.11)
        listed = []
        for version in newest_first:
            if version.stages:
                listed.append(version)
    size = max_results or VERSIONS_PAGE_MAX
    if next_token is None and len(listed) <= size:
        return listed, None  # mostly: one page, the whole list
    # Pages: NextTokens are signed (`service.tokens`), imported at the first page turned
    # rather than by every test that creates a secret (this module is CreateSecret's).
    from stubtags.service import tokens

    start = 0 if next_token is None else min(tokens.decode_offset(next_token), len(listed))
    page = listed[start : start + size]
    more = start + size < len(listed)
    return page, tokens.encode_offset(start + size) if more else None
