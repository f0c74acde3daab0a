"""Rotation: RotateSecret, CancelRotateSecret and the dates DescribeSecret shows.

As "How rotation works" describes, the service calls the rotation function once per
step with `{"Step", "SecretId", "ClientRequestToken"}`: createSecret (the function
puts the new value under AWSPENDING), setSecret, testSecret, finishSecret (it moves
AWSCURRENT to the new version; the old one gets AWSPREVIOUS). With RotateImmediately
false only testSecret runs, against an AWSPENDING version the service makes and
removes again (the RotateSecret API reference).

The function's own boto3 calls come back through the same mock, maybe from threads of
its own, so `rotate` runs with the store's lock released and takes it only for its two
state changes: `_start` (checks, configuration, the test version) and `_finish`.

Real RotateSecret returns before the function runs; the fake runs it synchronously so
its failure reaches the test: a step that raises leaves the versions as the function
left them (AWSPENDING where createSecret put it, so a later RotateSecret reports the
rotation still in progress, as AWS does) and RotateSecret fails with
InternalServiceError quoting the function's exception (inferred: AWS would only log it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stubtags.errors import UnsupportedMemberError
from stubtags.lambdas import Handler
from stubtags.service import cron
from stubtags.service.errors import (
    BAD_DURATION,
    BAD_SCHEDULE_EXPRESSION,
    BOTH_SCHEDULES,
    LAMBDA_NOT_INVOCABLE,
    NO_ROTATION_LAMBDA,
    ROTATION_IN_PROGRESS,
    AccessDeniedException,
    InvalidParameterException,
    InvalidRequestException,
    rotation_failed,
)
from stubtags.service.model import AWSCURRENT, AWSPENDING, DAY, Secret, touch
from stubtags.service.store import AccountRegion
from stubtags.service.versions import add_version, remove_version, unlabel

HOUR = 3600.0
STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
TEST_STEPS = ("testSecret",)

_RATE = re.compile(r"rate\((\d+) (hour|hours|day|days)\)")
_DURATION = re.compile(r"(\d+)h")

Invoke = Callable[[Handler, str, dict[str, Any]], None]  # (handler, function ARN, event)


@dataclass(slots=True)
class Rotation:
    """A secret's rotation configuration and its dates (`Secret.rotation`)."""

    lambda_arn: str
    enabled: bool = True
    after_days: int | None = None  # RotationRules.AutomaticallyAfterDays
    schedule: str | None = None  # RotationRules.ScheduleExpression
    duration: str | None = None  # RotationRules.Duration
    scheduled_from: float = 0.0  # when the schedule was set: counts until a rotation
    last_rotated: float | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    """RotationRules as given; all None when the request had none."""

    after_days: int | None = None
    schedule: str | None = None
    duration: str | None = None


@dataclass(frozen=True, slots=True)
class RotationRequest:
    lambda_arn: str | None
    rules: Rules | None
    immediately: bool
    token: str


@dataclass(frozen=True, slots=True)
class _Plan:
    """What `_start` decided, for the steps run outside the lock."""

    secret: Secret
    function_arn: str
    handler: Handler
    token: str
    steps: tuple[str, ...]


def check_rules(rules: Rules) -> None:
    """The rules' service checks (the model's lengths and patterns are the wire layer's)."""
    if rules.after_days is not None and rules.schedule is not None:
        raise InvalidParameterException(BOTH_SCHEDULES)
    if rules.schedule is not None:
        rate = _RATE.fullmatch(rules.schedule)
        if rate is not None:
            count, unit = int(rate[1]), rate[2]
            if (unit.startswith("hour") and count < 4) or count < 1 or count > 1000:
                raise InvalidParameterException(BAD_SCHEDULE_EXPRESSION)
        else:
            _cron_of(rules.schedule)
    if rules.duration is not None:
        hours = int(_DURATION.fullmatch(rules.duration)[1])  # type: ignore[index]
        interval = _interval(rules.after_days, rules.schedule)
        if not 1 <= hours <= 24 or (interval is not None and hours * HOUR > interval[0]):
            raise InvalidParameterException(BAD_DURATION)


def rotate(
    region: AccountRegion,
    secret_id: str,
    request: RotationRequest,
    handlers: Mapping[str, Handler],
    invoke: Invoke,
    clock: Callable[[], float],
) -> Secret:
    """RotateSecret, called WITHOUT the store's lock held; returns the secret."""
    with region.store.lock:
        plan = _start(region, secret_id, request, handlers, clock())
    step = ""
    try:
        for step in plan.steps:
            event = {"Step": step, "SecretId": plan.secret.arn, "ClientRequestToken": plan.token}
            invoke(plan.handler, plan.function_arn, event)
    except Exception as error:  # the function's failure, whatever it is: the service's reply
        with region.store.lock:
            _finish(plan, request.immediately, False, clock())
        raise rotation_failed(plan.function_arn, step, error) from error
    except BaseException:  # pytest.fail, KeyboardInterrupt...: the test's own, passed on
        with region.store.lock:
            _finish(plan, request.immediately, False, clock())
        raise
    with region.store.lock:
        _finish(plan, request.immediately, True, clock())
    return plan.secret


def _start(
    region: AccountRegion,
    secret_id: str,
    request: RotationRequest,
    handlers: Mapping[str, Handler],
    now: float,
) -> _Plan:
    secret = region.find_mutable(secret_id)
    configured = secret.rotation
    function_arn = request.lambda_arn or (configured.lambda_arn if configured else None)
    if not function_arn:
        raise InvalidRequestException(NO_ROTATION_LAMBDA)
    handler = handlers.get(function_arn)
    if handler is None:  # nothing stored: the recorded reply leaves no configuration
        raise AccessDeniedException(LAMBDA_NOT_INVOCABLE)
    pending = secret.version_with_stage(AWSPENDING)
    if pending is not None and AWSCURRENT not in pending.stages:
        raise InvalidRequestException(ROTATION_IN_PROGRESS)
    steps: tuple[str, ...] = STEPS
    if not request.immediately:
        # Only testSecret runs, against a pending copy of the current value; made first,
        # as the one change that can still be refused (a reused ClientRequestToken).
        current = secret.version_with_stage(AWSCURRENT)
        string = current.secret_string if current else None
        binary = current.secret_binary if current else None
        add_version(secret, request.token, string, binary, [AWSPENDING], now)
        steps = TEST_STEPS
    rotation = Rotation(lambda_arn=function_arn, scheduled_from=now)
    if configured is not None:
        rotation.last_rotated = configured.last_rotated
        if request.rules is None:
            rotation.after_days = configured.after_days
            rotation.schedule = configured.schedule
            rotation.duration = configured.duration
    if request.rules is not None:
        rotation.after_days = request.rules.after_days
        rotation.schedule = request.rules.schedule
        rotation.duration = request.rules.duration
    secret.rotation = rotation
    touch(secret, now)
    return _Plan(secret, function_arn, handler, request.token, steps)


def _finish(plan: _Plan, immediately: bool, succeeded: bool, now: float) -> None:
    secret = plan.secret
    if not immediately:
        test_version = secret.versions.get(plan.token)
        if test_version is not None and AWSCURRENT not in test_version.stages:
            remove_version(secret, plan.token)
        return
    if not succeeded:
        return  # as the function left it: AWSPENDING marks the unfinished rotation
    if secret.rotation is not None:
        secret.rotation.last_rotated = now
    done = secret.version_with_stage(AWSCURRENT)
    if done is not None and AWSPENDING in done.stages:
        # The recorded end state carries only AWSCURRENT and AWSPREVIOUS (inferred: the
        # service takes AWSPENDING off once finishSecret has moved AWSCURRENT).
        unlabel(secret, done, AWSPENDING)


def cancel(secret: Secret, now: float) -> str | None:
    """CancelRotateSecret: rotation off, configuration kept; the pending version's id.

    AWSPENDING is left where it is, as the API reference warns; the function ARN and
    rules stay, so RotateSecret without them turns rotation on again (inferred).
    """
    if secret.rotation is None:
        secret.rotation = Rotation(lambda_arn="", enabled=False, scheduled_from=now)
    else:
        secret.rotation.enabled = False
    touch(secret, now)
    pending = secret.version_with_stage(AWSPENDING)
    return pending.version_id if pending is not None else None


def _cron_of(schedule: str) -> cron.Cron:
    try:
        return cron.parse(schedule)
    except cron.UnsupportedScheduleError as error:
        member = f"RotationRules.ScheduleExpression, {error}"
        raise UnsupportedMemberError("RotateSecret", member) from None
    except ValueError:
        raise InvalidParameterException(BAD_SCHEDULE_EXPRESSION) from None


def _interval(after_days: int | None, schedule: str | None) -> tuple[float, bool] | None:
    """(seconds between rotations, counted in days), or None for cron or no schedule."""
    if after_days is not None:
        return after_days * DAY, True
    rate = _RATE.fullmatch(schedule or "")
    if rate is None:
        return None
    in_days = rate[2].startswith("day")
    return int(rate[1]) * (DAY if in_days else HOUR), in_days


def next_rotation(rotation: Rotation) -> float | None:
    """NextRotationDate: the end of the next rotation window, on the (movable) clock.

    Counted from the last rotation, or from when the schedule was set. A window in days
    starts at midnight UTC and closes at the end of that day, one in hours starts on the
    hour and lasts one hour, unless Duration says otherwise ("Rotation schedules");
    shown as the window's last second (inferred). A cron schedule's window starts at
    its next time after that and lasts an hour when it runs several times a day, else
    to the end of the UTC day, unless Duration says otherwise (documented).
    """
    if not rotation.enabled:
        return None
    base = rotation.last_rotated if rotation.last_rotated is not None else rotation.scheduled_from
    if rotation.schedule is not None and rotation.schedule.startswith("cron("):
        return _cron_window_end(_cron_of(rotation.schedule), base, rotation.duration)
    interval = _interval(rotation.after_days, rotation.schedule)
    if interval is None:
        return None
    seconds, in_days = interval
    unit = DAY if in_days else HOUR
    start = base - base % unit + seconds
    window = int(rotation.duration[:-1]) * HOUR if rotation.duration is not None else unit
    return start + window - 1


def _cron_window_end(schedule: cron.Cron, base: float, duration: str | None) -> float | None:
    start = schedule.next_after(base)
    if start is None:
        return None
    if duration is not None:
        return start + int(duration[:-1]) * HOUR - 1
    if schedule.in_hours:
        return start + HOUR - 1
    return start - start % DAY + DAY - 1


def due(region: AccountRegion, now: float) -> list[str]:
    """ARNs of the region's secrets whose rotation window has ended by `now`."""
    arns = []
    for secret in region.secrets.values():
        rotation = secret.rotation
        if rotation is None or secret.is_replica or secret.scheduled_for_deletion:
            continue
        when = next_rotation(rotation)
        if when is not None and when <= now:
            arns.append(secret.arn)
    return arns
