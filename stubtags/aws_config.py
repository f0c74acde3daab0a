"""What the AWS configuration on this machine says, as botocore reads it: the default region."""

from __future__ import annotations

import os
from typing import Any

FALLBACK_REGION = "us-east-1"

# One botocore session, for the configuration it was made under: making one costs
# milliseconds, and seeding many secrets asks for the region once per secret.
_cached: tuple[tuple[object, ...], Any] | None = None


def _config_key() -> tuple[object, ...]:
    """Everything botocore's answer depends on: the variables, and the file's identity.

    Tests that point HOME at their own ~/.aws/config, or rewrite the same file, change
    the answer without changing AWS_CONFIG_FILE or AWS_PROFILE.
    """
    env = os.environ
    path = os.path.expanduser(env.get("AWS_CONFIG_FILE") or "~/.aws/config")
    try:
        stat = os.stat(path)
        file_id: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        file_id = None
    return (
        path,
        file_id,
        env.get("AWS_PROFILE"),
        env.get("AWS_DEFAULT_PROFILE"),
        env.get("AWS_DEFAULT_REGION"),
    )


def default_region() -> str:
    """The region a new client would use when given none, else us-east-1.

    botocore decides: AWS_DEFAULT_REGION, then the profile's `region` in the config
    file. (botocore does not read AWS_REGION.)
    """
    global _cached
    key = _config_key()
    try:
        if _cached is None or _cached[0] != key:
            import botocore.session

            _cached = (key, botocore.session.Session())
        configured = _cached[1].get_config_variable("region")
    except Exception:  # a broken config file must not break a test's set-up
        configured = None
    return str(configured) if configured else FALLBACK_REGION
