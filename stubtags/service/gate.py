"""What the caller may do, asked from inside an operation: the checks only it can make.

Most permission checks happen before an operation runs (the pipeline's authorize
stage). Two can't: BatchGetSecretValue needs GetSecretValue on each secret it reads
(the secrets are known only once filters ran), and the tagging lock-out rule needs the
tags a secret would have afterwards (known only under the store's lock, after every
other check). The authorize stage hands the operation a `Gate` for those; the service
calls it without knowing anything of IAM. Without permissions in play it is `OPEN`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from stubtags.records import record_repr
from stubtags.service.errors import ServiceError
from stubtags.service.model import Secret

# May the caller do `action` (e.g. "secretsmanager:GetSecretValue") on `secret`?
# None when it may, else the error to report for that secret.
SecretCheck = Callable[[str, Secret], "ServiceError | None"]

# Called with the secret and the tags it would have once the change is made, after every
# other rule passed and before anything is written; raises a ServiceError to refuse.
TagGuard = Callable[[Secret, Mapping[str, str]], None]


def _allowed(action: str, secret: Secret) -> ServiceError | None:
    return None


class Gate:
    """The caller's own checks, handed to an operation; `OPEN` allows everything.

    Never changed once made. Not a frozen dataclass: that cost 1.2 ms at every import
    (`stubtags.records`), for `==` and a hash that nothing uses (the service asks
    `gate is OPEN`).
    """

    __slots__ = ("check", "tag_guard")

    def __init__(self, check: SecretCheck = _allowed, tag_guard: TagGuard | None = None) -> None:
        self.check = check
        self.tag_guard = tag_guard

    def __repr__(self) -> str:  # shown in a call's repr, as the dataclass's was
        return record_repr(self, ("check", "tag_guard"))


OPEN = Gate()
