"""ReplicateSecretToRegions, RemoveRegionsFromReplication, StopReplicationToReplica,
and the reading of AddReplicaRegions that CreateSecret shares."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from stubtags.operations.common import (
    KMS_KEY_ID_MAX,
    Params,
    Reply,
    check_max_length,
    fresh_reply,
    replication_status,
)
from stubtags.service import replication
from stubtags.service.errors import not_matching, too_long, validation_error
from stubtags.service.replication import ReplicaRequest
from stubtags.service.store import AccountRegion

REGION_MAX = 128
REGION_PATTERN = r"^([a-z]+-)+\d+$"
_REGION_RE = re.compile(REGION_PATTERN)
# Regions found valid: a suite names a handful, and a set lookup is far cheaper than
# a cold regular expression's match on every call. Bounded, so made-up names can't
# grow it without end.
_VALID_REGIONS: set[str] = set()
_VALID_REGIONS_MAX = 1024


def _check_region(value: str, where: str) -> None:
    if value in _VALID_REGIONS:
        return
    if len(value) > REGION_MAX:
        raise validation_error(too_long(value, where, REGION_MAX))
    if not _REGION_RE.fullmatch(value):
        raise validation_error(not_matching(value, where, REGION_PATTERN))
    if len(_VALID_REGIONS) < _VALID_REGIONS_MAX:
        _VALID_REGIONS.add(value)


def read_replica_regions(raw: Sequence[Mapping[str, Any]]) -> list[ReplicaRequest]:
    """AddReplicaRegions within the model's limits."""
    requests: list[ReplicaRequest] = []
    for item in raw:
        region: str | None = item.get("Region")
        kms_key_id: str | None = item.get("KmsKeyId")
        if (region is not None and region not in _VALID_REGIONS) or (
            kms_key_id is not None and len(kms_key_id) > KMS_KEY_ID_MAX
        ):
            # Unknown or refused: the checks, with the member's wire path for the message
            # (its 1-based index: one request per member so far).
            where = f"addReplicaRegions.{len(requests) + 1}.member"
            if region is not None:
                _check_region(region, f"{where}.region")
            check_max_length(kms_key_id, f"{where}.kmsKeyId", KMS_KEY_ID_MAX)
        requests.append(ReplicaRequest(region, kms_key_id or None))
    return requests


@fresh_reply
def replicate_secret_to_regions(region: AccountRegion, params: Params) -> Reply:
    requests = read_replica_regions(params["AddReplicaRegions"])
    force = bool(params.get("ForceOverwriteReplicaSecret", False))
    secret = region.find_mutable(params["SecretId"])
    replication.replicate(region.store, secret, requests, force, time.time())
    return {"ARN": secret.arn, "ReplicationStatus": replication_status(secret)}


@fresh_reply
def remove_regions_from_replication(region: AccountRegion, params: Params) -> Reply:
    regions: list[str] = params["RemoveReplicaRegions"]
    if not _VALID_REGIONS.issuperset(regions):  # in C: mostly regions seen before
        for index, name in enumerate(regions, start=1):
            _check_region(name, f"removeReplicaRegions.{index}.member")
    secret = region.find_mutable(params["SecretId"])
    replication.remove(region.store, secret, regions, time.time())
    # Mostly nothing is left to show: no call then.
    status = replication_status(secret) if secret.replicas else []
    return {"ARN": secret.arn, "ReplicationStatus": status}


def stop_replication_to_replica(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_active(params["SecretId"])
    standalone = replication.stop(region, secret, time.time())
    return {"ARN": standalone.arn}
