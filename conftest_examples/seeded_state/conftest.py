"""Seeded pattern: the `stubtags` fixture, filled from a JSON file before each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from stubtags import Backend

SEED = Path(__file__).with_name("secrets.json")


@pytest.fixture
def secrets(stubtags: Backend) -> Backend:
    stubtags.load(SEED)
    return stubtags
