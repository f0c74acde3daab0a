"""What several operations share: reading and checking request members, wire views."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from stubtags.errors import UnsupportedMemberError
from stubtags.service.errors import (
    BOTH_VALUES,
    TOKEN_REQUIRED,
    InvalidParameterException,
    InvalidRequestException,
    sensitive_too_long,
    too_long,
    validation_error,
)
from stubtags.service.model import Secret, Version
from stubtags.service.tags import as_wire

if TYPE_CHECKING:
    from stubtags.service.rotation import Rotation
    from stubtags.state import MockState

Params = Mapping[str, Any]
Reply = dict[str, Any]

DESCRIPTION_MAX = 2048
SECRET_VALUE_MAX = 65536
KMS_KEY_ID_MAX = 2048
TOKEN_MAX = 64


def now() -> float:
    """The service's clock, for code handed a clock (rotation). Operations call
    `time.time()` itself (a call less): read through the module at each call, it is what
    time-machine and freezegun move."""
    return time.time()


class Unlocked:
    """The rest of an operation, which `Backend.run` runs after releasing the store's lock.

    An operation that calls the test's code (a rotation function, whose own boto3 calls
    come back through this mock, maybe from threads of its own) returns this from its
    locked part; `run` takes the lock itself for each state change. `run` gets the
    mock's shared state, where the registered functions are.

    Not a frozen dataclass: that cost 0.9 ms at every import (`stubtags.records`),
    for `==`, a hash and a repr that nothing uses.
    """

    __slots__ = ("run",)

    def __init__(self, run: Callable[[MockState], Reply | None]) -> None:
        self.run = run


def check_max_length(value: str | None, member: str, maximum: int) -> None:
    """Enforce a model maximum that botocore does not check client side."""
    if value is not None and len(value) > maximum:
        raise validation_error(too_long(value, member, maximum))


def secret_value(params: Params) -> tuple[str | None, str | None]:
    """SecretString / SecretBinary of a request: at most one of them, each within size."""
    string = params.get("SecretString")
    binary = params.get("SecretBinary")
    if string is not None:
        if binary is not None:
            raise InvalidParameterException(BOTH_VALUES)
        if len(string) > SECRET_VALUE_MAX:
            raise validation_error(sensitive_too_long("secretString", SECRET_VALUE_MAX))
    elif binary is not None and len(binary) * 3 // 4 > SECRET_VALUE_MAX:
        raise validation_error(sensitive_too_long("secretBinary", SECRET_VALUE_MAX))
    return string, binary


def refuse_unsupported(params: Params, operation: str, *members: str) -> None:
    """Fail loudly on a member the model declares but stubtags cannot honour.

    Ignoring it would answer another request than the one sent.
    """
    for member in members:
        if params.get(member) is not None:
            raise UnsupportedMemberError(operation, member)


def require_token(params: Params) -> None:
    """A request that makes a version must carry its ClientRequestToken (recorded).

    The SDKs fill it in; a raw request, or a client that does not, is refused before
    any other check.
    """
    if params.get("ClientRequestToken") is None:
        raise InvalidRequestException(TOKEN_REQUIRED)


def request_token(params: Params) -> str:
    """The ClientRequestToken, or a fresh one where the request makes no version."""
    token: str | None = params.get("ClientRequestToken")
    if not token:
        return str(uuid.uuid4())
    if len(token) > TOKEN_MAX:
        raise validation_error(too_long(token, "clientRequestToken", TOKEN_MAX))
    return token


def identity(secret: Secret) -> Reply:
    """The ARN and Name that most replies lead with."""
    return {"ARN": secret.arn, "Name": secret.name}


Op = TypeVar("Op", bound=Callable[..., Any])


def fresh_reply(operation: Op) -> Op:
    """Mark an operation whose replies are built for the one call, as the parsed form
    will be: new containers, the output shape's member order, no None and no member
    the shape lacks. The reply stage then converts them where they stand
    (`reply_shapes.in_place_converter`) instead of rebuilding them, and the caller
    gets those very containers: never mark a reply that something else keeps
    (ValidateResourcePolicy's errors, cached by policy text; the call record keeps a
    copy of DeleteSecret's)."""
    operation.fresh_reply = True  # type: ignore[attr-defined]
    return operation


def describe(secret: Secret, versions_member: str, *, replication: bool = True) -> Reply:
    """The metadata view of DescribeSecret (and, renamed, of a ListSecrets entry, which
    has no ReplicationStatus), fresh and in the output shape's member order."""
    reply: Reply = {"ARN": secret.arn, "Name": secret.name}
    if secret.description is not None:
        reply["Description"] = secret.description
    if secret.kms_key_id is not None:
        reply["KmsKeyId"] = secret.kms_key_id
    rotation = secret.rotation
    if rotation is not None:
        reply["RotationEnabled"] = rotation.enabled
        if rotation.lambda_arn:
            reply["RotationLambdaARN"] = rotation.lambda_arn
        rules = rotation_rules(rotation)
        if rules:
            reply["RotationRules"] = rules
        if rotation.last_rotated is not None:
            reply["LastRotatedDate"] = rotation.last_rotated
    reply["LastChangedDate"] = secret.last_changed
    if secret.last_accessed is not None:
        reply["LastAccessedDate"] = secret.last_accessed
    if secret.deleted_date is not None:
        reply["DeletedDate"] = secret.deleted_date
    if rotation is not None:
        when = (_next_rotation or _load_rotation())(rotation)
        if when is not None:
            reply["NextRotationDate"] = when
    tags = secret.tags
    if tags is not None:
        reply["Tags"] = as_wire(tags)
    stages = secret.versions_to_stages()
    if stages:
        reply[versions_member] = stages
    if secret.owning_service is not None:
        reply["OwningService"] = secret.owning_service
    reply["CreatedDate"] = secret.created
    if secret.primary_region is not None:
        reply["PrimaryRegion"] = secret.primary_region
    if replication and secret.replicas:
        reply["ReplicationStatus"] = replication_status(secret)
    return reply


_next_rotation: Callable[[Rotation], float | None] | None = None


def _load_rotation() -> Callable[[Rotation], float | None]:
    """`service.rotation` (and its cron parser) is imported with the first rotating secret."""
    global _next_rotation
    from stubtags.service.rotation import next_rotation

    _next_rotation = next_rotation
    return next_rotation


def rotation_rules(rotation: Rotation) -> Reply:
    """RotationRules as they were given (inferred: the service echoes its input)."""
    rules: Reply = {}
    if rotation.after_days is not None:
        rules["AutomaticallyAfterDays"] = rotation.after_days
    if rotation.duration is not None:
        rules["Duration"] = rotation.duration
    if rotation.schedule is not None:
        rules["ScheduleExpression"] = rotation.schedule
    return rules


def replication_status(secret: Secret) -> list[Reply]:
    """ReplicationStatus, in the order the regions were added."""
    entries = []
    for status in secret.replicas.values():
        entry: Reply = (
            {"Region": status.region, "Status": status.status}
            if status.kms_key_id is None
            else {"Region": status.region, "KmsKeyId": status.kms_key_id, "Status": status.status}
        )
        if status.message is not None:
            entry["StatusMessage"] = status.message
        if status.last_accessed is not None:
            entry["LastAccessedDate"] = status.last_accessed
        entries.append(entry)
    return entries


def value_reply(secret: Secret, version: Version) -> Reply:
    """The body of GetSecretValue, and of each BatchGetSecretValue entry."""
    string = version.secret_string
    binary = version.secret_binary
    if binary is None and string is not None:  # mostly: one display
        return {
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version.version_id,
            "SecretString": string,
            "VersionStages": list(version.stages),
            "CreatedDate": version.created,
        }
    reply: Reply = {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id}
    if binary is not None:  # the output shape's order
        reply["SecretBinary"] = binary
    if string is not None:
        reply["SecretString"] = string
    reply["VersionStages"] = list(version.stages)
    reply["CreatedDate"] = version.created
    return reply
