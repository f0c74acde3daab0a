"""stubtags: test code that tags AWS Secrets Manager secrets, offline and in memory.

from stubtags import mock_tags

with mock_tags() as backend:
    client.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "core"}])
    assert backend.tags("db") == {"team": "core"}

Names are imported on first use, so `import stubtags.plugin` (which pytest does in
every project that installs stubtags) costs no botocore import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stubtags.access import Principal, RootCaller
    from stubtags.backend import Backend
    from stubtags.canned import CannedReply
    from stubtags.errors import (
        NotActiveError,
        SecretNotFoundError,
        StubtagsError,
        UnsupportedMemberError,
        UnsupportedOperationError,
    )
    from stubtags.events import EventList, EventLog
    from stubtags.lifecycle import RestartWarning, TagsMock, active_backend, mock_tags, stop_all
    from stubtags.sensitive import SensitiveDataWarning
    from stubtags.service.store import Snapshot
    from stubtags.shapes import SecretDescription

__version__ = "0.1.0"

_WHERE = {
    "Backend": "stubtags.backend",
    "NotActiveError": "stubtags.errors",
    "SecretNotFoundError": "stubtags.errors",
    "StubtagsError": "stubtags.errors",
    "UnsupportedMemberError": "stubtags.errors",
    "UnsupportedOperationError": "stubtags.errors",
    "RestartWarning": "stubtags.lifecycle",
    "TagsMock": "stubtags.lifecycle",
    "active_backend": "stubtags.lifecycle",
    "mock_tags": "stubtags.lifecycle",
    "stop_all": "stubtags.lifecycle",
    "Snapshot": "stubtags.service.store",
    "Principal": "stubtags.access",
    "RootCaller": "stubtags.access",
    "CannedReply": "stubtags.canned",
    "SecretDescription": "stubtags.shapes",
    "EventList": "stubtags.events",
    "EventLog": "stubtags.events",
    "SensitiveDataWarning": "stubtags.sensitive",
}

__all__ = [
    "SUPPORTED_OPERATIONS",
    "Backend",
    "CannedReply",
    "EventList",
    "EventLog",
    "NotActiveError",
    "Principal",
    "RestartWarning",
    "RootCaller",
    "SecretDescription",
    "SecretNotFoundError",
    "SensitiveDataWarning",
    "Snapshot",
    "StubtagsError",
    "TagsMock",
    "UnsupportedMemberError",
    "UnsupportedOperationError",
    "__version__",
    "active_backend",
    "mock_tags",
    "stop_all",
]


def __getattr__(name: str) -> Any:
    if name == "SUPPORTED_OPERATIONS":
        from stubtags.operations import OPERATIONS

        value: Any = tuple(sorted(OPERATIONS))
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'stubtags' has no attribute {name!r}")
    globals()[name] = value  # looked up once: later uses are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
