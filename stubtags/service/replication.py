"""Replication: a primary secret's read-only copies in other regions of its account.

"Replicate AWS Secrets Manager secrets across Regions" says a replica carries its
primary's encrypted value and metadata, tags and resource policy included, under the
primary's ARN with the region replaced, and can't be changed on its own (except its
encryption key). The fake keeps ONE copy of that state: a `Replica` sits in its
region's secrets and reads its shared fields through to its primary, so a later
change on the primary shows on every replica without any syncing. What is the
replica's own (ARN, region, creation, KMS key, last access) lives on the replica, its
last access on the primary's ReplicationStatus entry for that region.

StopReplicationToReplica (called in the replica's region, as "Promote a replica secret
to a standalone secret" says) turns it into an ordinary secret holding a copy of the
primary's state at that moment.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from stubtags.service.errors import (
    INVALID_REPLICA_REGION,
    NOT_A_REPLICA,
    REPLICA_NAME_EXISTS,
    REPLICA_TARGET_IS_PRIMARY,
    InvalidParameterException,
    InvalidRequestException,
)
from stubtags.service.identity import partition_of
from stubtags.service.model import Secret, touch
from stubtags.service.store import AccountRegion, Store

IN_SYNC = "InSync"
FAILED = "Failed"
DEFAULT_KEY = "alias/aws/secretsmanager"  # the KmsKeyId a replica shows without one

# What a replica reads from its primary; everything else of a Secret is its own.
SHARED = (
    "last_changed",
    "description",
    "tags",
    "deleted_date",
    "versions",
    "deprecated",
    "policy",
    "owning_service",
    "rotation",
)
OWN = (
    "arn",
    "name",
    "account",
    "region",
    "created",
    "seq",
    "kms_key_id",
    "purge_at",
    "replicas",
    "orders",
)


def _read_through(name: str) -> Any:
    def read(self: Replica) -> Any:
        return getattr(self.primary, name)

    def refuse(self: Replica, value: Any) -> None:
        raise AttributeError(
            f"a replica's {name} is its primary's: change it on the primary "
            f"in {self.primary.region}"
        )

    return property(read, refuse)


class Replica(Secret):
    """A replica of `primary` in another region: its shared fields ARE the primary's."""

    __slots__ = ("primary",)

    def __init__(
        self, primary: Secret, region: str, created: float, seq: int, kms_key_id: str | None
    ) -> None:
        parts = primary.arn.split(":", 4)
        parts[3] = region
        self.primary = primary
        self.arn = ":".join(parts)
        self.name = primary.name
        self.account = primary.account
        self.region = region
        self.created = created
        self.seq = seq
        self.kms_key_id = kms_key_id
        self.purge_at = None
        self.replicas = {}
        self.orders = None

    last_changed = _read_through("last_changed")
    description = _read_through("description")
    tags = _read_through("tags")
    deleted_date = _read_through("deleted_date")
    versions = _read_through("versions")
    deprecated = _read_through("deprecated")
    policy = _read_through("policy")
    owning_service = _read_through("owning_service")
    rotation = _read_through("rotation")

    @property
    def primary_region(self) -> str | None:
        return self.primary.region

    @primary_region.setter
    def primary_region(self, value: str | None) -> None:
        raise AttributeError("a replica's primary region is where its primary is")

    @property
    def last_accessed(self) -> float | None:
        status = self.primary.replicas.get(self.region)
        return status.last_accessed if status is not None else None

    @last_accessed.setter
    def last_accessed(self, value: float | None) -> None:
        status = self.primary.replicas.get(self.region)
        if status is not None:
            status.last_accessed = value

    is_replica = True

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        """What a copy or a pickle keeps: the primary and the replica's own fields.

        The shared ones are properties that read the primary and refuse to be set, so
        the default state (every slot, set back one by one) could not be restored.
        `copy.deepcopy` and `pickle` both make the replica first and set this state
        after, so the cycles through the region's orders come back as they were.
        """
        own = {name: getattr(self, name) for name in OWN}
        own["primary"] = self.primary
        return None, own


@dataclass(slots=True)
class ReplicaStatus:
    """One region of a primary's ReplicationStatus (`Secret.replicas`)."""

    region: str
    kms_key_id: str | None  # replicate gives the request's, or DEFAULT_KEY
    status: str  # InSync | Failed
    message: str | None = None
    last_accessed: float | None = None  # the replica's LastAccessedDate
    replica: Any = field(default=None, repr=False, compare=False)  # the Replica, when made


@dataclass(slots=True)
class ReplicaRequest:
    """One entry of AddReplicaRegions (not frozen: an `object.__setattr__` per field)."""

    region: str | None
    kms_key_id: str | None = None


def check_regions(home: str, requests: Sequence[ReplicaRequest]) -> None:
    """A replica region must be another region of the same partition."""
    partition = partition_of(home)
    for request in requests:
        target = request.region
        if not target or target == home or partition_of(target) != partition:
            raise InvalidParameterException(INVALID_REPLICA_REGION)


def replicate(
    store: Store, primary: Secret, requests: Sequence[ReplicaRequest], force: bool, now: float
) -> None:
    """Add replicas; a region whose name is taken is Failed unless `force` overwrites it.

    A region already in sync is left as it is (inferred); a Failed one is tried again.
    """
    check_regions(primary.region, requests)
    # The primary changes whatever the requests make: touched first, its new replicas
    # (which read its LastChangedDate) go straight to their place in their region's
    # order instead of being moved there.
    primary.primary_region = primary.region
    touch(primary, now)
    replicas = primary.replicas
    for request in requests:
        region = request.region or ""  # never "": refused by check_regions; no str() call
        status = replicas.get(region)
        if status is not None and status.status == IN_SYNC:
            continue
        key = request.kms_key_id or DEFAULT_KEY
        target = store.account_region(primary.account, region)
        occupant = target.secrets.get(primary.name)
        if occupant is not None:
            # Why the name in the target region stops replication there, if it does.
            if not force:
                replicas[region] = ReplicaStatus(region, key, FAILED, REPLICA_NAME_EXISTS)
                continue
            if occupant.replicas:
                replicas[region] = ReplicaStatus(region, key, FAILED, REPLICA_TARGET_IS_PRIMARY)
                continue
            if isinstance(occupant, Replica):
                occupant.primary.replicas.pop(region, None)
                touch(occupant.primary, now)
            target.remove(occupant)
        replica = Replica(primary, region, now, next(store._seq), request.kms_key_id)
        # Positional: a class called with keywords packs them in a dict, then unpacks it.
        replicas[region] = ReplicaStatus(region, key, IN_SYNC, None, None, replica)
        target.add_new(replica)  # the highest seq, created and changed `now`, never read


def remove(store: Store, primary: Secret, regions: Iterable[str], now: float) -> None:
    """RemoveRegionsFromReplication: the replicas there are deleted; unknown regions ignored."""
    changed = False
    replicas = primary.replicas
    for region in regions:
        status = replicas.pop(region, None)
        if status is None:
            continue
        changed = True
        # The replica made there (none where replication Failed): in its region under the
        # primary's name unless promoted or overwritten since, which took its status away
        # too. `remove` takes it only if it is still there.
        if status.replica is not None:
            store.account_region(primary.account, region).remove(status.replica)
    if changed:
        if not primary.replicas:
            primary.primary_region = None
        touch(primary, now)


def stop(region: AccountRegion, replica: Secret, now: float) -> Secret:
    """StopReplicationToReplica: the replica becomes a standalone secret where it is."""
    if not isinstance(replica, Replica):
        raise InvalidRequestException(NOT_A_REPLICA)
    primary = replica.primary
    standalone = Secret(
        arn=replica.arn,
        name=replica.name,
        account=replica.account,
        region=replica.region,
        created=replica.created,
        seq=replica.seq,
        last_changed=now,
        description=primary.description,
        kms_key_id=replica.kms_key_id,
        tags=copy.deepcopy(primary.tags),
        last_accessed=replica.last_accessed,
        versions=copy.deepcopy(primary.versions),
        deprecated=primary.deprecated,
        policy=primary.policy,
    )
    region.replace(replica, standalone)
    primary.replicas.pop(replica.region, None)
    if not primary.replicas:
        primary.primary_region = None
    touch(primary, now)
    return standalone
