"""The region's sorted orders stay sorted through every change, and survive snapshots."""

from __future__ import annotations

from typing import Any

import boto3
from hypothesis import given
from hypothesis import strategies as st

from stubtags import Backend
from stubtags.service.listing.orders import POSITIONS, Orders
from stubtags.service.model import Secret

REGION = "us-east-1"


def _secret(seq: int, name: str, created: float) -> Secret:
    return Secret(
        arn=f"arn:{name}", name=name, account="1", region=REGION, created=created,
        seq=seq, last_changed=created,
    )  # fmt: skip


steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "add_new", "discard", "last_changed", "last_accessed"]),
        st.integers(0, 15),
        st.integers(0, 5).map(float),
    ),
    max_size=60,
)


@given(steps)
def test_every_order_stays_sorted_whatever_the_changes(
    changes: list[tuple[str, int, float]],
) -> None:
    orders = Orders()
    members: dict[int, Secret] = {}
    for action, seq, stamp in changes:
        secret = members.get(seq)
        if action == "add_new":  # a secret of the highest seq, as `AccountRegion.create` makes
            seq = max(members, default=-1) + 1
            members[seq] = _secret(seq, f"n{(seq * 7) % 5}", stamp)
            orders.add_new(members[seq])
        elif action == "add" and secret is None:
            members[seq] = _secret(seq, f"n{(seq * 7) % 5}", stamp)
            orders.add(members[seq])
        elif action == "discard" and secret is not None:
            orders.discard(members.pop(seq))
        elif secret is not None and action == "last_changed":
            orders.set_changed(secret, stamp)
        elif secret is not None and action == "last_accessed":
            orders.set_date(secret, action, stamp)
    for sort_by, position in POSITIONS.items():
        assert orders.sorted_by(sort_by) == sorted(members.values(), key=position)


def _names(client: Any, **kwargs: Any) -> list[str]:
    return [s["Name"] for s in client.list_secrets(**kwargs)["SecretList"]]


def test_a_restored_snapshot_lists_and_reorders_like_the_original(stubtags: Backend) -> None:
    client = boto3.client("secretsmanager", region_name=REGION)
    for name in ("a", "b", "c"):
        client.create_secret(Name=name)
    snapshot = stubtags.snapshot()
    client.delete_secret(SecretId="b", ForceDeleteWithoutRecovery=True)
    stubtags.restore(snapshot)
    assert _names(client, SortBy="name") == ["a", "b", "c"]
    client.tag_resource(SecretId="a", Tags=[{"Key": "k", "Value": "v"}])  # a changes last
    assert _names(client, SortBy="last-changed-date", SortOrder="desc")[0] == "a"
    client.create_secret(Name="0")
    assert _names(client, SortBy="name") == ["0", "a", "b", "c"]


def test_a_replica_moves_in_its_regions_order_when_its_primary_changes(stubtags: Backend) -> None:
    east = boto3.client("secretsmanager", region_name=REGION)
    west = boto3.client("secretsmanager", region_name="eu-west-1")
    east.create_secret(Name="primary", AddReplicaRegions=[{"Region": "eu-west-1"}])
    west.create_secret(Name="local")
    assert _names(west, SortBy="last-changed-date") == ["primary", "local"]
    east.tag_resource(SecretId="primary", Tags=[{"Key": "k", "Value": "v"}])
    assert _names(west, SortBy="last-changed-date") == ["local", "primary"]
    orders = stubtags.store.secrets_of(stubtags.account_id, "eu-west-1").orders
    for sort_by, position in POSITIONS.items():
        listed = orders.sorted_by(sort_by)
        assert listed == sorted(listed, key=position)
    west.stop_replication_to_replica(SecretId="primary")
    west.tag_resource(SecretId="local", Tags=[{"Key": "k", "Value": "v"}])
    assert _names(west, SortBy="last-changed-date") == ["primary", "local"]
