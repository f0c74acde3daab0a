"""The fake service's errors and every message it words: the one place for its wording.

`ServiceError` subclasses are what the service layer raises when the real service
would answer with an error; the reply stage turns them into an HTTP 400 reply, so
botocore raises its own modeled exception class for them, exactly as against AWS.

Request validation speaks in violations ("Value 'x' at 'where' failed to satisfy
constraint: ..."), built by the helpers below and raised together, counted, by
`validation_error`. Messages the service repeats have one named constant or
constructor here; each is written once.
"""

from __future__ import annotations

from collections.abc import Iterable

SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
NAME_SCHEDULED_FOR_DELETION = (
    "You can't create this secret because a secret with this name is already scheduled "
    "for deletion."
)
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, "
    "or any of the following: -/_+=.@!"
)
STAGE_NOT_ON_VERSION = (
    "You provided a VersionStage that is not associated to the provided VersionId."
)
TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
INVALID_FILTER_KEY = "Invalid filter key"
BOTH_VALUES = (
    "You can't specify both a binary secret value and a string secret value in the same secret."
)
VALUE_REQUIRED = "You must provide either SecretString or SecretBinary."
MOVE_OR_REMOVE_REQUIRED = "You must specify MoveToVersionId, RemoveFromVersionId, or both."
CURRENT_NEEDS_TARGET = (
    "You can't remove the staging label AWSCURRENT without moving it to another version: "
    "pass MoveToVersionId."
)
FORCE_WITH_WINDOW = (
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
)
RECOVERY_WINDOW_RANGE = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
IDS_OR_FILTERS = "You must include either SecretIdList or Filters, but not both."
PAGING_NEEDS_FILTERS = "MaxResults and NextToken can only be used together with Filters."
ALL_CHARACTERS_EXCLUDED = (
    "The password can't be generated: every character is excluded by the request."
)
PUBLIC_POLICY = (
    "You can't block public access to a secret while its resource policy grants public access."
)
NO_ROTATION_LAMBDA = "No Lambda rotation function ARN is associated with this secret."
LAMBDA_NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)
ROTATION_IN_PROGRESS = "A previous rotation isn't complete. That rotation will be reattempted."
BOTH_SCHEDULES = "You cannot specify both rotation frequency and schedule expression together."
DURATION_WITHOUT_SCHEDULE = "You can only specify a Duration together with a ScheduleExpression."
BAD_SCHEDULE_EXPRESSION = (
    "The ScheduleExpression is not valid: use rate(<n> hours|days) or a six-field cron(...)."
)
BAD_DURATION = "The Duration is not valid: use 1h to 24h, within one rotation interval."
REPLICA_OPERATION = (
    "Operation not permitted on a replica secret. Call must be made in primary secret's region."
)
INVALID_REPLICA_REGION = "Invalid replica region."
NOT_A_REPLICA = (
    "StopReplicationToReplica can only be called on a replica secret, in the replica's Region."
)
REPLICA_NAME_EXISTS = (
    "Replication failed: a secret with this name already exists in the Region. Set "
    "ForceOverwriteReplicaSecret to overwrite it."
)
REPLICA_TARGET_IS_PRIMARY = (
    "Replication failed: the secret with this name in the Region has replicas of its own."
)
TOKEN_NOT_OURS = "it was not issued by this service, or it was altered."
TOKEN_NOT_A_STRING = "it is not a string."
TOKEN_OF_ANOTHER_LISTING = "it belongs to another kind of listing."
PAGINATION_TOKEN_EXPIRED = (
    "A PaginationToken is valid for a maximum of 15 minutes. Your request was denied "
    "because the specified PaginationToken has expired."
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


class InternalServiceError(ServiceError):
    code = "InternalServiceError"
    status = 500


class InvalidNextTokenException(ServiceError):
    code = "InvalidNextTokenException"


class PaginationTokenExpiredException(ServiceError):
    """The Resource Groups Tagging API's: its tokens last 15 minutes (documented)."""

    code = "PaginationTokenExpiredException"

    def __init__(self, message: str = PAGINATION_TOKEN_EXPIRED) -> None:
        super().__init__(message)


class MalformedPolicyDocumentException(ServiceError):
    code = "MalformedPolicyDocumentException"


class AccessDeniedException(ServiceError):
    """Not declared by the botocore model: botocore raises a plain ClientError for it.

    HTTP 400, as recorded from AWS (JSON protocol services answer denials with 400).
    """

    code = "AccessDeniedException"


class PublicPolicyException(ServiceError):
    """BlockPublicPolicy was set and the policy grants access to everyone."""

    code = "PublicPolicyException"

    def __init__(self, message: str = PUBLIC_POLICY) -> None:
        super().__init__(message)


# -- request validation: one violation each, raised together ------------------------------


def violation(value: object, where: str, constraint: str) -> str:
    """One broken constraint in the service's words, without the leading count."""
    return f"Value '{value}' at '{where}' failed to satisfy constraint: {constraint}"


def not_null(where: str) -> str:
    return f"Value null at '{where}' failed to satisfy constraint: Member must not be null"


def too_long(value: object, where: str, maximum: int) -> str:
    return violation(value, where, _max_length(maximum))


def sensitive_too_long(where: str, maximum: int) -> str:
    """`too_long` of a member the model marks sensitive (SecretString, SecretBinary): the
    message names the member, never the value (inferred: the service's validation words
    a sensitive member so, as recorded for Systems Manager's PutParameter value)."""
    return f"Value at '{where}' failed to satisfy constraint: {_max_length(maximum)}"


def _max_length(maximum: int) -> str:
    return f"Member must have length less than or equal to {maximum}"


def too_short(value: object, where: str, minimum: int) -> str:
    return violation(value, where, f"Member must have length greater than or equal to {minimum}")


def too_large(value: object, where: str, maximum: int) -> str:
    return violation(value, where, f"Member must have value less than or equal to {maximum}")


def too_small(value: object, where: str, minimum: int) -> str:
    return violation(value, where, f"Member must have value greater than or equal to {minimum}")


def not_in_enum(value: object, where: str, allowed: Iterable[str]) -> str:
    return violation(value, where, f"Member must satisfy enum value set: [{', '.join(allowed)}]")


def not_matching(value: object, where: str, pattern: str) -> str:
    return violation(value, where, f"Member must satisfy regular expression pattern: {pattern}")


def validation_error(*violations: str) -> ValidationException:
    """All of a request's violations in one ValidationException, counted."""
    count = len(violations)
    plural = "s" if count > 1 else ""
    return ValidationException(
        f"{count} validation error{plural} detected: {'; '.join(violations)}"
    )


# -- named messages of the service ---------------------------------------------------------


def secret_exists(name: str) -> ResourceExistsException:
    return ResourceExistsException(
        f"The operation failed because the secret {name} already exists."
    )


def token_in_use(token: str, arn: str) -> ResourceExistsException:
    """A ClientRequestToken already names a version of the secret holding another value."""
    return ResourceExistsException(
        f"You can't use ClientRequestToken {token} because that value is already in use "
        f"for a version of secret {arn}."
    )


def version_not_found(version_id: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        f"Secrets Manager can't find the specified secret value for VersionId: {version_id}"
    )


def label_not_found(label: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        f"Secrets Manager can't find the specified secret value for staging label: {label}"
    )


def label_not_on_version(label: str, version_id: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"The staging label {label} is not attached to version {version_id}, so it can't be "
        f"removed from it."
    )


def label_held_elsewhere(label: str, holder_id: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"The parameter RemoveFromVersionId can't be empty. Staging label {label} is "
        f"currently attached to version {holder_id}, so you must explicitly reference that "
        f"version in RemoveFromVersionId."
    )


def system_tag(key: str) -> InvalidParameterException:
    return InvalidParameterException(f"You can't modify system tags. Tag key: '{key}'.")


def system_tag_value(key: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"You can't use the aws: prefix in a tag value, it is reserved for AWS use. "
        f"Tag key: '{key}'."
    )


def too_many_tags(total: int, limit: int) -> InvalidParameterException:
    return InvalidParameterException(
        f"The secret would have {total} tags, more than the limit of {limit} per secret "
        f"(tags with the aws: prefix don't count). Remove tags with UntagResource first, or "
        f"send fewer new keys."
    )


def filter_values_missing(key: str) -> InvalidParameterException:
    return InvalidParameterException(f"Invalid filter values for key: {key}")


def invalid_next_token(reason: str) -> InvalidNextTokenException:
    return InvalidNextTokenException(f"The NextToken is not valid: {reason}")


def token_of_another_order(
    token_by: object, token_order: object, sort_by: str, sort_order: str
) -> InvalidNextTokenException:
    return invalid_next_token(
        f"it was issued for SortBy={token_by} and SortOrder={token_order}, but this request "
        f"has SortBy={sort_by} and SortOrder={sort_order}; start again without a NextToken."
    )


def password_too_short(length: int, types: int) -> InvalidParameterException:
    return InvalidParameterException(
        f"PasswordLength {length} is too short to include at least one character of each of "
        f"the {types} included character types."
    )


def policy_too_long(length: int, maximum: int) -> MalformedPolicyDocumentException:
    return MalformedPolicyDocumentException(
        f"The resource policy is {length} characters long; the maximum is {maximum}."
    )


def policy_syntax(problems: Iterable[str]) -> MalformedPolicyDocumentException:
    return MalformedPolicyDocumentException(
        "The resource policy has syntax errors: " + " ".join(problems)
    )


def rotation_failed(function_arn: str, step: str, error: BaseException) -> InternalServiceError:
    """A rotation function that raised: the fake fails RotateSecret with its error (inferred)."""
    return InternalServiceError(
        f"The rotation function {function_arn} failed at step {step}: "
        f"{type(error).__name__}: {error}"
    )


def still_has_replicas(arn: str, regions: Iterable[str]) -> InvalidParameterException:
    return InvalidParameterException(
        f"You can't delete secret {arn} that still has replica regions [{', '.join(regions)}]."
    )


# -- the Resource Groups Tagging API ----------------------------------------------------------

ARN_LIST_WITH_FILTERS = (
    "You can't specify ResourceARNList together with TagFilters, ResourceTypeFilters, "
    "ResourcesPerPage, TagsPerPage or PaginationToken."
)


def invalid_parameters(*violations: str) -> InvalidParameterException:
    """The tagging API's answer to a request outside its model: the violations, counted,
    as an InvalidParameterException (the only client error its model declares)."""
    return InvalidParameterException(validation_error(*violations).message)


def invalid_pagination_token(reason: str) -> InvalidParameterException:
    return InvalidParameterException(f"The PaginationToken is not valid: {reason}")


def not_a_secret_arn(arn: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"stubtags answers the Resource Groups Tagging API for Secrets Manager secrets only, "
        f"and {arn} is not the ARN of a secret."
    )


def arn_of_another_region(arn: str, region: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"The resource {arn} is not in {region}: you can only tag resources in the Region "
        f"the request is sent to."
    )


def access_denied(
    principal_arn: str, action: str, resource: str | None, reason: str, explicit: bool
) -> AccessDeniedException:
    """IAM's denial in the words recorded from Secrets Manager.

    `resource` is None for an action on no resource (ListSecrets): the message then has
    no `on resource:` part. `reason` is "no identity-based policy allows" (or "...
    resource-based ...") for an implicit deny, "explicit deny in an identity-based
    policy" (or "... resource-based ...") for an explicit one.
    """
    target = f" on resource: {resource}" if resource is not None else ""
    head = f"User: {principal_arn} is not authorized to perform: {action}{target}"
    if explicit:
        return AccessDeniedException(f"{head} with an {reason}")
    return AccessDeniedException(f"{head} because {reason} the {action} action")
