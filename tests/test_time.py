"""Time that passes: the fake reads the clock time-machine moves.

A secret whose recovery window has ended is gone, its name free again ("Delete an AWS
Secrets Manager secret"); NextRotationDate is counted on the same clock, and
`Backend.rotate_due()` runs what the rotation schedule would have run by then.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine

from stubtags import Backend

START = datetime(2026, 3, 1, 10, 30, tzinfo=timezone.utc)
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotate"


def exists(secretsmanager: Any, name: str) -> bool:
    try:
        secretsmanager.describe_secret(SecretId=name)
    except secretsmanager.exceptions.ResourceNotFoundException:
        return False
    return True


def test_a_scheduled_deletion_ends_with_its_window(secretsmanager: Any, stubtags: Backend) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        arn = secretsmanager.create_secret(Name="db", SecretString="v")["ARN"]
        reply = secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=7)
        assert reply["DeletionDate"] == START + timedelta(days=7)

        traveller.shift(timedelta(days=7) - timedelta(seconds=1))
        assert exists(secretsmanager, "db")
        with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
            secretsmanager.create_secret(Name="db")  # still scheduled: the name is taken

        traveller.shift(timedelta(seconds=1))
        assert not exists(secretsmanager, "db")
        assert not exists(secretsmanager, arn)
        listed = secretsmanager.list_secrets(IncludePlannedDeletion=True)["SecretList"]
        assert listed == []
        assert stubtags.names() == []
        new_arn = secretsmanager.create_secret(Name="db", SecretString="again")["ARN"]
        assert new_arn != arn


def test_the_default_window_is_thirty_days(secretsmanager: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="db")
        secretsmanager.delete_secret(SecretId="db")
        traveller.shift(timedelta(days=29, hours=23))
        assert exists(secretsmanager, "db")
        traveller.shift(timedelta(hours=1))
        assert not exists(secretsmanager, "db")


def test_restore_cancels_the_end_of_the_window(secretsmanager: Any) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="db")
        secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=7)
        secretsmanager.restore_secret(SecretId="db")
        traveller.shift(timedelta(days=8))
        assert exists(secretsmanager, "db")
        # Deleted again with a longer window: the first date no longer applies.
        secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=30)
        traveller.shift(timedelta(days=8))
        assert exists(secretsmanager, "db")
        traveller.shift(timedelta(days=22))
        assert not exists(secretsmanager, "db")


def test_a_force_deleted_and_recreated_name_is_not_purged_by_the_old_date(
    secretsmanager: Any,
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="db")
        secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=7)
        secretsmanager.delete_secret(SecretId="db", ForceDeleteWithoutRecovery=True)
        secretsmanager.create_secret(Name="db", SecretString="new")
        traveller.shift(timedelta(days=10))
        assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] == "new"


def test_restored_snapshots_keep_their_deletion_dates(
    secretsmanager: Any, stubtags: Backend
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="db")
        secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=7)
        snapshot = stubtags.snapshot()
        stubtags.reset()
        stubtags.restore(snapshot)
        traveller.shift(timedelta(days=7))
        assert not exists(secretsmanager, "db")


def test_the_handle_sees_the_purge_too(secretsmanager: Any, stubtags: Backend) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="db")
        secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=7)
        traveller.shift(timedelta(days=7))
        assert stubtags.names(region="us-east-1") == []


def quiet_rotation(event: dict[str, Any], context: Any) -> None:
    """A function whose work is done elsewhere: enough to test dates."""
    import boto3

    service = boto3.client("secretsmanager")
    token = event["ClientRequestToken"]
    if event["Step"] == "createSecret":
        service.put_secret_value(
            SecretId=event["SecretId"],
            ClientRequestToken=token,
            SecretString=f"value-{token}",
            VersionStages=["AWSPENDING"],
        )
    elif event["Step"] == "finishSecret":
        stages = service.describe_secret(SecretId=event["SecretId"])["VersionIdsToStages"]
        current = next(v for v, s in stages.items() if "AWSCURRENT" in s)
        service.update_secret_version_stage(
            SecretId=event["SecretId"],
            VersionStage="AWSCURRENT",
            MoveToVersionId=token,
            RemoveFromVersionId=current,
        )


def test_next_rotation_date_follows_the_clock(secretsmanager: Any, stubtags: Backend) -> None:
    stubtags.register_lambda(FUNCTION, quiet_rotation)
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="db", SecretString="v0")
        secretsmanager.rotate_secret(
            SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 10}
        )
        described = secretsmanager.describe_secret(SecretId="db")
        assert described["LastRotatedDate"] == START
        # The window of day 10 closes at the end of that UTC day.
        assert described["NextRotationDate"] == datetime(
            2026, 3, 11, 23, 59, 59, tzinfo=timezone.utc
        )

        traveller.shift(timedelta(days=5))
        assert stubtags.rotate_due() == []  # not due yet
        traveller.shift(timedelta(days=7))
        assert stubtags.rotate_due() == [described["ARN"]]
        after = secretsmanager.describe_secret(SecretId="db")
        now = START + timedelta(days=12)
        assert after["LastRotatedDate"] == now
        assert after["NextRotationDate"] == datetime(2026, 3, 23, 23, 59, 59, tzinfo=timezone.utc)
        assert secretsmanager.get_secret_value(SecretId="db")["SecretString"].startswith("value-")


def test_a_schedule_not_yet_run_counts_from_when_it_was_set(
    secretsmanager: Any, stubtags: Backend
) -> None:
    stubtags.register_lambda(FUNCTION, quiet_rotation)
    with time_machine.travel(START, tick=False):
        secretsmanager.create_secret(Name="db", SecretString="v0")
        secretsmanager.rotate_secret(
            SecretId="db",
            RotationLambdaARN=FUNCTION,
            RotationRules={"ScheduleExpression": "rate(6 hours)", "Duration": "2h"},
            RotateImmediately=False,
        )
        described = secretsmanager.describe_secret(SecretId="db")
        # From 10:00 (the hour it was set) six hours on, a window of two hours.
        assert described["NextRotationDate"] == datetime(
            2026, 3, 1, 17, 59, 59, tzinfo=timezone.utc
        )
        assert "LastRotatedDate" not in described


def test_a_cron_schedule_in_days_has_a_window_to_the_end_of_the_utc_day(
    secretsmanager: Any, stubtags: Backend
) -> None:
    stubtags.register_lambda(FUNCTION, quiet_rotation)
    with time_machine.travel(START, tick=False) as traveller:  # Sunday 1 March 2026, 10:30
        secretsmanager.create_secret(Name="db", SecretString="v0")
        secretsmanager.rotate_secret(
            SecretId="db",
            RotationLambdaARN=FUNCTION,
            RotationRules={"ScheduleExpression": "cron(0 16 1,15 * ? *)"},
        )
        described = secretsmanager.describe_secret(SecretId="db")
        # Rotated now (10:30 on the 1st); the next time is the same day at 16:00, and a
        # schedule in days keeps its window open to the end of the UTC day.
        assert described["NextRotationDate"] == datetime(
            2026, 3, 1, 23, 59, 59, tzinfo=timezone.utc
        )
        traveller.shift(timedelta(hours=6))  # 16:30, inside the window
        assert stubtags.rotate_due() == []
        traveller.shift(timedelta(hours=8))  # 2 March, 00:30: the window has closed
        assert stubtags.rotate_due() == [described["ARN"]]
        after = secretsmanager.describe_secret(SecretId="db")
        assert after["NextRotationDate"] == datetime(2026, 3, 15, 23, 59, 59, tzinfo=timezone.utc)


def test_a_cron_schedule_in_hours_has_a_one_hour_window_or_its_duration(
    secretsmanager: Any, stubtags: Backend
) -> None:
    stubtags.register_lambda(FUNCTION, quiet_rotation)
    with time_machine.travel(START, tick=False):
        for name, rules, closes in [
            ("hourly", {"ScheduleExpression": "cron(0 */4 ? * MON-FRI *)"}, (3, 2, 0, 59)),
            (
                "long",
                {"ScheduleExpression": "cron(0 8,20 ? * SUN *)", "Duration": "3h"},
                (3, 1, 22, 59),
            ),
        ]:
            secretsmanager.create_secret(Name=name, SecretString="v0")
            secretsmanager.rotate_secret(
                SecretId=name, RotationLambdaARN=FUNCTION, RotationRules=rules
            )
            month, day, hour, minute = closes
            assert secretsmanager.describe_secret(SecretId=name)["NextRotationDate"] == datetime(
                2026, month, day, hour, minute, 59, tzinfo=timezone.utc
            ), name


def test_cron_expressions_are_judged(secretsmanager: Any, stubtags: Backend) -> None:
    import stubtags as package

    stubtags.register_lambda(FUNCTION, quiet_rotation)
    secretsmanager.create_secret(Name="db", SecretString="v0")
    for bad in (
        "cron(0 16 1 * 1 *)",
        "cron(61 1 ? * * *)",
        "cron(0 1 * *)",
        "cron(0 1 ? JANX * *)",
    ):
        with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
            secretsmanager.rotate_secret(
                SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"ScheduleExpression": bad}
            )
    with pytest.raises(package.UnsupportedMemberError, match="not modelled"):
        secretsmanager.rotate_secret(
            SecretId="db",
            RotationLambdaARN=FUNCTION,
            RotationRules={"ScheduleExpression": "cron(0 1 L * ? *)"},
        )
    assert "RotationEnabled" not in secretsmanager.describe_secret(SecretId="db")


def test_deleting_and_restoring_in_a_loop_keeps_the_deletion_heap_bounded(
    secretsmanager: Any, stubtags: Backend
) -> None:
    """A restore leaves its deletion date in the region's heap until the date comes:
    without the compaction, each cycle would leave one more entry."""
    with time_machine.travel(START, tick=False) as traveller:
        secretsmanager.create_secret(Name="kept")
        secretsmanager.create_secret(Name="db")
        secretsmanager.delete_secret(SecretId="kept", RecoveryWindowInDays=7)  # stays live
        due = stubtags._region(None)._due
        for cycle in range(1000):
            secretsmanager.delete_secret(SecretId="db", RecoveryWindowInDays=30)
            secretsmanager.restore_secret(SecretId="db")
            if cycle == 499:  # frozen time: each cycle pushed the same entry again
                assert len(due) <= 64 + 1
            if cycle >= 500:  # a new deletion date each time, as in a suite's real time
                traveller.shift(timedelta(seconds=1))
        assert len(due) <= 64 + 1
        traveller.shift(timedelta(days=7) - timedelta(seconds=500))
        # The live deletion survived every compaction and still ends with its window.
        assert not exists(secretsmanager, "kept")
        assert exists(secretsmanager, "db")
