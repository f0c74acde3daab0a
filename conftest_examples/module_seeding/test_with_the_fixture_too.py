from __future__ import annotations

import boto3
import seed

from stubtags import Backend


def test_the_stubtags_fixture_shares_the_seeded_state(secrets: Backend, stubtags: Backend) -> None:
    # The per-test mock nests in the session's: same state, and no ScopeMismatch.
    assert stubtags.tags("search-042") == {"team": "search", "n": "42"}
    boto3.client("secretsmanager", region_name="us-east-1").create_secret(Name="extra")
    assert "extra" in secrets.names()


def test_starts_from_the_seed_again(secrets: Backend) -> None:
    assert "extra" not in secrets.names()
    assert len(secrets.names()) == 300
    assert seed.RUNS == [1]
