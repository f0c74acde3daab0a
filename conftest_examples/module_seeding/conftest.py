"""Seed once per session, start every test from that seeded state.

Seeding a large state can cost more than the tests that read it. A session-scoped
fixture can't use the function-scoped `stubtags` fixture (pytest refuses: ScopeMismatch),
so it runs a mock of its own, seeds it once and keeps a snapshot. Each test's
`secrets` fixture restores that snapshot: whatever one test changed, the next test
starts from the seed. For once per module, write scope="module" instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import seed

from stubtags import Backend, Snapshot, mock_tags


@pytest.fixture(scope="session")
def seeded() -> Iterator[tuple[Backend, Snapshot]]:
    with mock_tags(region="us-east-1") as backend:
        seed.seed(backend)
        yield backend, backend.snapshot()


@pytest.fixture
def secrets(seeded: tuple[Backend, Snapshot]) -> Backend:
    backend, snapshot = seeded
    backend.restore(snapshot)
    return backend
