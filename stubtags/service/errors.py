"""The fake service's errors and every message it words: the one place for its wording.

`ServiceError` subclasses are what the service layer raises when the real service
would answer with an error; the reply stage turns them into an HTTP 400 reply, so
botocore raises its own modeled exception class for them, exactly as against AWS.
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
