"""The deletion state machine: scheduled (recoverable), forced (gone), restored.

DeleteSecret either schedules the deletion after a recovery window (30 days unless
RecoveryWindowInDays says 7 to 30) and keeps the secret, listed only on request and
refusing most operations, or, with ForceDeleteWithoutRecovery, removes it at once.
RestoreSecret cancels a scheduled deletion. When the window ends the secret is gone:
the region drops it the next time it is looked at (`AccountRegion.purge_due`).
"""

from __future__ import annotations

from stubtags.service.errors import (
    FORCE_WITH_WINDOW,
    MARKED_FOR_DELETION,
    RECOVERY_WINDOW_RANGE,
    InvalidParameterException,
    InvalidRequestException,
)
from stubtags.service.model import DAY, Secret, touch
from stubtags.service.store import AccountRegion

RECOVERY_DEFAULT_DAYS = 30
RECOVERY_MIN_DAYS = 7
RECOVERY_MAX_DAYS = 30


def check_request(force: bool, window_days: int | None) -> None:
    """The rules on DeleteSecret's switches, judged before the secret is looked up."""
    if force and window_days is not None:
        raise InvalidParameterException(FORCE_WITH_WINDOW)
    if window_days is not None and not RECOVERY_MIN_DAYS <= window_days <= RECOVERY_MAX_DAYS:
        raise InvalidParameterException(RECOVERY_WINDOW_RANGE)


def delete(
    region: AccountRegion, secret: Secret, force: bool, window_days: int | None, now: float
) -> float:
    """Delete or schedule the deletion of a secret; returns its DeletionDate."""
    if force:
        region.remove(secret)
        return now
    if secret.scheduled_for_deletion:
        raise InvalidRequestException(MARKED_FOR_DELETION)
    days = RECOVERY_DEFAULT_DAYS if window_days is None else window_days
    secret.deleted_date = now
    secret.purge_at = now + days * DAY
    region.schedule_purge(secret)
    touch(secret, now)
    return secret.purge_at


def restore(secret: Secret, now: float) -> None:
    """Cancel a scheduled deletion; restoring a live secret changes nothing."""
    if secret.scheduled_for_deletion:
        secret.deleted_date = None
        secret.purge_at = None
        touch(secret, now)
