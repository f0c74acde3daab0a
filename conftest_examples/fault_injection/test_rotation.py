from __future__ import annotations

import boto3
import rotation
from botocore.config import Config

from stubtags import Backend


def client(max_attempts: int = 3) -> object:
    config = Config(retries={"mode": "standard", "total_max_attempts": max_attempts})
    return boto3.client("secretsmanager", region_name="us-east-1", config=config)


def test_botocore_retries_through_two_throttles(stubtags: Backend, no_backoff: list[float]) -> None:
    sm = client()
    stubtags.create_secret("a")
    throttle = stubtags.fail("TagResource", "ThrottlingException", "Rate exceeded", times=2)
    assert rotation.label_all(sm, ["a"], "core") == []
    assert stubtags.tags("a") == {"team": "core"}
    assert throttle.remaining == 0 and len(no_backoff) == 2


def test_a_secret_throttled_on_every_attempt_is_reported(
    stubtags: Backend, no_backoff: list[float]
) -> None:
    sm = client(max_attempts=3)
    for name in ("a", "b"):
        stubtags.create_secret(name)
    stubtags.fail("TagResource", "ThrottlingException", times=3)  # every attempt of one call
    assert rotation.label_all(sm, ["a", "b"], "core") == ["a"]
    assert stubtags.tags("b") == {"team": "core"}


def test_a_canned_reply_instead_of_the_mocks_own_answer(stubtags: Backend) -> None:
    stubtags.respond("RotateSecret", {"Name": "db", "VersionId": "v" * 32})
    assert rotation.rotate_now(client(), "db") == "v" * 32
