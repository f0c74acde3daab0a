"""Unit tests of the service's state changes, called as typed functions (no requests).

Each mutator records its own change through `model.touch`; reads and no-op retries don't.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stubtags.service import deletion, policies, secrets, tags, versions
from stubtags.service.errors import (
    InvalidParameterException,
    InvalidRequestException,
    ResourceExistsException,
)
from stubtags.service.model import DAY, Secret
from stubtags.service.store import AccountRegion, Store


@pytest.fixture
def region() -> AccountRegion:
    return Store().account_region("123456789012", "us-east-1")


TOKEN = "t" * 32


def _create(region: AccountRegion, name: str = "s", value: str | None = "v") -> Secret:
    secret, _ = secrets.create_secret(region, name, None, 100.0, TOKEN, secret_string=value)
    return secret


def test_create_retry_is_the_version_rule(region: AccountRegion) -> None:
    first = _create(region)
    again, version_id = secrets.create_secret(
        region, "s", None, 500.0, TOKEN, description="ignored", secret_string="v"
    )
    assert (again, version_id, again.last_changed) == (first, TOKEN, 100.0)
    with pytest.raises(ResourceExistsException, match="already in use for a version"):
        _create(region, value="other")


def test_a_new_version_touches_a_retried_one_does_not(region: AccountRegion) -> None:
    secret = _create(region)
    _, created = versions.add_version(secret, TOKEN, "v", None, None, 200.0)
    assert (created, secret.last_changed) == (False, 100.0)
    _, created = versions.add_version(secret, "u" * 32, "w", None, None, 300.0)
    assert (created, secret.last_changed) == (True, 300.0)


def test_update_touches_only_on_a_change(region: AccountRegion) -> None:
    secret = _create(region)
    secrets.update_secret(secret, 200.0, "x" * 32)
    assert secret.last_changed == 100.0
    secrets.update_secret(secret, 300.0, "x" * 32, description="d")
    assert (secret.description, secret.last_changed) == ("d", 300.0)


def test_deletion_schedule_restore_and_force(region: AccountRegion) -> None:
    secret = _create(region)
    deleted = deletion.delete_secret(region, "s", False, None, 1000.0)
    assert deleted == ("s", secret.arn, 1000.0 + 30 * DAY)
    assert (secret.scheduled_for_deletion, secret.last_changed) == (True, 1000.0)
    with pytest.raises(InvalidRequestException):
        deletion.delete_secret(region, secret.arn, False, 7, 2000.0)
    deletion.restore(secret, 3000.0)
    assert (secret.scheduled_for_deletion, secret.last_changed) == (False, 3000.0)
    deletion.restore(secret, 4000.0)
    assert secret.last_changed == 3000.0
    assert deletion.delete_secret(region, "s", True, None, 5000.0) == ("s", secret.arn, 5000.0)
    assert "s" not in region.secrets


@pytest.mark.parametrize(("force", "window"), [(True, 7), (False, 6), (False, 31)])
def test_deletion_switches_refused(region: AccountRegion, force: bool, window: int) -> None:
    _create(region)  # judged before the lookup: of an existing secret as of a missing one
    for secret_id in ("s", "absent"):
        with pytest.raises(InvalidParameterException):
            deletion.delete_secret(region, secret_id, force, window, 0.0)


def test_tags_touch_only_when_they_change(region: AccountRegion) -> None:
    secret = _create(region)
    tags.tag_secret(secret, [], 200.0)
    tags.untag_secret(secret, ["absent"], 300.0)
    assert secret.last_changed == 100.0
    tags.tag_secret(secret, [("k", "1"), ("j", "2"), ("k", "3")], 400.0)
    assert (secret.tags, secret.last_changed) == ({"k": "3", "j": "2"}, 400.0)


def test_policy_changes_touch(region: AccountRegion) -> None:
    secret = _create(region)
    policies.delete_policy(secret, 200.0)
    assert secret.last_changed == 100.0
    policies.put_policy(secret, "{}", 300.0)
    policies.delete_policy(secret, 400.0)
    assert (secret.policy, secret.last_changed) == (None, 400.0)


def test_a_read_is_kept_to_the_day_and_is_no_change(region: AccountRegion) -> None:
    secret = _create(region)
    version = versions.read_value(secret, None, None, 3 * DAY + 5.0)
    assert secret.last_accessed == version.last_accessed == 3 * DAY
    assert secret.last_changed == 100.0


def test_version_pages_are_newest_first(region: AccountRegion) -> None:
    secret = _create(region)
    for number in range(3):
        versions.add_version(secret, f"v{number}", str(number), None, None, 200.0 + number)
    ids = [v.version_id for v in versions.version_page(secret, True, None, None)[0]]
    assert ids == ["v2", "v1", "v0", TOKEN]
    labelled = versions.version_page(secret, False, None, None)[0]
    assert [v.version_id for v in labelled] == ["v2", "v1"]  # the rest are deprecated
    page, token = versions.version_page(secret, True, 3, None)
    assert len(page) == 3 and token is not None
    rest, token = versions.version_page(secret, True, 3, token)
    assert ([v.version_id for v in rest], token) == ([TOKEN], None)


def test_at_most_100_deprecated_versions_are_kept_the_oldest_dropped(
    region: AccountRegion,
) -> None:
    secret = _create(region)  # TOKEN: AWSCURRENT
    for number in range(101):  # TOKEN, then v0..v98 lose their labels: 100 deprecated
        versions.add_version(secret, f"v{number}", str(number), None, None, 200.0 + number)
    assert len(secret.versions) == 102
    assert next(iter(secret.versions)) == TOKEN
    versions.add_version(secret, "v101", "101", None, None, 400.0)  # v99 deprecated: 101
    assert len(secret.versions) == 102
    assert TOKEN not in secret.versions and "v0" in secret.versions
    assert secret.version_with_stage("AWSCURRENT") is secret.versions["v101"]
    assert secret.version_with_stage("AWSPREVIOUS") is secret.versions["v100"]
    # A label put back on the oldest version is found there, and keeps it from the drop.
    versions.move_stage(secret, "OLD", "v0", None, 500.0)  # 99 deprecated
    versions.add_version(secret, "v102", "102", None, None, 600.0)  # 100: none dropped
    assert len(secret.versions) == 103
    versions.add_version(secret, "v103", "103", None, None, 700.0)  # 101: v1 dropped
    assert secret.version_with_stage("OLD") is secret.versions["v0"]
    assert "v1" not in secret.versions and "v2" in secret.versions
    assert len(secret.versions) == 103


def _drop_by_scan(secret: Secret, kept: int) -> None:
    """The rule as first written: every deprecated version found by a scan, the oldest
    beyond `kept` dropped."""
    deprecated = [v.version_id for v in secret.versions.values() if not v.stages]
    for version_id in deprecated[: max(0, len(deprecated) - kept)]:
        del secret.versions[version_id]


LABELS = ("AWSCURRENT", "AWSPENDING", "AWSPREVIOUS", "A", "B")
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("put"),
            st.one_of(st.none(), st.lists(st.sampled_from(LABELS), max_size=3)),
        ),
        st.tuples(st.just("move"), st.sampled_from(LABELS), st.integers(0, 30)),
        st.tuples(st.just("remove"), st.sampled_from(LABELS)),
    ),
    max_size=60,
)


@settings(max_examples=200)
@given(steps)
def test_the_deprecated_count_is_the_scan_of_every_version(plan: list[tuple[Any, ...]]) -> None:
    """`Secret.deprecated` stays the number of unlabelled versions, so the drop that reads
    it leaves what a scan of every version leaves (3 kept here, for short runs)."""
    kept = 3
    counted = _create(Store().account_region("123456789012", "us-east-1"))
    scanned = _create(Store().account_region("123456789012", "us-east-1"))
    for number, step in enumerate(plan):
        for secret, limit in ((counted, kept), (scanned, 10**9)):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(versions, "MAX_DEPRECATED_VERSIONS", limit)
                try:
                    if step[0] == "put":
                        versions.add_version(secret, f"v{number}", "x", None, step[1], 1.0, True)
                    else:
                        label = step[1]
                        holder = secret.version_with_stage(label)
                        held = holder.version_id if holder else None
                        ids = list(secret.versions)
                        to = ids[step[2] % len(ids)] if step[0] == "move" else None
                        versions.move_stage(secret, label, to, held, 1.0)
                except (InvalidParameterException, InvalidRequestException):
                    continue
            if secret is scanned and step[0] != "remove":  # where the drop runs
                _drop_by_scan(secret, kept)
        assert counted.deprecated == sum(not v.stages for v in counted.versions.values())
        assert {k: v.stages for k, v in counted.versions.items()} == {
            k: v.stages for k, v in scanned.versions.items()
        }
        assert list(counted.versions) == list(scanned.versions)
