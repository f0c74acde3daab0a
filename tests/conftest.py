"""Shared fixtures and hypothesis budgets; the shared helpers are in `tests/helpers.py`.

Every test runs as on a machine with no AWS account: no credentials, no config. If
stubtags ever let a request through to botocore's signer, the test would fail with
NoCredentialsError instead of quietly reaching a real account.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import pytest

from stubtags import Backend
from tests.helpers import REGION, sm_client

# tests/compat needs packages the test extra can't hold together with the rest
# (aioboto3 pins an older aiobotocore); `.ci/run` runs it in its own environment.
collect_ignore = [] if importlib.util.find_spec("aioboto3") else ["compat"]


def _register_hypothesis_profiles() -> None:
    """`dev` (the default) keeps the README's test command quick; `ci` is the thorough run
    `.ci/run` selects with HYPOTHESIS_PROFILE=ci. No test sets its own budget."""
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # the aioboto3 environment runs tests/compat without hypothesis
        return
    common: dict[str, Any] = {
        "deadline": None,
        "database": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    }
    settings.register_profile("dev", max_examples=20, stateful_step_count=25, **common)
    settings.register_profile("ci", max_examples=300, stateful_step_count=50, **common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_register_hypothesis_profiles()
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "ci"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "thorough: a slow end-to-end check (a subprocess pytest run of an example, the "
        "benchmark's smoke run, real back-off sleeps, the longest thread test) left to "
        "the thorough run, HYPOTHESIS_PROFILE=ci, which "
        ".ci/run makes before the README's quick command",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The quick default run deselects `thorough` tests, and says how many it left out."""
    if THOROUGH:
        return
    kept = [item for item in items if item.get_closest_marker("thorough") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _no_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    missing = tmp_path_factory.getbasetemp() / "no-aws-config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(missing / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(missing / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def secretsmanager(stubtags: Backend) -> Any:
    """A Secrets Manager client in `helpers.REGION` (us-east-1), with the mock on for the
    test; ask for `stubtags` as well to set up or inspect state through the handle."""
    return sm_client(REGION)
