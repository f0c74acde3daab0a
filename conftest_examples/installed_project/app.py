"""The project's code: it finds the secrets a team owns."""

from __future__ import annotations

from typing import Any


def team_secrets(client: Any, team: str) -> list[str]:
    found = client.list_secrets(Filters=[{"Key": "tag-value", "Values": [team]}])
    return [entry["Name"] for entry in found["SecretList"]]
