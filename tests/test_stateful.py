"""A model-based test: random sequences of create / tag / untag / delete / restore / force
delete / describe / list through boto3, checked after every step against a plain model of
the documented and recorded rules: tags are an ordered upsert, at most 50 user tags (`aws:`
ones don't count), a secret scheduled for deletion refuses TagResource and UntagResource
with InvalidRequestException, and a rejected call changes nothing.

Where the real service's answer is unknown (noted at each rule), either outcome is
accepted, but the model follows whichever happened and the state must still match it.

The number of runs and steps comes from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from stubtags import mock_tags
from tests.helpers import has_aws_prefix, sm_client, tag_list

REGION = "eu-north-1"
NAMES = ("alpha", "beta", "team/gamma", "db-prod01")
USER_KEYS = tuple(f"k{i}" for i in range(56))  # more than 50, so the limit is reachable
VALUES = ("", "v1", "v2", "v3")
SYSTEM_KEYS = ("aws:cloudformation:stack-name", "aws:ssm:owner")
RESERVED = ("aws:new", "AWS:New", "Aws:x", "aWS:cloudformation:stack-name")
MAX_USER_TAGS = 50

RESOURCE_NOT_FOUND = "ResourceNotFoundException"
INVALID_REQUEST = "InvalidRequestException"
INVALID_PARAMETER = "InvalidParameterException"

tag_lists = st.lists(
    st.tuples(st.sampled_from(USER_KEYS), st.sampled_from(VALUES)), min_size=1, max_size=12
)
# A run of 20-40 consecutive keys (wrapping round): a few batches reach the limit.
many_tags = st.builds(
    lambda start, size, value: [
        (USER_KEYS[(start + i) % len(USER_KEYS)], value) for i in range(size)
    ],
    st.integers(0, len(USER_KEYS) - 1),
    st.integers(20, 40),
    st.sampled_from(VALUES),
)
addressing = st.sampled_from(["name", "arn", "partial"])


@cache
def client() -> Any:
    """Made once, before any mock: each run's mock must still catch it."""
    return sm_client(REGION, own_session=True)


@dataclass
class ModelSecret:
    arn: str
    tags: dict[str, str] | None = None  # None: never tagged (DescribeSecret has no Tags)
    deleted: bool = False

    def user_count(self) -> int:
        return sum(1 for key in self.tags or {} if not has_aws_prefix(key))


class TaggingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.mock = mock_tags()
        self.backend = self.mock.start()
        self.client = client()
        self.model: dict[str, ModelSecret] = {}
        self.stale_arns: list[str] = []

    def teardown(self) -> None:
        self.mock.stop()

    # -- helpers -----------------------------------------------------------------------

    def secret_id(self, name: str, how: str) -> str:
        secret = self.model.get(name)
        if secret is None or how == "name":
            return name
        if how == "partial" and not name.startswith("db-"):  # db-prod01 reads as suffixed
            return secret.arn.rsplit("-", 1)[0]
        return secret.arn

    def rejected(self, codes: tuple[str, ...], call: Callable[..., Any], **params: Any) -> str:
        """The call must fail with one of `codes` and leave the whole state untouched."""
        before = self.backend.snapshot()
        with pytest.raises(ClientError) as caught:
            call(**params)
        code = caught.value.response["Error"]["Code"]
        event(f"{call.__name__} refused: {code}")
        assert code in codes, (code, codes, params)
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert self.backend.snapshot() == before
        return code

    def outcome(self, call: Callable[..., Any], codes: tuple[str, ...], **params: Any) -> bool:
        """For calls whose real answer is unknown: True on success; on failure, the code
        must be one of `codes` and nothing may have changed."""
        before = self.backend.snapshot()
        try:
            call(**params)
        except ClientError as error:
            assert error.response["Error"]["Code"] in codes
            assert self.backend.snapshot() == before
            return False
        return True

    # -- rules ---------------------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES), tags=st.none() | tag_lists)
    def create(self, name: str, tags: list[tuple[str, str]] | None) -> None:
        params: dict[str, Any] = {"Name": name}
        if tags is not None:
            params["Tags"] = tag_list(tags)
        existing = self.model.get(name)
        if existing is not None:
            code = INVALID_REQUEST if existing.deleted else "ResourceExistsException"
            self.rejected((code,), self.client.create_secret, **params)
            return
        requested = dict(tags) if tags is not None else None
        reply = self.client.create_secret(**params)
        assert reply["Name"] == name
        assert reply["ARN"] not in self.stale_arns  # a re-created secret gets a new ARN
        # Duplicate keys in one request: one tag, first position, last value (inferred).
        self.model[name] = ModelSecret(arn=reply["ARN"], tags=requested)

    @rule(name=st.sampled_from(NAMES), how=addressing, tags=tag_lists)
    def tag(self, name: str, how: str, tags: list[tuple[str, str]]) -> None:
        self.tag_resource(name, how, tags)

    @rule(name=st.sampled_from(NAMES), how=addressing, tags=many_tags)
    def tag_many(self, name: str, how: str, tags: list[tuple[str, str]]) -> None:
        """Large batches, so that the 50-tag limit is reached within a few steps."""
        self.tag_resource(name, how, tags)

    def tag_resource(self, name: str, how: str, tags: list[tuple[str, str]]) -> None:
        secret = self.model.get(name)
        params = {"SecretId": self.secret_id(name, how), "Tags": tag_list(tags)}
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.tag_resource, **params)
            return
        merged = dict(secret.tags or {})
        merged.update(tags)  # upsert: existing keys keep their place, new ones go last
        over_limit = sum(1 for key in merged if not has_aws_prefix(key)) > MAX_USER_TAGS
        event(f"tag: deleted={secret.deleted} over_limit={over_limit}")
        if secret.deleted:
            # Deleted and over the limit at once: which is reported is not known.
            codes = (INVALID_REQUEST, INVALID_PARAMETER) if over_limit else (INVALID_REQUEST,)
            self.rejected(codes, self.client.tag_resource, **params)
            return
        if over_limit:
            self.rejected((INVALID_PARAMETER,), self.client.tag_resource, **params)
            return
        reply = self.client.tag_resource(**params)
        assert set(reply) == {"ResponseMetadata"}
        secret.tags = merged

    @rule(
        name=st.sampled_from(NAMES),
        tags=st.lists(st.tuples(st.sampled_from(USER_KEYS), st.sampled_from(VALUES)), max_size=3),
        reserved=st.sampled_from(RESERVED),
        in_value=st.booleans(),
        position=st.integers(0, 3),
    )
    def tag_with_reserved_prefix(
        self, name: str, tags: list[tuple[str, str]], reserved: str, in_value: bool, position: int
    ) -> None:
        """One `aws:` key or value among good tags: the whole call is refused."""
        bad = ("k0", reserved) if in_value else (reserved, "v1")
        tags = [*tags[:position], bad, *tags[position:]]
        params = {"SecretId": name, "Tags": tag_list(tags)}
        secret = self.model.get(name)
        if secret is None:
            self.rejected(
                (RESOURCE_NOT_FOUND, INVALID_PARAMETER), self.client.tag_resource, **params
            )
        elif secret.deleted:
            # Two faults at once: which is reported first is not known.
            self.rejected((INVALID_REQUEST, INVALID_PARAMETER), self.client.tag_resource, **params)
        else:
            self.rejected((INVALID_PARAMETER,), self.client.tag_resource, **params)

    @rule(
        name=st.sampled_from(NAMES),
        how=addressing,
        keys=st.lists(st.sampled_from(USER_KEYS[:12]), min_size=1, max_size=4),
    )
    def untag(self, name: str, how: str, keys: list[str]) -> None:
        secret = self.model.get(name)
        params = {"SecretId": self.secret_id(name, how), "TagKeys": keys}
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.untag_resource, **params)
            return
        if secret.deleted:
            self.rejected((INVALID_REQUEST,), self.client.untag_resource, **params)
            return
        reply = self.client.untag_resource(**params)
        assert set(reply) == {"ResponseMetadata"}
        if secret.tags is not None:  # removing absent keys is a no-op (documented)
            secret.tags = {k: v for k, v in secret.tags.items() if k not in keys}

    @rule(
        name=st.sampled_from(NAMES), key=st.sampled_from(SYSTEM_KEYS), value=st.sampled_from(VALUES)
    )
    def attach_system_tag(self, name: str, key: str, value: str) -> None:
        """What CloudFormation or another service does; through the handle, not the API."""
        secret = self.model.get(name)
        if secret is None:
            return
        self.backend.add_system_tag(name, key, value, region=REGION)
        tags = dict(secret.tags or {})
        tags[key] = value
        secret.tags = tags

    @rule(name=st.sampled_from(NAMES), key=st.sampled_from(SYSTEM_KEYS), also=st.booleans())
    def untag_system_key(self, name: str, key: str, also: bool) -> None:
        keys = ["k0", key] if also else [key]
        secret = self.model.get(name)
        params = {"SecretId": name, "TagKeys": keys}
        if secret is None:
            self.rejected(
                (RESOURCE_NOT_FOUND, INVALID_PARAMETER), self.client.untag_resource, **params
            )
        elif secret.deleted:
            self.rejected(
                (INVALID_REQUEST, INVALID_PARAMETER), self.client.untag_resource, **params
            )
        elif key in (secret.tags or {}):
            self.rejected((INVALID_PARAMETER,), self.client.untag_resource, **params)  # recorded
        # An `aws:` key the secret does not carry: refusing it or ignoring it are both
        # plausible (not documented); either way nothing else may change.
        elif (
            self.outcome(self.client.untag_resource, (INVALID_PARAMETER,), **params)
            and secret.tags is not None
        ):
            secret.tags = {k: v for k, v in secret.tags.items() if k not in keys}

    @rule(name=st.sampled_from(NAMES), how=addressing, window=st.sampled_from([7, 8, 30, 6, 31, 0]))
    def delete_with_window(self, name: str, how: str, window: int) -> None:
        secret = self.model.get(name)
        params = {"SecretId": self.secret_id(name, how), "RecoveryWindowInDays": window}
        if not 7 <= window <= 30:
            codes = (
                INVALID_PARAMETER,
                RESOURCE_NOT_FOUND,
                INVALID_REQUEST,
            )  # which fault first: unknown
            self.rejected(codes, self.client.delete_secret, **params)
            return
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.delete_secret, **params)
            return
        if secret.deleted:
            self.rejected((INVALID_REQUEST,), self.client.delete_secret, **params)
            return
        reply = self.client.delete_secret(**params)
        assert reply["ARN"] == secret.arn
        assert "DeletionDate" in reply
        secret.deleted = True

    @rule(name=st.sampled_from(NAMES), how=addressing)
    def restore(self, name: str, how: str) -> None:
        secret = self.model.get(name)
        params = {"SecretId": self.secret_id(name, how)}
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.restore_secret, **params)
            return
        if secret.deleted:
            reply = self.client.restore_secret(**params)
            assert (reply["ARN"], reply["Name"]) == (secret.arn, name)
            secret.deleted = False
            return
        # Restoring a secret that is not scheduled for deletion: not documented.
        self.outcome(self.client.restore_secret, (INVALID_REQUEST,), **params)

    @rule(name=st.sampled_from(NAMES), how=addressing)
    def force_delete(self, name: str, how: str) -> None:
        secret = self.model.get(name)
        params = {"SecretId": self.secret_id(name, how), "ForceDeleteWithoutRecovery": True}
        if secret is None:  # succeeds, changing nothing (recorded)
            before = self.backend.snapshot()
            assert self.client.delete_secret(**params)["Name"] == name
            assert self.backend.snapshot() == before
            return
        # Force-deleting a secret already scheduled for deletion: not documented.
        if secret.deleted and not self.outcome(
            self.client.delete_secret, (INVALID_REQUEST,), **params
        ):
            return
        if not secret.deleted:
            reply = self.client.delete_secret(**params)
            assert reply["ARN"] == secret.arn
        del self.model[name]
        self.stale_arns.append(secret.arn)

    @rule(name=st.sampled_from(NAMES), how=addressing)
    def describe(self, name: str, how: str) -> None:
        secret = self.model.get(name)
        params = {"SecretId": self.secret_id(name, how)}
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.describe_secret, **params)
            return
        reply = self.client.describe_secret(**params)
        assert reply["ARN"] == secret.arn
        assert reply["Name"] == name
        if secret.tags is None:
            assert "Tags" not in reply  # never tagged: no Tags member (recorded)
        else:
            assert reply["Tags"] == tag_list(list(secret.tags.items()))  # [] once all removed
        assert ("DeletedDate" in reply) == secret.deleted

    @precondition(lambda self: bool(self.stale_arns))
    @rule(index=st.integers(0, 50))
    def describe_stale_arn(self, index: int) -> None:
        """The ARN of a force-deleted secret finds nothing, even once the name is reused."""
        arn = self.stale_arns[index % len(self.stale_arns)]
        self.rejected((RESOURCE_NOT_FOUND,), self.client.describe_secret, SecretId=arn)
        self.rejected(
            (RESOURCE_NOT_FOUND,),
            self.client.tag_resource,
            SecretId=arn,
            Tags=[{"Key": "k", "Value": ""}],
        )

    @rule(include_deleted=st.booleans())
    def list_all(self, include_deleted: bool) -> None:
        reply = self.client.list_secrets(IncludePlannedDeletion=include_deleted)
        listed = {entry["Name"]: entry for entry in reply["SecretList"]}
        expected = {n for n, s in self.model.items() if include_deleted or not s.deleted}
        assert set(listed) == expected
        for name, entry in listed.items():
            tags = self.model[name].tags
            if tags is None:  # never tagged: recorded for DescribeSecret, not for the list
                assert entry.get("Tags") in (None, [])
            else:
                assert entry["Tags"] == tag_list(list(tags.items()))

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def state_matches_model(self) -> None:
        assert set(self.backend.names(region=REGION)) == set(self.model)
        for name, secret in self.model.items():
            actual = self.backend.tags(name, region=REGION)
            assert list(actual.items()) == list((secret.tags or {}).items())  # same order
            assert sum(1 for key in actual if not has_aws_prefix(key)) <= MAX_USER_TAGS
            assert ("DeletedDate" in self.backend.describe(name, region=REGION)) == secret.deleted


TestTagging = TaggingMachine.TestCase


# -- rotation and replication (issue 13) ------------------------------------------------------
# The same machine, grown by replication to one more region and by rotation through a
# registered function; deleting a primary with replica regions is refused, and two more
# invariants hold: a replica's tags are its primary's, and at most one version of any
# secret holds AWSCURRENT.

REPLICA_REGION = "eu-central-1"
FUNCTION = "arn:aws:lambda:eu-north-1:123456789012:function:rotate"


@cache
def replica_client() -> Any:
    return boto3.session.Session().client("secretsmanager", region_name=REPLICA_REGION)


def rotate_function(event: dict[str, Any], context: Any) -> None:
    """A rotation function in the templates' shape (one cached client, for speed)."""
    service = client()
    arn, token = event["SecretId"], event["ClientRequestToken"]
    if event["Step"] == "createSecret":
        service.put_secret_value(
            SecretId=arn, ClientRequestToken=token, SecretString="new", VersionStages=["AWSPENDING"]
        )
    elif event["Step"] == "finishSecret":
        stages = service.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
        current = next((v for v, s in stages.items() if "AWSCURRENT" in s), None)
        moves = {"RemoveFromVersionId": current} if current else {}
        service.update_secret_version_stage(
            SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, **moves
        )


class ReplicationRotationMachine(TaggingMachine):
    def __init__(self) -> None:
        super().__init__()
        self.backend.register_lambda(FUNCTION, rotate_function)
        self.replica = replica_client()
        self.replicated: set[str] = set()  # primaries with an InSync replica
        self.failed: set[str] = set()  # primaries whose replication failed (name taken)
        self.local: set[str] = set()  # standalone secrets of the replica region

    def has_replica_regions(self, name: str) -> bool:
        return name in self.replicated or name in self.failed

    @rule(name=st.sampled_from(NAMES), force=st.booleans())
    def replicate(self, name: str, force: bool) -> None:
        secret = self.model.get(name)
        params = {
            "SecretId": name,
            "AddReplicaRegions": [{"Region": REPLICA_REGION}],
            "ForceOverwriteReplicaSecret": force,
        }
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.replicate_secret_to_regions, **params)
            return
        if secret.deleted:
            self.rejected((INVALID_REQUEST,), self.client.replicate_secret_to_regions, **params)
            return
        (status,) = self.client.replicate_secret_to_regions(**params)["ReplicationStatus"]
        if name in self.replicated or name not in self.local or force:
            assert status["Status"] == "InSync"
            self.local.discard(name)
            self.failed.discard(name)
            self.replicated.add(name)
        else:
            assert status["Status"] == "Failed"
            self.failed.add(name)

    @rule(name=st.sampled_from(NAMES))
    def remove_replication(self, name: str) -> None:
        secret = self.model.get(name)
        params = {"SecretId": name, "RemoveReplicaRegions": [REPLICA_REGION]}
        if secret is None:
            self.rejected(
                (RESOURCE_NOT_FOUND,), self.client.remove_regions_from_replication, **params
            )
            return
        if secret.deleted:
            self.rejected((INVALID_REQUEST,), self.client.remove_regions_from_replication, **params)
            return
        self.client.remove_regions_from_replication(**params)
        self.replicated.discard(name)
        self.failed.discard(name)

    @rule(name=st.sampled_from(NAMES))
    def stop_replication(self, name: str) -> None:
        call = self.replica.stop_replication_to_replica
        if name in self.replicated:
            call(SecretId=name)
            self.replicated.discard(name)
            self.local.add(name)
        elif name in self.local:
            self.rejected((INVALID_REQUEST,), call, SecretId=name)
        else:
            self.rejected((RESOURCE_NOT_FOUND,), call, SecretId=name)

    @rule(name=st.sampled_from(NAMES), tags=tag_lists)
    def tag_replica(self, name: str, tags: list[tuple[str, str]]) -> None:
        if name not in self.replicated:
            return
        params = {"SecretId": name, "Tags": tag_list(tags)}
        self.rejected((INVALID_PARAMETER,), self.replica.tag_resource, **params)

    @rule(name=st.sampled_from(NAMES), in_replica=st.booleans())
    def rotate(self, name: str, in_replica: bool) -> None:
        secret = self.model.get(name)
        params = {"SecretId": name, "RotationLambdaARN": FUNCTION}
        if in_replica:
            if name in self.replicated:
                self.rejected((INVALID_PARAMETER,), self.replica.rotate_secret, **params)
            return
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.rotate_secret, **params)
            return
        if secret.deleted:
            self.rejected((INVALID_REQUEST,), self.client.rotate_secret, **params)
            return
        version = self.client.rotate_secret(**params)["VersionId"]
        stages = self.client.describe_secret(SecretId=name)["VersionIdsToStages"]
        assert stages[version] == ["AWSCURRENT"]

    @rule(name=st.sampled_from(NAMES))
    def cancel_rotation(self, name: str) -> None:
        secret = self.model.get(name)
        if secret is None:
            self.rejected((RESOURCE_NOT_FOUND,), self.client.cancel_rotate_secret, SecretId=name)
        elif secret.deleted:
            self.rejected((INVALID_REQUEST,), self.client.cancel_rotate_secret, SecretId=name)
        else:
            self.client.cancel_rotate_secret(SecretId=name)
            assert self.client.describe_secret(SecretId=name)["RotationEnabled"] is False

    # Deleting a primary that still has replica regions is refused (recorded).

    @rule(name=st.sampled_from(NAMES), how=addressing, window=st.sampled_from([7, 8, 30, 6, 31, 0]))
    def delete_with_window(self, name: str, how: str, window: int) -> None:
        if self.has_replica_regions(name) and 7 <= window <= 30:
            params = {"SecretId": self.secret_id(name, how), "RecoveryWindowInDays": window}
            self.rejected((INVALID_PARAMETER,), self.client.delete_secret, **params)
            return
        TaggingMachine.delete_with_window(self, name, how, window)

    @rule(name=st.sampled_from(NAMES), how=addressing)
    def force_delete(self, name: str, how: str) -> None:
        if self.has_replica_regions(name):
            params = {"SecretId": self.secret_id(name, how), "ForceDeleteWithoutRecovery": True}
            self.rejected((INVALID_PARAMETER,), self.client.delete_secret, **params)
            return
        TaggingMachine.force_delete(self, name, how)

    @invariant()
    def replicas_share_their_primarys_tags(self) -> None:
        assert set(self.backend.names(region=REPLICA_REGION)) == self.replicated | self.local
        for name in self.replicated:
            assert self.backend.tags(name, region=REPLICA_REGION) == self.backend.tags(
                name, region=REGION
            )

    @invariant()
    def at_most_one_current_version(self) -> None:
        for region in (REGION, REPLICA_REGION):
            for name in self.backend.names(region=region):
                stages = self.backend.describe(name, region=region).get("VersionIdsToStages", {})
                assert sum("AWSCURRENT" in labels for labels in stages.values()) <= 1

    @invariant()
    def deprecated_versions_are_counted(self) -> None:
        """`Secret.deprecated`, kept where labels change (rotation's included), is the count."""
        for secret in self.backend.store.all_secrets():
            assert secret.deprecated == sum(not v.stages for v in secret.versions.values())


TestReplicationRotation = ReplicationRotationMachine.TestCase
