"""How stubtags hooks into botocore, and the lifecycle of `mock_tags`.

Interception must reach every Secrets Manager client (however old), need no
credentials, endpoint or network, leave other services alone, and vanish without a
trace when the last mock stops. The lifecycle tests cover every way to start a mock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import unittest
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.client import BaseClient
from botocore.exceptions import NoCredentialsError
from botocore.stub import Stubber

import stubtags
from stubtags import Backend, NotActiveError, SecretNotFoundError, active_backend, mock_tags
from stubtags.operations import OPERATIONS

REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
DEFAULT_ACCOUNT = "123456789012"

ORIGINAL_MAKE_API_CALL = BaseClient.__dict__["_make_api_call"]


def sm_client(region: str = REGION, **kwargs: Any) -> Any:
    return boto3.client("secretsmanager", region_name=region, **kwargs)


def stubtags_handlers(client: Any) -> list[Any]:
    """Handlers from stubtags on the client's emitter for a Secrets Manager before-call."""
    emitter = client.meta.events
    emitter = getattr(emitter, "_emitter", emitter)  # EventAliaser wraps the real emitter
    handlers = emitter._handlers.prefix_search("before-call.secrets-manager.DescribeSecret")
    return [h for h in handlers if str(getattr(h, "__module__", "")).startswith("stubtags")]


def assert_inactive() -> None:
    with pytest.raises(NotActiveError):
        active_backend()
    assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL


# --- which clients are intercepted -----------------------------------------------------------


def test_client_created_before_the_mock_starts_is_intercepted() -> None:
    client = sm_client()
    with pytest.raises(NoCredentialsError):  # no mock yet: the request heads for AWS
        client.list_secrets()
    with mock_tags() as backend:
        client.create_secret(Name="early")
        client.tag_resource(SecretId="early", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("early", region=REGION) == {"k": "v"}


def test_client_from_a_session_made_before_stubtags_was_imported(tmp_path: Path) -> None:
    """A module-level client in the code under test, created before stubtags exists."""
    script = textwrap.dedent(
        """
        import json, sys
        import boto3, botocore.session

        assert "stubtags" not in sys.modules
        early_session = botocore.session.Session()
        module_client = boto3.client("secretsmanager", region_name="us-east-1")
        session_client = early_session.create_client("secretsmanager", region_name="us-east-1")

        import stubtags
        from stubtags import mock_tags

        with mock_tags() as backend:
            module_client.create_secret(Name="one")
            module_client.tag_resource(SecretId="one", Tags=[{"Key": "a", "Value": "1"}])
            session_client.tag_resource(SecretId="one", Tags=[{"Key": "b", "Value": "2"}])
            print(json.dumps(backend.tags("one", region="us-east-1")))
        """
    )
    env = dict(os.environ)  # the conftest has removed every AWS credential from it
    assert not any(name in env for name in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE"))
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"a": "1", "b": "2"}


def test_works_with_no_credentials_and_no_config_at_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing" / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing" / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert boto3.Session().get_credentials() is None

    with mock_tags() as backend:
        client = sm_client()
        client.create_secret(Name="nocreds", SecretString="x")
        client.tag_resource(SecretId="nocreds", Tags=[{"Key": "k", "Value": "v"}])
        assert client.get_secret_value(SecretId="nocreds")["SecretString"] == "x"
        assert backend.tags("nocreds", region=REGION) == {"k": "v"}


def test_explicit_endpoint_url_is_still_answered_from_memory() -> None:
    client = sm_client(endpoint_url="http://127.0.0.1:9")
    with mock_tags() as backend:
        arn = client.create_secret(Name="local")["ARN"]
        client.tag_resource(SecretId=arn, Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags(arn) == {"k": "v"}


def test_unsupported_operation_raises_naming_the_operation(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every operation of the model is supported now: take one away to see the refusal.
    monkeypatch.delitem(OPERATIONS, "RotateSecret")
    client = sm_client()
    with mock_tags():
        client.create_secret(Name="rot")
        with pytest.raises(stubtags.UnsupportedOperationError) as excinfo:
            client.rotate_secret(SecretId="rot")
    assert excinfo.value.operation == "RotateSecret"
    assert "RotateSecret" in str(excinfo.value)
    assert isinstance(excinfo.value, stubtags.StubtagsError)


def test_stubber_on_a_secrets_manager_client_answers_an_unsupported_operation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The escape hatch the UnsupportedOperationError message names must work."""
    monkeypatch.delitem(OPERATIONS, "RotateSecret")
    client = sm_client()
    with mock_tags() as backend:
        client.create_secret(Name="rot")  # hooked before the Stubber is added
        with Stubber(client) as stubber:
            stubber.add_response("rotate_secret", {"Name": "rot"}, {"SecretId": "rot"})
            assert client.rotate_secret(SecretId="rot")["Name"] == "rot"
            stubber.assert_no_pending_responses()
        assert backend.names(REGION) == ["rot"]


# --- other services are left alone ----------------------------------------------------------


def test_other_services_take_botocores_normal_path() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    sts = boto3.client("sts", region_name=REGION)
    with mock_tags():
        # No credentials: the request reached botocore's signer, so stubtags did not answer.
        with pytest.raises(NoCredentialsError):
            s3.list_buckets()
        with pytest.raises(NoCredentialsError):
            sts.get_caller_identity()
        assert stubtags_handlers(s3) == []


def test_botocore_stubber_answers_s3_inside_the_mock() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with mock_tags() as backend, Stubber(s3) as stubber:
        stubber.add_response(
            "list_buckets", {"Buckets": [{"Name": "from-stubber"}], "Owner": {"ID": "me"}}
        )
        reply = s3.list_buckets()
        stubber.assert_no_pending_responses()
        sm_client().create_secret(Name="alongside")
        assert backend.names(REGION) == ["alongside"]
    assert [bucket["Name"] for bucket in reply["Buckets"]] == ["from-stubber"]


@pytest.mark.parametrize("order", ["moto-outside", "moto-inside"])
def test_moto_answers_s3_while_stubtags_answers_secrets_manager(order: str) -> None:
    from moto import mock_aws  # moto is needed only by these two tests

    with ExitStack() as stack:
        if order == "moto-outside":
            stack.enter_context(mock_aws())
            backend = stack.enter_context(mock_tags())
        else:
            backend = stack.enter_context(mock_tags())
            stack.enter_context(mock_aws())
        s3 = boto3.client("s3", region_name=REGION)
        client = sm_client()
        s3.create_bucket(Bucket="moto-bucket")
        client.create_secret(Name="stub-secret")
        # moto would accept 51 tags; stubtags refuses them.
        with pytest.raises(client.exceptions.InvalidParameterException):
            client.tag_resource(
                SecretId="stub-secret",
                Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)],
            )
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["moto-bucket"]
        assert backend.names(REGION) == ["stub-secret"]


def test_moto_answers_secrets_manager_again_once_stubtags_stops() -> None:
    from moto import mock_aws

    with mock_aws():
        client = sm_client()
        with mock_tags() as backend:
            client.create_secret(Name="in-stubtags")
            assert backend.names(REGION) == ["in-stubtags"]
        assert client.list_secrets()["SecretList"] == []
        client.create_secret(Name="in-moto")
        assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["in-moto"]


# --- after the mock stops, botocore is as it was --------------------------------------------


def test_stop_restores_botocore_and_unhooks_clients() -> None:
    from aiobotocore.client import AioBaseClient

    aio_original = AioBaseClient.__dict__["_make_api_call"]
    client = sm_client()
    with mock_tags():
        client.list_secrets()
        assert BaseClient.__dict__["_make_api_call"] is not ORIGINAL_MAKE_API_CALL
        assert AioBaseClient.__dict__["_make_api_call"] is not aio_original
        assert len(stubtags_handlers(client)) == 1
        client.list_secrets()
        assert len(stubtags_handlers(client)) == 1  # registered once, not once per call

    assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL
    assert AioBaseClient.__dict__["_make_api_call"] is aio_original
    assert stubtags_handlers(client) == []
    unique_ids = client.meta.events._emitter._unique_id_handlers
    assert not any("stubtags" in str(uid) for uid in unique_ids)
    with pytest.raises(NoCredentialsError):
        client.list_secrets()


def test_after_stop_a_stubber_answers_the_client_stubtags_had_hooked() -> None:
    client = sm_client()
    with mock_tags():
        client.create_secret(Name="was-here")
    with Stubber(client) as stubber:
        stubber.add_response("describe_secret", {"Name": "from-stubber"}, {"SecretId": "was-here"})
        reply = client.describe_secret(SecretId="was-here")
    assert reply["Name"] == "from-stubber"


def test_client_created_inside_the_mock_is_normal_after_it() -> None:
    with mock_tags():
        client = sm_client()
        client.create_secret(Name="inside")
    assert stubtags_handlers(client) == []
    with pytest.raises(NoCredentialsError):
        client.describe_secret(SecretId="inside")


# --- lifecycle: decorators -------------------------------------------------------------------


def test_bare_decorator() -> None:
    @mock_tags
    def work() -> list[str]:
        sm_client().create_secret(Name="deco")
        return active_backend().names(REGION)

    assert work() == ["deco"]
    assert work() == ["deco"]  # fresh state on each outermost start
    assert_inactive()


def test_called_decorator() -> None:
    @mock_tags()
    def work(name: str) -> list[str]:
        sm_client().create_secret(Name=name)
        return active_backend().names(REGION)

    assert work("a") == ["a"]
    assert work.__name__ == "work"
    assert_inactive()


def test_decorator_with_account_id_puts_it_in_arns() -> None:
    @mock_tags(account_id="111111111111")
    def work() -> str:
        arn: str = sm_client().create_secret(Name="acct")["ARN"]
        return arn

    arn = work()
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:111111111111:secret:acct-")
    assert_inactive()


def test_invalid_account_id_is_refused() -> None:
    with pytest.raises(ValueError, match="12 digits"):
        mock_tags(account_id="1234")


def test_decorated_generator_is_active_while_it_runs() -> None:
    @mock_tags
    def produce() -> Iterator[list[str]]:
        client = sm_client()
        client.create_secret(Name="g1")
        yield active_backend().names(REGION)
        client.create_secret(Name="g2")
        yield active_backend().names(REGION)

    generator = produce()
    assert_inactive()  # nothing runs before the first next()
    assert next(generator) == ["g1"]
    assert next(generator) == ["g1", "g2"]
    with pytest.raises(StopIteration):
        next(generator)
    assert_inactive()


def test_decorated_function_that_raises_deactivates() -> None:
    @mock_tags
    def boom() -> None:
        sm_client().create_secret(Name="x")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        boom()
    assert_inactive()


def test_decorated_plain_class_gives_each_test_method_fresh_state() -> None:
    @mock_tags
    class Plain:
        def test_first(self) -> list[str]:
            sm_client().create_secret(Name="same")
            return active_backend().names(REGION)

        def test_second(self) -> list[str]:
            sm_client().create_secret(Name="same")
            return active_backend().names(REGION)

    instance = Plain()
    assert instance.test_first() == ["same"]
    assert instance.test_second() == ["same"]
    assert instance.test_first() == ["same"]
    assert_inactive()


def test_decorated_class_also_wraps_inherited_test_methods() -> None:
    """A test class often gets its tests from a mixin; those must run mocked too."""

    class Mixin:
        def test_inherited(self) -> list[str]:
            backend = active_backend()
            sm_client().create_secret(Name="from-mixin")
            return backend.names(REGION)

    @mock_tags
    class Decorated(Mixin):
        def test_own(self) -> list[str]:
            return active_backend().names(REGION)

    assert Decorated().test_own() == []
    assert Decorated().test_inherited() == ["from-mixin"]
    with pytest.raises(NotActiveError):
        Mixin().test_inherited()  # the base class itself is left undecorated
    assert_inactive()


@mock_tags
class TestDecoratedClassCollectedByPytest:
    """pytest runs these methods; each must see an empty store."""

    def test_one(self) -> None:
        sm_client().create_secret(Name="shared-name")
        assert active_backend().names(REGION) == ["shared-name"]

    def test_two(self) -> None:
        sm_client().create_secret(Name="shared-name")
        assert active_backend().names(REGION) == ["shared-name"]


def test_decorated_unittest_case_runs_setup_inside_the_mock_with_fresh_state() -> None:
    seen: list[tuple[str, Any]] = []

    @mock_tags
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.client = sm_client()
            self.client.create_secret(Name="fixture")
            self.store = active_backend().store

        def test_a(self) -> None:
            assert active_backend().store is self.store
            self.client.tag_resource(SecretId="fixture", Tags=[{"Key": "a", "Value": "1"}])
            seen.append(("a", active_backend().tags("fixture", region=REGION)))

        def test_b(self) -> None:
            assert active_backend().store is self.store
            seen.append(("b", active_backend().tags("fixture", region=REGION)))

        def tearDown(self) -> None:
            seen.append(("tearDown", active_backend().names(REGION)))

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Case).run(result)

    assert result.errors == [] and result.failures == []
    assert result.testsRun == 2
    assert seen == [
        ("a", {"a": "1"}),
        ("tearDown", ["fixture"]),
        ("b", {}),
        ("tearDown", ["fixture"]),
    ]
    assert_inactive()


# --- lifecycle: context manager, start/stop, nesting -----------------------------------------


def test_context_manager_yields_the_active_backend() -> None:
    mock = mock_tags()
    assert not mock.active
    with mock as backend:
        assert isinstance(backend, Backend)
        assert active_backend() is backend
        assert mock.backend is backend
        assert mock.active
    assert not mock.active
    assert_inactive()


def test_start_and_stop() -> None:
    mock = mock_tags()
    backend = mock.start()
    try:
        sm_client().create_secret(Name="started")
        assert backend.names(REGION) == ["started"]
    finally:
        mock.stop()
    assert_inactive()


def test_stop_twice_raises_not_active() -> None:
    mock = mock_tags()
    mock.start()
    mock.stop()
    with pytest.raises(NotActiveError):
        mock.stop()
    with pytest.raises(NotActiveError):
        mock_tags().stop()
    with pytest.raises(NotActiveError):
        _ = mock.backend


def test_exception_inside_with_deactivates() -> None:
    client = sm_client()
    with pytest.raises(KeyError), mock_tags():
        client.create_secret(Name="x")
        raise KeyError("x")
    assert_inactive()
    with pytest.raises(NoCredentialsError):
        client.list_secrets()


def test_nested_mocks_share_state() -> None:
    client = sm_client()
    with mock_tags() as outer:
        client.create_secret(Name="outer")
        with mock_tags() as inner:
            assert inner.names(REGION) == ["outer"]
            client.create_secret(Name="inner")
        assert active_backend() is outer
        assert outer.names(REGION) == ["outer", "inner"]
        assert [s["Name"] for s in client.list_secrets()["SecretList"]] == ["outer", "inner"]
    assert_inactive()


def test_same_mock_object_nested_twice() -> None:
    mock = mock_tags()
    with mock as outer:
        with mock as inner:
            assert inner.store is outer.store
        assert mock.active
        assert mock.backend is outer
    assert not mock.active
    assert_inactive()


def test_innermost_account_answers_and_outer_account_resumes() -> None:
    client = sm_client()
    with mock_tags() as outer:
        with mock_tags(account_id="222222222222") as inner:
            arn = client.create_secret(Name="x")["ARN"]
            assert ":222222222222:" in arn
            assert inner.store is outer.store
            assert inner.names(REGION) == ["x"]
        assert outer.names(REGION) == []
        assert f":{DEFAULT_ACCOUNT}:" in client.create_secret(Name="x")["ARN"]


def test_each_outermost_start_begins_empty() -> None:
    client = sm_client()
    with mock_tags():
        client.create_secret(Name="first-run")
    with mock_tags() as backend:
        assert backend.names(REGION) == []
        assert client.list_secrets()["SecretList"] == []


# --- pytest integration ----------------------------------------------------------------------


@pytest.mark.stubtags
def test_marker_activates_without_the_fixture() -> None:
    client = sm_client()
    client.create_secret(Name="marked")
    assert active_backend().names(REGION) == ["marked"]


@pytest.mark.stubtags(account_id="333333333333")
def test_marker_passes_account_id() -> None:
    arn = sm_client().create_secret(Name="marked")["ARN"]
    assert ":333333333333:" in arn


def test_fixture_value_is_the_active_backend(stubtags: Backend) -> None:
    assert active_backend() is stubtags
    sm_client().create_secret(Name="f")
    assert stubtags.names(REGION) == ["f"]


# --- the backend handle's region resolution --------------------------------------------------


def test_backend_tags_by_name_and_by_arn_of_another_region() -> None:
    with mock_tags() as backend:
        client = sm_client(OTHER_REGION)
        arn = client.create_secret(Name="regional")["ARN"]
        client.tag_resource(SecretId="regional", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags(arn) == {"k": "v"}  # the ARN names its region
        assert backend.tags(arn[: -len("-XXXXXX")]) == {"k": "v"}
        assert backend.tags("regional", region=OTHER_REGION) == {"k": "v"}
        with pytest.raises(SecretNotFoundError):
            backend.tags("regional")  # a name is looked up in the default region


def test_backend_region_defaults_to_aws_default_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    with mock_tags() as backend:
        client = boto3.client("secretsmanager")  # takes the same default
        assert client.meta.region_name == "ap-southeast-2"
        client.create_secret(Name="defaulted", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("defaulted") == {"k": "v"}
        assert backend.names() == ["defaulted"]


def test_backend_region_falls_back_to_us_east_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    assert botocore.session.Session().get_config_variable("region") is None
    with mock_tags() as backend:
        sm_client("us-east-1").create_secret(Name="east", Tags=[{"Key": "k", "Value": "v"}])
        sm_client(OTHER_REGION).create_secret(Name="west")
        assert backend.tags("east") == {"k": "v"}
        assert backend.names() == ["east"]
        with pytest.raises(SecretNotFoundError):
            backend.tags("west")


def test_backend_default_region_is_the_one_a_new_client_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """botocore reads AWS_DEFAULT_REGION, not AWS_REGION; the handle must agree with it."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    with mock_tags() as backend:
        client = boto3.client("secretsmanager")
        client.create_secret(Name="where", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("where") == {"k": "v"}
        assert backend.names() == ["where"]
