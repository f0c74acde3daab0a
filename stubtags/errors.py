"""Errors about how stubtags is used: plain Python exceptions no AWS reply would carry.

The fake service's own errors (what a boto3 client raises) live in
`stubtags.service.errors`; these are for the test author.
"""

from __future__ import annotations


class StubtagsError(Exception):
    """Base class of the errors stubtags raises about its own use."""


class UnsupportedOperationError(StubtagsError, NotImplementedError):
    """An operation stubtags does not implement was called while active: of Secrets
    Manager, or of the Resource Groups Tagging API.

    Raised instead of letting the request reach AWS: a test double that silently
    forwards unknown calls to a real account is worse than one that fails loudly.
    """

    def __init__(
        self, operation: str, supported: list[str], service: str = "Secrets Manager"
    ) -> None:
        if service == "Secrets Manager":
            hint = (
                f"To answer it anyway, queue a canned reply before the call: "
                f"backend.respond({operation!r}, {{...}}) (or "
                f"backend.fail({operation!r}, 'SomeErrorCode') for an error)."
            )
        else:  # canned replies are Secrets Manager's only
            hint = "Stop the mock around this call, or use botocore's Stubber on that client."
        super().__init__(
            f"stubtags does not support the {service} operation {operation!r}; "
            f"the request was not sent to AWS. Supported operations: "
            f"{', '.join(sorted(supported))}. {hint}"
        )
        self.operation = operation
        self.service = service


class UnsupportedMemberError(StubtagsError, NotImplementedError):
    """A request member stubtags cannot honour was given to an operation it supports.

    Raised instead of answering as if the member were absent: dropping part of a
    request's meaning silently would let a test pass that AWS would answer otherwise.
    """

    def __init__(self, operation: str, member: str) -> None:
        super().__init__(
            f"stubtags does not support the member {member!r} of the Secrets Manager "
            f"operation {operation!r}: answering without it would change what the request "
            f"means. The request was not sent to AWS. Leave {member} out, stop the mock "
            f"around this call, or use botocore's Stubber for it."
        )
        self.operation = operation
        self.member = member


class NotActiveError(StubtagsError, RuntimeError):
    """No mock is running where one is needed: `stop()` on a stopped mock,
    `TagsMock.backend` or `active_backend()` outside any activation."""


class SecretNotFoundError(StubtagsError, LookupError):
    """The backend handle found no such secret where it looked."""

    def __init__(self, secret_id: str, account_id: str, region: str) -> None:
        super().__init__(
            f"stubtags: no secret {secret_id!r} in account {account_id}, region {region}. "
            f"Pass region= (or the secret's ARN) if the client that created it uses "
            f"another region."
        )
        self.secret_id = secret_id
        self.account_id = account_id
        self.region = region
