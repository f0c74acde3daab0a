from __future__ import annotations

import inventory  # its module-level client was created before any mock started

from stubtags import Backend


def test_label_secret_tags_it(secretsmanager: Backend) -> None:
    secretsmanager.create_secret("billing-db", region="eu-west-1")
    inventory.label_secret("billing-db", "payments")
    assert secretsmanager.tags("billing-db", region="eu-west-1") == {"team": "payments"}
    assert inventory.team_of("billing-db") == "payments"


def test_each_test_starts_empty(secretsmanager: Backend) -> None:
    assert secretsmanager.names(region="eu-west-1") == []


def test_untagged_secret_has_no_team() -> None:
    inventory.CLIENT.create_secret(Name="plain")
    assert inventory.team_of("plain") is None
