"""Secret versions and their staging labels.

A staging label is on at most one version. When AWSCURRENT moves, the version that
had it gets AWSPREVIOUS. A version left without labels is "deprecated"; the
service keeps at most 100 of those and drops the oldest beyond that.
"""

from __future__ import annotations

from collections.abc import Sequence

from stubtags.service.errors import (
    InvalidParameterException,
    ResourceExistsException,
    ResourceNotFoundException,
)
from stubtags.service.model import AWSCURRENT, AWSPREVIOUS, Secret, Version

MAX_DEPRECATED_VERSIONS = 100


def add_version(
    secret: Secret,
    version_id: str,
    secret_string: str | None,
    secret_binary: str | None,
    stages: Sequence[str] | None,
    now: float,
) -> tuple[Version, bool]:
    """Store a new value, or recognise a retry of the same request.

    Returns the version and whether it is new. The ClientRequestToken is the
    version id: the same token with the same value is a retry (nothing changes),
    the same token with another value is refused.
    """
    existing = secret.versions.get(version_id)
    if existing is not None:
        if existing.same_value(secret_string, secret_binary):
            return existing, False
        raise ResourceExistsException(
            "You can't modify an existing version, you can only create a new version."
        )
    labels = list(dict.fromkeys(stages if stages is not None else [AWSCURRENT]))
    version = Version(
        version_id=version_id,
        created=now,
        stages=[],
        secret_string=secret_string,
        secret_binary=secret_binary,
        kms_key_ids=[secret.kms_key_id or "DefaultEncryptionKey"],
    )
    secret.versions[version_id] = version
    for label in labels:
        _attach(secret, version, label)
    _drop_old_deprecated(secret)
    return version, True


def move_stage(secret: Secret, stage: str, move_to: str | None, remove_from: str | None) -> None:
    """UpdateSecretVersionStage: attach, move or detach one label."""
    holder = next((v for v in secret.versions.values() if stage in v.stages), None)
    if remove_from is not None:
        if remove_from not in secret.versions:
            raise ResourceNotFoundException(
                f"Secrets Manager can't find the specified secret value for VersionId: "
                f"{remove_from}"
            )
        if holder is None or holder.version_id != remove_from:
            raise InvalidParameterException(
                f"The staging label {stage} is not attached to version {remove_from}, so "
                f"it can't be removed from it."
            )
    if move_to is None:
        if remove_from is None:
            raise InvalidParameterException(
                "You must specify MoveToVersionId, RemoveFromVersionId, or both."
            )
        if stage == AWSCURRENT:
            raise InvalidParameterException(
                "You can't remove the staging label AWSCURRENT without moving it to "
                "another version: pass MoveToVersionId."
            )
        secret.versions[remove_from].stages.remove(stage)
        return
    target = secret.versions.get(move_to)
    if target is None:
        raise ResourceNotFoundException(
            f"Secrets Manager can't find the specified secret value for VersionId: {move_to}"
        )
    if holder is not None and holder is not target and remove_from is None:
        raise InvalidParameterException(
            f"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is "
            f"currently attached to version {holder.version_id}, so you must explicitly "
            f"reference that version in RemoveFromVersionId."
        )
    _attach(secret, target, stage)
    _drop_old_deprecated(secret)


def _attach(secret: Secret, version: Version, label: str) -> None:
    if label in version.stages:
        return
    previous = next((v for v in secret.versions.values() if label in v.stages), None)
    if previous is not None:
        previous.stages.remove(label)
    version.stages.append(label)
    if label == AWSCURRENT and previous is not None:
        _attach(secret, previous, AWSPREVIOUS)


def _drop_old_deprecated(secret: Secret) -> None:
    deprecated = [v.version_id for v in secret.versions.values() if not v.stages]
    for version_id in deprecated[: max(0, len(deprecated) - MAX_DEPRECATED_VERSIONS)]:
        del secret.versions[version_id]


def select_version(secret: Secret, version_id: str | None, stage: str | None) -> Version:
    """The version GetSecretValue reads: by id, by label, or AWSCURRENT."""
    if version_id is not None:
        version = secret.versions.get(version_id)
        if version is None or (stage is not None and stage not in version.stages):
            raise ResourceNotFoundException(
                f"Secrets Manager can't find the specified secret value for VersionId: {version_id}"
            )
        return version
    label = stage or AWSCURRENT
    found = secret.version_with_stage(label)
    if found is None:
        raise ResourceNotFoundException(
            f"Secrets Manager can't find the specified secret value for staging label: {label}"
        )
    return found
