"""Where the handle looks when given no region: the region a new client would use.

botocore decides that (AWS_DEFAULT_REGION, then the profile's `region` in the config
file; never AWS_REGION), and the answer must follow the configuration as it changes
during a run: tests that each point HOME at their own ~/.aws/config, or rewrite one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import NoRegionError

from stubtags import mock_tags


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME of the test's own, whose ~/.aws/config botocore reads."""
    monkeypatch.delenv("AWS_CONFIG_FILE")
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".aws").mkdir()
    return tmp_path


def write_config(home: Path, region: str) -> None:
    (home / ".aws" / "config").write_text(f"[default]\nregion = {region}\n")


def new_client() -> Any:
    """A client of a new session, which reads the configuration as it is now.

    (`boto3.client` reuses one default session, which read the configuration once.)
    """
    return boto3.session.Session().client("secretsmanager")


def check_handle_follows_the_client(expected: str) -> None:
    with mock_tags() as backend:
        client = new_client()
        assert client.meta.region_name == expected
        client.create_secret(Name="here")
        assert backend.names() == ["here"]
        assert backend.names(region=expected) == ["here"]


# Two tests that pass alone and used to fail together: the first one's region stuck.
def test_home_config_in_one_region(home: Path) -> None:
    write_config(home, "eu-north-1")
    check_handle_follows_the_client("eu-north-1")


def test_home_config_in_another_region(home: Path) -> None:
    write_config(home, "ap-southeast-2")
    check_handle_follows_the_client("ap-southeast-2")


def test_the_same_file_rewritten_during_a_test(home: Path) -> None:
    write_config(home, "eu-north-1")
    check_handle_follows_the_client("eu-north-1")
    write_config(home, "ap-southeast-2")
    check_handle_follows_the_client("ap-southeast-2")


def test_a_changed_profile_and_a_changed_variable(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "config").write_text(
        "[default]\nregion = eu-north-1\n[profile other]\nregion = sa-east-1\n"
    )
    check_handle_follows_the_client("eu-north-1")
    monkeypatch.setenv("AWS_PROFILE", "other")
    check_handle_follows_the_client("sa-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")  # the variable beats the file
    check_handle_follows_the_client("ca-central-1")


def test_aws_region_is_not_read_by_botocore_nor_by_the_handle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's claim: only AWS_DEFAULT_REGION and the config file name the default."""
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    with mock_tags() as backend:
        with pytest.raises(NoRegionError):
            new_client()
        boto3.client("secretsmanager", region_name="us-east-1").create_secret(Name="east")
        assert backend.names() == ["east"]  # us-east-1, stubtags' fallback


def test_mock_tags_region_is_where_the_handle_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    with mock_tags(region="eu-central-1") as backend:
        boto3.client("secretsmanager", region_name="eu-central-1").create_secret(Name="eu")
        new_client().create_secret(Name="default")
        assert backend.names() == ["eu"]
        assert backend.names(region="us-west-2") == ["default"]
        backend.create_secret("seeded")
        assert backend.names() == ["eu", "seeded"]


@pytest.mark.parametrize(
    ("region", "error"), [("EU-WEST-1", ValueError), ("us-east", ValueError), (1, TypeError)]
)
def test_mock_tags_region_must_be_a_region_name(region: object, error: type) -> None:
    with pytest.raises(error, match="region must be"):
        mock_tags(region=region)  # type: ignore[call-overload]
