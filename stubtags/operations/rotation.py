"""RotateSecret and CancelRotateSecret: the wire checks; the rules are `service.rotation`.

RotateSecret calls the test's rotation function, whose own calls come back through
the mock, so its locked part only checks the request and hands the rest, as
`Unlocked`, to `Backend.run`, which runs it with the lock released.
"""

from __future__ import annotations

import re
import time
from typing import Any

from stubtags import lambdas
from stubtags.operations.common import (
    Params,
    Reply,
    Unlocked,
    check_max_length,
    fresh_reply,
    identity,
    now,
    refuse_unsupported,
    request_token,
)
from stubtags.service import rotation
from stubtags.service.errors import not_matching, too_large, too_long, too_small, validation_error
from stubtags.service.rotation import RotationRequest, Rules
from stubtags.service.store import AccountRegion
from stubtags.state import MockState

LAMBDA_ARN_MAX = 2048
AFTER_DAYS_MAX = 1000
SCHEDULE_MAX = 256
SCHEDULE_PATTERN = r"[0-9A-Za-z\(\)#\?\*\-\/, ]+"
DURATION_MAX = 3
DURATION_PATTERN = r"[0-9]+h"


def _read_rules(raw: dict[str, Any] | None) -> Rules | None:
    """RotationRules within the model's limits (botocore checks only the minimums)."""
    if raw is None:
        return None
    problems = []
    after_days: int | None = raw.get("AutomaticallyAfterDays")
    if after_days is not None and after_days > AFTER_DAYS_MAX:
        problems.append(
            too_large(after_days, "rotationRules.automaticallyAfterDays", AFTER_DAYS_MAX)
        )
    if after_days is not None and after_days < 1:
        problems.append(too_small(after_days, "rotationRules.automaticallyAfterDays", 1))
    duration: str | None = raw.get("Duration")
    if duration is not None:
        if len(duration) > DURATION_MAX:
            problems.append(too_long(duration, "rotationRules.duration", DURATION_MAX))
        elif not re.fullmatch(DURATION_PATTERN, duration):
            problems.append(not_matching(duration, "rotationRules.duration", DURATION_PATTERN))
    schedule: str | None = raw.get("ScheduleExpression")
    if schedule is not None:
        if len(schedule) > SCHEDULE_MAX:
            problems.append(too_long(schedule, "rotationRules.scheduleExpression", SCHEDULE_MAX))
        elif not re.fullmatch(SCHEDULE_PATTERN, schedule):
            problems.append(
                not_matching(schedule, "rotationRules.scheduleExpression", SCHEDULE_PATTERN)
            )
    if problems:
        raise validation_error(*problems)
    rules = Rules(after_days, schedule, duration)
    rotation.check_rules(rules)
    return rules


def rotate_secret(region: AccountRegion, params: Params) -> Unlocked:
    refuse_unsupported(
        params, "RotateSecret", "ExternalSecretRotationMetadata", "ExternalSecretRotationRoleArn"
    )
    lambda_arn: str | None = params.get("RotationLambdaARN")
    check_max_length(lambda_arn, "rotationLambdaARN", LAMBDA_ARN_MAX)
    request = RotationRequest(
        lambda_arn=lambda_arn or None,
        rules=_read_rules(params.get("RotationRules")),
        immediately=bool(params.get("RotateImmediately", True)),
        token=request_token(params),
    )
    account, name, secret_id = region.account, region.name, params["SecretId"]

    def rotate(state: MockState) -> Reply:
        where = state.store.account_region(account, name)
        secret = rotation.rotate(where, secret_id, request, state.lambdas, lambdas.invoke, now)
        reply = identity(secret)
        reply["VersionId"] = request.token
        return reply

    return Unlocked(rotate)


@fresh_reply
def cancel_rotate_secret(region: AccountRegion, params: Params) -> Reply:
    secret = region.find_mutable(params["SecretId"])
    version_id = rotation.cancel(secret, time.time())
    reply: Reply = {"ARN": secret.arn, "Name": secret.name}
    if version_id is not None:
        reply["VersionId"] = version_id
    return reply
