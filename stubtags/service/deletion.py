"""The deletion state machine: scheduled (recoverable), forced (gone), restored.

DeleteSecret either schedules the deletion after a recovery window (30 days unless
RecoveryWindowInDays says 7 to 30) and keeps the secret, listed only on request and
refusing most operations, or, with ForceDeleteWithoutRecovery, removes it at once.
RestoreSecret cancels a scheduled deletion. When the window ends the secret is gone:
the region drops it the next time it is looked at (`AccountRegion.purge_due`).

A forced delete of a secret that does not exist (never created, or already gone)
succeeds: the DeleteSecret API reference says it does not return
ResourceNotFoundException, and a recording shows Name, ARN and DeletionDate. Which
ARN it shows for a name is not recorded: here, one with a fresh suffix, as the
secret would have had.
"""

from __future__ import annotations

from stubtags.service.errors import (
    FORCE_WITH_WINDOW,
    MARKED_FOR_DELETION,
    RECOVERY_WINDOW_RANGE,
    REPLICA_OPERATION,
    InvalidParameterException,
    InvalidRequestException,
    ResourceNotFoundException,
    still_has_replicas,
)
from stubtags.service.identity import SUFFIXED, new_arn, parse_secret_id
from stubtags.service.model import DAY, Secret, touch
from stubtags.service.store import AccountRegion

RECOVERY_DEFAULT_DAYS = 30
RECOVERY_MIN_DAYS = 7
RECOVERY_MAX_DAYS = 30


def delete_secret(
    region: AccountRegion, secret_id: str, force: bool, window_days: int | None, now: float
) -> tuple[str, str, float]:
    """DeleteSecret: schedule the deletion of a secret or, forced, remove it at once.
    Returns its Name, ARN and DeletionDate.

    The switches are judged before the secret is looked up, the window's range before its
    conflict with a forced delete (recorded). A replica is deleted through its primary; a
    primary once it has no replica regions left (recorded). One function, the lookup's
    first step in it: DeleteSecret's steps are its whole service cost.
    """
    if window_days is not None:
        if not RECOVERY_MIN_DAYS <= window_days <= RECOVERY_MAX_DAYS:
            raise InvalidParameterException(RECOVERY_WINDOW_RANGE)
        if force:
            raise InvalidParameterException(FORCE_WITH_WINDOW)
    secret = region.secrets.get(secret_id)  # `find`'s first step, without a call
    if secret is None:
        try:
            secret = region.find(secret_id)
        except ResourceNotFoundException:
            if not force:
                raise
            name, arn = _missing_identity(region, secret_id)
            return name, arn, now
    if secret.is_replica:
        raise InvalidParameterException(REPLICA_OPERATION)
    if secret.replicas:
        raise still_has_replicas(secret.arn, sorted(secret.replicas))
    if force:
        region.remove(secret)
        return secret.name, secret.arn, now
    if secret.deleted_date is not None:  # scheduled already
        raise InvalidRequestException(MARKED_FOR_DELETION)
    days = RECOVERY_DEFAULT_DAYS if window_days is None else window_days
    secret.deleted_date = now
    secret.purge_at = purge_at = now + days * DAY
    region.schedule_purge(secret)
    touch(secret, now)
    return secret.name, secret.arn, purge_at


def _missing_identity(region: AccountRegion, secret_id: str) -> tuple[str, str]:
    """The Name and ARN a forced delete reports for a secret that is not there (inferred):
    an ARN as given, with its name; a name with the ARN the secret would have had."""
    ref = parse_secret_id(secret_id, region.partition, region.name, region.account)
    if ref.name is not None:
        return ref.name, new_arn(region.partition, region.name, region.account, ref.name)
    resource = secret_id.split(":", 6)[-1]
    suffixed = SUFFIXED.fullmatch(resource)
    return (suffixed.group(1) if suffixed else resource), secret_id


def restore(secret: Secret, now: float) -> None:
    """Cancel a scheduled deletion; restoring a live secret changes nothing."""
    if secret.deleted_date is not None:  # scheduled for deletion
        secret.deleted_date = None
        secret.purge_at = None
        touch(secret, now)
