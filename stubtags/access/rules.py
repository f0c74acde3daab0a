"""What each operation asks IAM: its actions, its resource, its context keys.

From "Actions, resources, and condition keys for AWS Secrets Manager" and each
operation's "Required permissions" (API reference):

* an operation on a secret (it takes a SecretId) is authorized on the secret's ARN
  with `aws:ResourceTag/*` and `secretsmanager:ResourceTag/*` (the secret's current
  tags), `secretsmanager:SecretId` (its ARN) and `secretsmanager:SecretPrimaryRegion`,
  plus the request keys the reference lists for the action;
* ListSecrets, GetRandomPassword and BatchGetSecretValue act on no resource ("*");
  BatchGetSecretValue also needs ListSecrets when it has Filters, and GetSecretValue
  on each secret (asked from inside the operation: `service.gate`);
* CreateSecret with Tags also needs TagResource, with AddReplicaRegions also
  ReplicateSecretToRegions; ValidateResourcePolicy also needs PutResourcePolicy;
* `aws:RequestTag/*` and `aws:TagKeys` are the tags of the request (TagKeys: its keys,
  not the resulting tag set — recorded from user reports); UntagResource has no
  `aws:RequestTag/*`. CreateSecret also sets `aws:ResourceTag/*` from the request's
  tags ("present ... in requests that create a resource with an attached tag").

The Resource Groups Tagging API's operations are listed too (`tag:<Operation>` on
"*"; each secret then needs the Secrets Manager action, asked through the gate).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stubtags.iam import ContextValue

SM = "secretsmanager:"
Keys = dict[str, ContextValue]
Request = Mapping[str, Any]


def request_tags(request: Request) -> dict[str, str]:
    """The tags of a request: a list of {Key, Value} (Secrets Manager) or a map (tagging)."""
    raw = request.get("Tags")
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return {t["Key"]: t.get("Value", "") for t in raw if isinstance(t, Mapping) and "Key" in t}
    return {}


def tag_keys(prefix: str, tags: Mapping[str, str], keys: Keys) -> None:
    for key, value in tags.items():
        keys[f"{prefix}/{key}"] = value


def _tagging(request: Request) -> Keys:
    tags = request_tags(request)
    keys: Keys = {}
    tag_keys("aws:RequestTag", tags, keys)
    keys["aws:TagKeys"] = list(tags)
    return keys


def _untagging(request: Request) -> Keys:
    raw = request.get("TagKeys")
    return {"aws:TagKeys": [k for k in raw if isinstance(k, str)] if isinstance(raw, list) else []}


def _create(request: Request) -> Keys:
    keys = _tagging(request) if "Tags" in request else {}
    tags = request_tags(request)
    tag_keys("aws:ResourceTag", tags, keys)
    tag_keys(SM + "ResourceTag", tags, keys)
    _copy(request, keys, Name="Name", Description="Description", KmsKeyId="KmsKeyId")
    keys.update(_replicating(request))
    return keys


def _replicating(request: Request) -> Keys:
    """`secretsmanager:AddReplicaRegions` (the regions) and `ForceOverwriteReplicaSecret`."""
    keys: Keys = {}
    raw = request.get("AddReplicaRegions")
    if isinstance(raw, list):
        regions = [r.get("Region") for r in raw if isinstance(r, Mapping)]
        keys[SM + "AddReplicaRegions"] = [r for r in regions if isinstance(r, str)]
    _copy(request, keys, ForceOverwriteReplicaSecret="ForceOverwriteReplicaSecret")
    return keys


def _copy(request: Request, keys: Keys, **names: str) -> None:
    """`secretsmanager:<key>` from the request member named for it, when present."""
    for key, member in names.items():
        value = request.get(member)
        if isinstance(value, (str, bool, int)):
            keys[SM + key] = value


def _members(**names: str) -> Callable[[Request], Keys]:
    def keys(request: Request) -> Keys:
        found: Keys = {}
        _copy(request, found, **names)
        return found

    return keys


def _none(request: Request) -> Keys:
    return {}


@dataclass(frozen=True, slots=True)
class Rule:
    """How one operation is authorized.

    `action`: its own action; `also`: more actions it needs, given the request.
    `on_secret`: authorized on the secret its SecretId names (else on "*", or on the
    new secret for CreateSecret). `keys`: the request's context keys.
    `tag_action`: the action the lock-out rule re-checks (tagging operations).
    `gated`: the operation asks the gate itself (per secret).
    """

    action: str
    keys: Callable[[Request], Keys] = _none
    on_secret: bool = True
    also: Callable[[Request], tuple[str, ...]] = lambda request: ()
    tag_action: str | None = None
    gated: bool = False

    def actions(self, request: Request) -> tuple[str, ...]:
        return (self.action, *self.also(request))


def _sm(operation: str, **options: Any) -> tuple[str, Rule]:
    return operation, Rule(SM + operation, **options)


RULES: dict[str, Rule] = dict(
    [
        _sm("TagResource", keys=_tagging, tag_action=SM + "TagResource", gated=True),
        _sm("UntagResource", keys=_untagging, tag_action=SM + "UntagResource", gated=True),
        _sm(
            "CreateSecret",
            keys=_create,
            on_secret=False,
            also=lambda r: (
                *((SM + "TagResource",) if r.get("Tags") else ()),
                *((SM + "ReplicateSecretToRegions",) if r.get("AddReplicaRegions") else ()),
            ),
        ),
        _sm("DescribeSecret"),
        _sm("UpdateSecret", keys=_members(Description="Description", KmsKeyId="KmsKeyId")),
        _sm(
            "DeleteSecret",
            keys=_members(
                RecoveryWindowInDays="RecoveryWindowInDays",
                ForceDeleteWithoutRecovery="ForceDeleteWithoutRecovery",
            ),
        ),
        _sm("RestoreSecret"),
        _sm("GetSecretValue", keys=_members(VersionId="VersionId", VersionStage="VersionStage")),
        _sm("PutSecretValue"),
        _sm("ListSecretVersionIds"),
        _sm("UpdateSecretVersionStage", keys=_members(VersionStage="VersionStage")),
        _sm(
            "BatchGetSecretValue",
            on_secret=False,
            also=lambda r: (SM + "ListSecrets",) if "Filters" in r else (),
            gated=True,
        ),
        _sm("ListSecrets", on_secret=False),
        _sm("PutResourcePolicy", keys=_members(BlockPublicPolicy="BlockPublicPolicy")),
        _sm("GetResourcePolicy"),
        _sm("DeleteResourcePolicy"),
        _sm("ValidateResourcePolicy", also=lambda r: (SM + "PutResourcePolicy",)),
        _sm("GetRandomPassword", on_secret=False),
        _sm(
            "RotateSecret",
            keys=_members(
                RotationLambdaARN="RotationLambdaARN", RotateImmediately="RotateImmediately"
            ),
        ),
        _sm("CancelRotateSecret"),
        _sm("ReplicateSecretToRegions", keys=_replicating),
        _sm("RemoveRegionsFromReplication"),
        _sm("StopReplicationToReplica"),
        # The Resource Groups Tagging API (its own helper answers it): tag:<Operation> on
        # "*", then secretsmanager:TagResource / UntagResource per secret via the gate.
        (
            "TagResources",
            Rule(
                "tag:TagResources",
                on_secret=False,
                keys=_tagging,
                tag_action=SM + "TagResource",
                gated=True,
            ),
        ),
        (
            "UntagResources",
            Rule(
                "tag:UntagResources",
                on_secret=False,
                keys=_untagging,
                tag_action=SM + "UntagResource",
                gated=True,
            ),
        ),
        ("GetResources", Rule("tag:GetResources", on_secret=False)),
        ("GetTagKeys", Rule("tag:GetTagKeys", on_secret=False)),
        ("GetTagValues", Rule("tag:GetTagValues", on_secret=False)),
    ]
)


def secret_keys(
    arn: str, tags: Mapping[str, str] | None, primary_region: str | None, keys: Keys
) -> Keys:
    """Add the keys every action on a secret carries; returns `keys`."""
    keys[SM + "SecretId"] = arn
    if primary_region is not None:
        keys[SM + "SecretPrimaryRegion"] = primary_region
    if tags:
        tag_keys("aws:ResourceTag", tags, keys)
        tag_keys(SM + "ResourceTag", tags, keys)
    return keys


_TAG_REFERENCE = re.compile(r'resourcetag/([^"},]*)')


def tag_references(texts: Iterable[str]) -> frozenset[str] | None:
    """The tag keys (lower-cased) that policy statements name as `…ResourceTag/<key>`,
    in a condition key or a policy variable; None when that can't be told from the text
    (a JSON escape or a variable inside the key). Only these tags can change a decision
    ("IAM JSON policy elements: Condition": a condition reads the keys it names)."""
    found: set[str] = set()
    for text in texts:
        for match in _TAG_REFERENCE.finditer(text.lower()):
            key = match.group(1)
            if "\\" in key or "$" in key:
                return None
            found.add(key)
    return frozenset(found)


def reads_time(text: str) -> bool:
    """Does a policy text read `aws:CurrentTime` or `aws:EpochTime` (the keys that move)?"""
    lowered = text.lower()
    return "currenttime" in lowered or "epochtime" in lowered
