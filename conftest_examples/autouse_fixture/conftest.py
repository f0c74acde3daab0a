"""Autouse pattern: every test in this directory runs with Secrets Manager mocked.

The fixture yields the backend handle, so a test that wants to seed or inspect
state asks for `secretsmanager`; tests that don't, still run mocked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stubtags import Backend, mock_tags


@pytest.fixture(autouse=True)
def secretsmanager() -> Iterator[Backend]:
    with mock_tags() as backend:
        yield backend
