"""Rotation with the test's own function: RotateSecret, CancelRotateSecret, DescribeSecret.

The rotation function below is written the way AWS's rotation templates are: its own
`boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])`,
describe_secret, get_secret_value of AWSPENDING, put_secret_value, and
update_secret_version_stage in finishSecret ("How rotation works").
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from stubtags import Backend, mock_tags

REGION = "us-east-1"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotate-db"
OTHER_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:unregistered"
NO_LAMBDA = "No Lambda rotation function ARN is associated with this secret."
NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)


class TemplateRotation:
    """A single-user rotation function, shaped like AWS's template for it."""

    def __init__(self, fail_at: str | None = None) -> None:
        self.steps: list[str] = []
        self.fail_at = fail_at
        self.context: Any = None

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        arn = event["SecretId"]
        token = event["ClientRequestToken"]
        step = event["Step"]
        self.steps.append(step)
        self.context = context
        service = boto3.client(
            "secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"]
        )
        metadata = service.describe_secret(SecretId=arn)
        if not metadata["RotationEnabled"]:
            raise ValueError(f"Secret {arn} is not enabled for rotation")
        versions = metadata["VersionIdsToStages"]
        if token not in versions and step != "createSecret":
            raise ValueError(f"Secret version {token} has no stage for rotation of {arn}")
        if step == self.fail_at:
            raise RuntimeError(f"database refused the new password at {step}")
        if step == "createSecret":
            self.create_secret(service, arn, token)
        elif step == "testSecret":
            pending = service.get_secret_value(
                SecretId=arn, VersionId=token, VersionStage="AWSPENDING"
            )
            assert pending["SecretString"]
        elif step == "finishSecret":
            self.finish_secret(service, arn, token, versions)

    @staticmethod
    def create_secret(service: Any, arn: str, token: str) -> None:
        service.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            service.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except service.exceptions.ResourceNotFoundException:
            password = service.get_random_password(ExcludeCharacters="/@\"'\\")["RandomPassword"]
            service.put_secret_value(
                SecretId=arn,
                ClientRequestToken=token,
                SecretString=password,
                VersionStages=["AWSPENDING"],
            )

    @staticmethod
    def finish_secret(service: Any, arn: str, token: str, versions: dict[str, Any]) -> None:
        current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
        if current == token:
            return
        service.update_secret_version_stage(
            SecretId=arn,
            VersionStage="AWSCURRENT",
            MoveToVersionId=token,
            RemoveFromVersionId=current,
        )


@pytest.fixture
def rotation(stubtags: Backend) -> TemplateRotation:
    function = TemplateRotation()
    stubtags.register_lambda(FUNCTION, function)
    return function


def stages(secretsmanager: Any, secret_id: str) -> dict[str, list[str]]:
    return secretsmanager.describe_secret(SecretId=secret_id)["VersionIdsToStages"]


def code_and_message(error: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    body = error.value.response["Error"]
    return body["Code"], body["Message"]


def test_rotation_runs_the_four_steps_and_moves_the_labels(
    secretsmanager: Any, rotation: TemplateRotation
) -> None:
    first = secretsmanager.create_secret(Name="db", SecretString="old")["VersionId"]
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "team", "Value": "core"}])

    reply = secretsmanager.rotate_secret(
        SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 30}
    )

    new = reply["VersionId"]
    assert rotation.steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert stages(secretsmanager, "db") == {first: ["AWSPREVIOUS"], new: ["AWSCURRENT"]}
    assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] != "old"
    assert secretsmanager.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")[
        "SecretString"
    ] == ("old")
    described = secretsmanager.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True
    assert described["RotationLambdaARN"] == FUNCTION
    assert described["RotationRules"] == {"AutomaticallyAfterDays": 30}
    assert described["Tags"] == [{"Key": "team", "Value": "core"}]  # tags survive rotation
    rotated = described["LastRotatedDate"]
    assert abs(rotated - datetime.now(timezone.utc)) < timedelta(minutes=1)
    # The window 30 days on closes at the end of that UTC day.
    expected_day = (rotated + timedelta(days=30)).date()
    assert described["NextRotationDate"].astimezone(timezone.utc).date() == expected_day
    assert described["NextRotationDate"].astimezone(timezone.utc).time().hour == 23


def test_the_function_gets_the_event_context_and_environment_lambda_gives(
    secretsmanager: Any, stubtags: Backend
) -> None:
    rotation = TemplateRotation()
    arn = secretsmanager.create_secret(Name="db", SecretString="old")["ARN"]
    seen: list[dict[str, Any]] = []

    def spy(event: dict[str, Any], context: Any) -> None:
        seen.append({**event, "region": os.environ["AWS_REGION"]})
        assert context.function_name == "rotate-db"
        assert context.invoked_function_arn == FUNCTION
        assert context.get_remaining_time_in_millis() > 0
        rotation(event, context)

    token = "t" * 32
    stubtags.register_lambda(FUNCTION, spy)
    secretsmanager.rotate_secret(
        SecretId="db", RotationLambdaARN=FUNCTION, ClientRequestToken=token
    )
    assert [e["Step"] for e in seen] == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert all(e["SecretId"] == arn and e["ClientRequestToken"] == token for e in seen)
    assert {e["region"] for e in seen} == {REGION}
    assert "SECRETS_MANAGER_ENDPOINT" not in os.environ  # set for the call only


def test_rotate_again_reuses_the_stored_configuration(
    secretsmanager: Any, rotation: TemplateRotation
) -> None:
    secretsmanager.create_secret(Name="db", SecretString="v0")
    secretsmanager.rotate_secret(
        SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 7}
    )
    second = secretsmanager.rotate_secret(SecretId="db")["VersionId"]
    assert len(rotation.steps) == 8
    labels = stages(secretsmanager, "db")
    assert labels[second] == ["AWSCURRENT"]
    assert sorted(map(tuple, labels.values())) == [("AWSCURRENT",), ("AWSPREVIOUS",)]
    assert secretsmanager.describe_secret(SecretId="db")["RotationRules"] == {
        "AutomaticallyAfterDays": 7
    }


def test_rotate_immediately_false_runs_only_test_secret(
    secretsmanager: Any, rotation: TemplateRotation
) -> None:
    first = secretsmanager.create_secret(Name="db", SecretString="v0")["VersionId"]
    secretsmanager.rotate_secret(
        SecretId="db",
        RotationLambdaARN=FUNCTION,
        RotationRules={"ScheduleExpression": "rate(10 days)"},
        RotateImmediately=False,
    )
    assert rotation.steps == ["testSecret"]
    assert stages(secretsmanager, "db") == {first: ["AWSCURRENT"]}  # the test version is gone again
    described = secretsmanager.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True
    assert described["RotationRules"] == {"ScheduleExpression": "rate(10 days)"}
    assert "LastRotatedDate" not in described
    assert "NextRotationDate" in described


def test_never_configured_is_refused_and_stores_nothing(
    secretsmanager: Any, stubtags: Backend
) -> None:
    secretsmanager.create_secret(Name="db", SecretString="v0")
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as caught:
        secretsmanager.rotate_secret(SecretId="db")
    assert code_and_message(caught) == ("InvalidRequestException", NO_LAMBDA)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert not any(k.startswith("Rotation") for k in secretsmanager.describe_secret(SecretId="db"))


def test_an_unregistered_function_is_access_denied(
    secretsmanager: Any, rotation: TemplateRotation
) -> None:
    secretsmanager.create_secret(Name="db", SecretString="v0")
    with pytest.raises(ClientError) as caught:
        secretsmanager.rotate_secret(SecretId="db", RotationLambdaARN=OTHER_FUNCTION)
    assert code_and_message(caught) == ("AccessDeniedException", NOT_INVOCABLE)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "RotationEnabled" not in secretsmanager.describe_secret(SecretId="db")  # not stored
    assert rotation.steps == []


def test_a_failing_step_fails_the_call_and_leaves_the_rotation_pending(
    secretsmanager: Any, stubtags: Backend
) -> None:
    failing = TemplateRotation(fail_at="setSecret")
    stubtags.register_lambda(FUNCTION, failing)
    first = secretsmanager.create_secret(Name="db", SecretString="v0")["VersionId"]

    with pytest.raises(secretsmanager.exceptions.InternalServiceError) as caught:
        secretsmanager.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION)

    code, message = code_and_message(caught)
    assert code == "InternalServiceError"
    assert "setSecret" in message
    assert "RuntimeError: database refused the new password at setSecret" in message
    assert failing.steps == ["createSecret", "setSecret"]
    labels = stages(secretsmanager, "db")
    pending = next(v for v, s in labels.items() if s == ["AWSPENDING"])
    assert labels[first] == ["AWSCURRENT"]
    described = secretsmanager.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True  # configured, as AWS keeps it
    assert "LastRotatedDate" not in described

    # AWSPENDING on another version than AWSCURRENT: the rotation is still in progress.
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException) as again:
        secretsmanager.rotate_secret(SecretId="db")
    assert "previous rotation isn't complete" in code_and_message(again)[1]
    # Clearing the label (what the CancelRotateSecret reference advises) lets it run.
    secretsmanager.update_secret_version_stage(
        SecretId="db", VersionStage="AWSPENDING", RemoveFromVersionId=pending
    )
    stubtags.register_lambda(FUNCTION, TemplateRotation())
    secretsmanager.rotate_secret(SecretId="db")
    assert secretsmanager.get_secret_value(SecretId="db")["SecretString"] != "v0"


def test_cancel_turns_rotation_off_and_names_the_pending_version(
    secretsmanager: Any, stubtags: Backend
) -> None:
    stubtags.register_lambda(FUNCTION, TemplateRotation(fail_at="testSecret"))
    secretsmanager.create_secret(Name="db", SecretString="v0")
    with pytest.raises(ClientError):
        secretsmanager.rotate_secret(
            SecretId="db", RotationLambdaARN=FUNCTION, RotationRules={"AutomaticallyAfterDays": 5}
        )
    pending = next(v for v, s in stages(secretsmanager, "db").items() if "AWSPENDING" in s)

    reply = secretsmanager.cancel_rotate_secret(SecretId="db")

    assert reply["VersionId"] == pending
    described = secretsmanager.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is False
    assert "NextRotationDate" not in described
    assert described["RotationLambdaARN"] == FUNCTION  # kept for a later RotateSecret
    assert "AWSPENDING" in stages(secretsmanager, "db")[pending]  # left as the reference warns


def test_rules_are_checked(secretsmanager: Any, rotation: TemplateRotation) -> None:
    secretsmanager.create_secret(Name="db", SecretString="v0")
    both = {"AutomaticallyAfterDays": 3, "ScheduleExpression": "rate(3 days)"}
    for rules, code in [
        (both, "InvalidParameterException"),
        ({"AutomaticallyAfterDays": 1001}, "ValidationException"),
        ({"ScheduleExpression": "every day"}, "InvalidParameterException"),
        ({"ScheduleExpression": "rate(2 hours)"}, "InvalidParameterException"),
        ({"ScheduleExpression": "rate(1 day)", "Duration": "25h"}, "InvalidParameterException"),
        ({"ScheduleExpression": "rate(1 day)", "Duration": "5x"}, "ValidationException"),
    ]:
        with pytest.raises(ClientError) as caught:
            secretsmanager.rotate_secret(
                SecretId="db", RotationLambdaARN=FUNCTION, RotationRules=rules
            )
        assert caught.value.response["Error"]["Code"] == code, rules
    assert rotation.steps == []
    secretsmanager.rotate_secret(
        SecretId="db",
        RotationLambdaARN=FUNCTION,
        RotationRules={"ScheduleExpression": "cron(0 16 1,15 * ? *)", "Duration": "2h"},
    )
    described = secretsmanager.describe_secret(SecretId="db")
    assert described["RotationRules"]["Duration"] == "2h"
    assert "NextRotationDate" in described  # the next 1st or 15th at 16:00, two hours on


def test_scheduled_for_deletion_is_refused(secretsmanager: Any, rotation: TemplateRotation) -> None:
    secretsmanager.create_secret(Name="db", SecretString="v0")
    secretsmanager.delete_secret(SecretId="db")
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
        secretsmanager.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION)
    with pytest.raises(secretsmanager.exceptions.InvalidRequestException):
        secretsmanager.cancel_rotate_secret(SecretId="db")


def test_a_function_that_calls_from_its_own_threads_does_not_deadlock(
    secretsmanager: Any, stubtags: Backend
) -> None:
    """The function runs with the store's lock released: other threads' calls get answered."""
    template = TemplateRotation()

    def threaded(event: dict[str, Any], context: Any) -> None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(template, event, context).result(timeout=30)

    stubtags.register_lambda(FUNCTION, threaded)
    secretsmanager.create_secret(Name="db", SecretString="v0")
    done = threading.Event()

    def rotate() -> None:
        secretsmanager.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION)
        done.set()

    worker = threading.Thread(target=rotate, daemon=True)
    worker.start()
    assert done.wait(timeout=30)
    assert template.steps[-1] == "finishSecret"


@pytest.mark.parametrize(
    ("arn", "handler", "error", "argument"),
    [
        (123, print, TypeError, "function_arn"),
        ("rotate-db", print, ValueError, "function_arn"),
        ("arn:aws:sqs:us-east-1:123456789012:queue", print, ValueError, "function_arn"),
        (FUNCTION, "not callable", TypeError, "handler"),
    ],
)
def test_register_lambda_checks_its_arguments(
    stubtags: Backend, arn: Any, handler: Any, error: type[Exception], argument: str
) -> None:
    with pytest.raises(error, match=argument):
        stubtags.register_lambda(arn, handler)


def test_registered_functions_are_shared_by_nested_mocks(
    secretsmanager: Any, stubtags: Backend
) -> None:
    function = TemplateRotation()
    with mock_tags(account_id="123456789012") as inner:
        inner.register_lambda(FUNCTION, function)
    secretsmanager.create_secret(Name="db", SecretString="v0")
    secretsmanager.rotate_secret(SecretId="db", RotationLambdaARN=FUNCTION)
    assert function.steps[-1] == "finishSecret"


class StopTheTest(BaseException):
    """Like pytest.fail or KeyboardInterrupt: not an error of the function's own."""


def test_a_base_exception_reaches_the_test_as_it_is(secretsmanager: Any, stubtags: Backend) -> None:
    def stop(event: dict[str, Any], context: Any) -> None:
        raise StopTheTest(event["Step"])

    stubtags.register_lambda(FUNCTION, stop)
    first = secretsmanager.create_secret(Name="db", SecretString="v0")["VersionId"]
    with pytest.raises(StopTheTest, match="testSecret"):
        secretsmanager.rotate_secret(
            SecretId="db", RotationLambdaARN=FUNCTION, RotateImmediately=False
        )
    assert stages(secretsmanager, "db") == {first: ["AWSCURRENT"]}  # the test version was removed


def test_a_refused_rotate_immediately_false_changes_nothing(
    secretsmanager: Any, stubtags: Backend, rotation: TemplateRotation
) -> None:
    """The test version's id is the token: an id already holding another value is refused."""
    secretsmanager.create_secret(Name="db", SecretString="v0", ClientRequestToken="a" * 32)
    secretsmanager.put_secret_value(SecretId="db", SecretString="v1")
    before = stubtags.snapshot()
    with pytest.raises(secretsmanager.exceptions.ResourceExistsException):
        secretsmanager.rotate_secret(
            SecretId="db",
            RotationLambdaARN=FUNCTION,
            RotateImmediately=False,
            ClientRequestToken="a" * 32,
        )
    assert stubtags.snapshot() == before
    assert rotation.steps == []
