"""stubtags: test code that tags AWS Secrets Manager secrets, offline and in memory.

from stubtags import mock_tags

with mock_tags() as backend:
    client.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "core"}])
    assert backend.tags("db") == {"team": "core"}
"""

from stubtags.backend import Backend
from stubtags.errors import NotActiveError, StubtagsError, UnsupportedOperationError
from stubtags.lifecycle import TagsMock, active_backend, mock_tags
from stubtags.operations import OPERATIONS

__version__ = "0.1.0"
SUPPORTED_OPERATIONS = tuple(sorted(OPERATIONS))

__all__ = [
    "SUPPORTED_OPERATIONS",
    "Backend",
    "NotActiveError",
    "StubtagsError",
    "TagsMock",
    "UnsupportedOperationError",
    "__version__",
    "active_backend",
    "mock_tags",
]
