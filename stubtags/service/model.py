"""The records the service keeps: a secret and its versions, and what dates a change.

Timestamps are epoch seconds (floats), the form the service puts on the wire, so
responses are built without conversion and botocore's own parser turns them into
the `datetime` objects a caller sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from stubtags.records import compared, record_eq, record_repr, shown

if TYPE_CHECKING:
    # Records of one feature each, kept with its rules: a test that never rotates or
    # replicates loads neither module (issue #10). Still importable from here.
    from stubtags.service.replication import ReplicaStatus as ReplicaStatus
    from stubtags.service.rotation import Rotation as Rotation

AWSCURRENT = "AWSCURRENT"
AWSPREVIOUS = "AWSPREVIOUS"
AWSPENDING = "AWSPENDING"
SYSTEM_PREFIX = "aws:"
DAY = 86400.0  # seconds


def is_system_key(key: str) -> bool:
    """True for tags reserved to AWS; the prefix is matched in any letter case."""
    return key[:4].lower() == SYSTEM_PREFIX


# Dataclasses for `dataclasses.fields` (their fields are what a snapshot holds), slotted
# for memory (10,000 secrets of 10 tags within 15 MiB), with `__init__`, `==` and
# `repr()` written here: generated, they were compiled anew at every import (1.2 ms for
# Version, 1.8 for Secret; see `stubtags.records`). They behave as generated ones did.


@dataclass(slots=True, init=False, repr=False, eq=False)
class Version:
    """One version of a secret's value; `stages` are its staging labels (AWSCURRENT, ...)."""

    version_id: str
    created: float
    stages: list[str]
    secret_string: str | None = None
    secret_binary: str | None = None  # base64 text, as on the wire
    kms_key_ids: list[str] = field(default_factory=list)
    last_accessed: float | None = None

    def __init__(
        self,
        version_id: str,
        created: float,
        stages: list[str],
        secret_string: str | None = None,
        secret_binary: str | None = None,
        kms_key_ids: list[str] | None = None,
        last_accessed: float | None = None,
    ) -> None:
        self.version_id = version_id
        self.created = created
        self.stages = stages
        self.secret_string = secret_string
        self.secret_binary = secret_binary
        self.kms_key_ids = [] if kms_key_ids is None else kms_key_ids
        self.last_accessed = last_accessed

    def __eq__(self, other: object) -> bool:
        return record_eq(self, other, _VERSION_COMPARED)

    def __repr__(self) -> str:
        return record_repr(self, _VERSION_SHOWN)

    def same_value(self, secret_string: str | None, secret_binary: str | None) -> bool:
        return self.secret_string == secret_string and self.secret_binary == secret_binary


@dataclass(slots=True, init=False, repr=False, eq=False)
class Secret:
    """A secret as the service keeps it: metadata, tags, versions by id, wire-form dates."""

    arn: str
    name: str
    account: str
    region: str
    created: float
    seq: int  # creation order, the tie-breaker of every sort
    last_changed: float
    description: str | None = None
    kms_key_id: str | None = None
    # None until the secret is first tagged (DescribeSecret then omits Tags);
    # an empty dict after every tag was removed (DescribeSecret shows "Tags": []).
    tags: dict[str, str] | None = None
    deleted_date: float | None = None
    last_accessed: float | None = None
    versions: dict[str, Version] = field(default_factory=dict)
    # How many of `versions` have no staging label, kept where labels change
    # (`service.versions`): what the drop of deprecated versions beyond 100 reads.
    deprecated: int = 0
    policy: str | None = None
    primary_region: str | None = None
    owning_service: str | None = None
    # The region's sorted orders while the secret is in the store (listing.orders).
    orders: Any = field(default=None, repr=False, compare=False)
    purge_at: float | None = None  # when a scheduled deletion ends (DeletionDate)
    rotation: Rotation | None = None
    replicas: dict[str, ReplicaStatus] = field(default_factory=dict)  # by region
    # True for a replica made by replication (`service.replication.Replica`); a class
    # attribute, read without a call.
    is_replica: ClassVar[bool] = False

    def __init__(
        self,
        arn: str,
        name: str,
        account: str,
        region: str,
        created: float,
        seq: int,
        last_changed: float,
        description: str | None = None,
        kms_key_id: str | None = None,
        tags: dict[str, str] | None = None,
        deleted_date: float | None = None,
        last_accessed: float | None = None,
        versions: dict[str, Version] | None = None,
        deprecated: int = 0,
        policy: str | None = None,
        primary_region: str | None = None,
        owning_service: str | None = None,
        orders: Any = None,
        purge_at: float | None = None,
        rotation: Rotation | None = None,
        replicas: dict[str, ReplicaStatus] | None = None,
    ) -> None:
        self.arn = arn
        self.name = name
        self.account = account
        self.region = region
        self.created = created
        self.seq = seq
        self.last_changed = last_changed
        self.description = description
        self.kms_key_id = kms_key_id
        self.tags = tags
        self.deleted_date = deleted_date
        self.last_accessed = last_accessed
        self.versions = {} if versions is None else versions
        self.deprecated = deprecated
        self.policy = policy
        self.primary_region = primary_region
        self.owning_service = owning_service
        self.orders = orders
        self.purge_at = purge_at
        self.rotation = rotation
        self.replicas = {} if replicas is None else replicas

    def __eq__(self, other: object) -> bool:
        return record_eq(self, other, _SECRET_COMPARED)

    def __repr__(self) -> str:
        return record_repr(self, _SECRET_SHOWN)

    @property
    def scheduled_for_deletion(self) -> bool:
        return self.deleted_date is not None

    def version_with_stage(self, stage: str) -> Version | None:
        # Newest first: labels sit on recent versions, while up to 100 deprecated ones pile
        # up at the oldest end. A label is on one version at most: the order changes no answer.
        for version in reversed(self.versions.values()):
            if stage in version.stages:
                return version
        return None

    def versions_to_stages(self) -> dict[str, list[str]]:
        return {v.version_id: list(v.stages) for v in self.versions.values() if v.stages}


_VERSION_COMPARED = compared(Version)
_VERSION_SHOWN = shown(Version)
_SECRET_COMPARED = compared(Secret)
_SECRET_SHOWN = shown(Secret)


def touch(secret: Secret, now: float) -> None:
    """Record a change to the secret: the one place LastChangedDate moves.

    Called by the service's mutators when they changed something (a value, a label,
    metadata, tags, the policy, the deletion state); never by reads or by no-op retries.
    """
    if secret.last_changed == now:
        return  # nothing moves: a new secret's first version, calls in frozen time
    if secret.replicas:
        _touch_replicated(secret, now)
    elif secret.orders is None:
        secret.last_changed = now
    else:
        secret.orders.set_changed(secret, now)


def _touch_replicated(secret: Secret, now: float) -> None:
    """`touch` of a primary: a replica reads its LastChangedDate from its primary, so it
    moves in its own region's order too."""
    moved = [status.replica for status in secret.replicas.values() if status.replica]
    for replica in moved:
        replica.orders.take(replica, "last_changed")
    if secret.orders is None:
        secret.last_changed = now
    else:
        secret.orders.set_changed(secret, now)
    for replica in moved:
        replica.orders.put(replica, "last_changed")


_FEATURE_RECORDS = {
    "Rotation": "stubtags.service.rotation",
    "ReplicaStatus": "stubtags.service.replication",
}


def __getattr__(name: str) -> Any:
    if name not in _FEATURE_RECORDS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_FEATURE_RECORDS[name]), name)
    globals()[name] = value  # looked up once
    return value
