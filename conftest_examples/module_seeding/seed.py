"""The (imagined) costly seed: many secrets, built once per session."""

from __future__ import annotations

from stubtags import Backend

TEAMS = ("orders", "search", "billing")
RUNS: list[int] = []  # how often seed() ran in this process


def seed(backend: Backend) -> None:
    RUNS.append(1)
    backend.load(
        [
            {"name": f"{team}-{n:03}", "tags": {"team": team, "n": str(n)}}
            for team in TEAMS
            for n in range(100)
        ]
    )
