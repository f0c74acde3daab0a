"""Errors: the ones the fake service returns, and the ones stubtags raises itself.

`ServiceError` subclasses are what the backend raises when the real service would
answer with an error; the interception layer turns them into an HTTP 400 reply, so
botocore raises its own modeled exception class for them, exactly as against AWS.
The other classes here are mistakes in how stubtags is used, raised as plain Python
exceptions because no AWS reply would ever carry them.
"""

from __future__ import annotations

SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)


class ServiceError(Exception):
    """An error reply of the fake Secrets Manager (code, message, HTTP status)."""

    code = "InternalServiceError"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"

    def __init__(self, message: str = SECRET_NOT_FOUND) -> None:
        super().__init__(message)


class ResourceExistsException(ServiceError):
    code = "ResourceExistsException"


class InvalidRequestException(ServiceError):
    code = "InvalidRequestException"


class InvalidParameterException(ServiceError):
    code = "InvalidParameterException"


class ValidationException(ServiceError):
    """Not declared by the botocore model: botocore raises a plain ClientError for it."""

    code = "ValidationException"


class InvalidNextTokenException(ServiceError):
    code = "InvalidNextTokenException"


class MalformedPolicyDocumentException(ServiceError):
    code = "MalformedPolicyDocumentException"


def constraint_error(value: object, where: str, constraint: str) -> ValidationException:
    """The service's standard wording for a request member that breaks a constraint."""
    return ValidationException(
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: {constraint}"
    )


class StubtagsError(Exception):
    """Base class of the errors stubtags raises about its own use."""


class UnsupportedOperationError(StubtagsError, NotImplementedError):
    """A Secrets Manager operation stubtags does not implement was called while active.

    Raised instead of letting the request reach AWS: a test double that silently
    forwards unknown calls to a real account is worse than one that fails loudly.
    """

    def __init__(self, operation: str, supported: list[str]) -> None:
        super().__init__(
            f"stubtags does not support the Secrets Manager operation {operation!r}; "
            f"the request was not sent to AWS. Supported operations: "
            f"{', '.join(sorted(supported))}. Stop the mock around this call, or use "
            f"botocore's Stubber for it."
        )
        self.operation = operation


class NotActiveError(StubtagsError, RuntimeError):
    """No mock is running where one is needed: `stop()` on a stopped mock,
    `TagsMock.backend` or `active_backend()` outside any activation."""
