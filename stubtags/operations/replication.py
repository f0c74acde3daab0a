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
_REGION_RE = re.compile(REGION_PATTERN)  # compiled once: every replica region is checked


def _check_region(value: str, where: str) -> None:
    if len(value) > REGION_MAX:
        raise validation_error(too_long(value, where, REGION_MAX))
    if not _REGION_RE.fullmatch(value):
        raise validation_error(not_matching(value, where, REGION_PATTERN))


def read_replica_regions(raw: Sequence[Mapping[str, Any]]) -> list[ReplicaRequest]:
    """AddReplicaRegions within the model's limits."""
    requests = []
    for index, item in enumerate(raw, start=1):
        region: str | None = item.get("Region")
        kms_key_id: str | None = item.get("KmsKeyId")
        if (
            region is not None and (len(region) > REGION_MAX or not _REGION_RE.fullmatch(region))
        ) or (kms_key_id is not None and len(kms_key_id) > KMS_KEY_ID_MAX):
            # Refused: the checks again, with the member's wire path for the message.
            where = f"addReplicaRegions.{index}.member"
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
    for index, name in enumerate(regions, start=1):
        if len(name) > REGION_MAX or not _REGION_RE.fullmatch(name):
            _check_region(name, f"removeReplicaRegions.{index}.member")
    secret = region.find_mutable(params["SecretId"])
    replication.remove(region.store, secret, regions, time.time())
    return {"ARN": secret.arn, "ReplicationStatus": replication_status(secret)}


def stop_replication_to_replica(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_active(params["SecretId"])
    standalone = replication.stop(region, secret, time.time())
    return {"ARN": standalone.arn}
