"""How stubtags hooks into botocore.

Interception must reach every Secrets Manager client (however old), need no credentials,
endpoint or network, leave other services alone, survive other wrappers of botocore, and
vanish without a trace when the last mock stops. How a mock starts and stops (decorators,
`with`, start/stop, nesting, the pytest marker) is in test_lifecycle.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import boto3
import botocore.client
import botocore.endpoint
import pytest
import wrapt
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ClientError, NoCredentialsError
from botocore.stub import Stubber

import stubtags
from stubtags import Backend, mock_tags
from stubtags.operations import OPERATIONS
from tests.helpers import ORIGINAL_MAKE_API_CALL, REGION, sm_client, stubtags_handlers

CREATE_CLIENT_CLASS = botocore.client.ClientCreator.__dict__["_create_client_class"]
MAKE_REQUEST = botocore.endpoint.Endpoint.__dict__["make_request"]

# --- which clients are intercepted ------------------------------------------------------------


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
    """botocore's Stubber still answers on a hooked client (for every call of that client)."""
    monkeypatch.delitem(OPERATIONS, "RotateSecret")
    client = sm_client()
    with mock_tags() as backend:
        client.create_secret(Name="rot")  # hooked before the Stubber is added
        with Stubber(client) as stubber:
            stubber.add_response("rotate_secret", {"Name": "rot"}, {"SecretId": "rot"})
            assert client.rotate_secret(SecretId="rot")["Name"] == "rot"
            stubber.assert_no_pending_responses()
        assert backend.names(REGION) == ["rot"]


def test_without_client_validation_the_service_still_refuses_bad_requests(
    stubtags: Backend,
) -> None:
    sm = boto3.client(
        "secretsmanager", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    sm.create_secret(Name="s")
    with pytest.raises(ClientError) as missing:
        sm.tag_resource(SecretId="s")
    assert missing.value.response["Error"]["Code"] == "ValidationException"
    assert "Tags" in missing.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as wrong_type:
        sm.delete_secret(SecretId="s", RecoveryWindowInDays="7")
    assert wrong_type.value.response["Error"]["Code"] == "ValidationException"
    assert stubtags.describe("s").get("DeletedDate") is None


# --- other services are left alone ------------------------------------------------------------


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


# --- other wrappers of botocore, and aiobotocore imported late --------------------------------


def test_a_wrapper_added_over_ours_survives_stop_and_stays_working() -> None:
    original = botocore.client.BaseClient.__dict__["_make_api_call"]
    seen: list[str] = []

    def tracer(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
        seen.append(args[0])
        return wrapped(*args, **kwargs)

    try:
        with mock_tags():
            ours = botocore.client.BaseClient.__dict__["_make_api_call"]
            traced = wrapt.FunctionWrapper(ours, tracer)
            botocore.client.BaseClient._make_api_call = traced
            boto3.client("secretsmanager", region_name="us-east-1").create_secret(Name="a")
        # The tracer is still there after stop, and our wrapper under it is inert.
        assert botocore.client.BaseClient.__dict__["_make_api_call"] is traced
        sm = boto3.client("secretsmanager", region_name="us-east-1")
        from botocore.stub import Stubber

        with Stubber(sm) as stub:
            stub.add_response("list_secrets", {"SecretList": []})
            assert sm.list_secrets()["SecretList"] == []  # the normal path, not stubtags
        # Starting again neither stacks a second wrapper nor loses interception.
        with mock_tags() as backend:
            sm.create_secret(Name="b")
            assert backend.names() == ["b"]
        assert seen == ["CreateSecret", "ListSecrets", "CreateSecret"]
    finally:
        botocore.client.BaseClient._make_api_call = original


def test_our_wrapper_called_unbound_by_a_tracer_still_works() -> None:
    """A tracer may take the raw class attribute and call it with the client first."""
    original = botocore.client.BaseClient.__dict__["_make_api_call"]
    try:
        with mock_tags() as backend:
            inner = vars(botocore.client.BaseClient)["_make_api_call"]

            def traced(self: Any, operation: str, params: Any) -> Any:
                return inner(self, operation, params)

            botocore.client.BaseClient._make_api_call = traced
            boto3.client("secretsmanager", region_name="us-east-1").create_secret(Name="t")
            assert backend.names() == ["t"]
        # After stop our wrapper stays under the tracer, as a pass-through.
        s3 = boto3.client("s3", region_name="us-east-1")
        from botocore.stub import Stubber

        with Stubber(s3) as stub:
            stub.add_response("list_buckets", {"Buckets": []})
            assert s3.list_buckets()["Buckets"] == []
    finally:
        botocore.client.BaseClient._make_api_call = original


def test_client_subclasses_keep_their_init_subclass_chain() -> None:
    calls: list[str] = []

    class Mixin:
        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            calls.append(cls.__name__)

    with mock_tags():

        class Custom(botocore.client.BaseClient, Mixin):  # type: ignore[misc]
            pass

        with pytest.raises(TypeError):

            class Flavoured(botocore.client.BaseClient, flavour=1):  # type: ignore[call-arg,misc]
                pass

    assert calls == ["Custom"]


def test_aiobotocore_imported_while_the_mock_runs_is_intercepted() -> None:
    script = textwrap.dedent(
        """
        import asyncio, sys
        from stubtags import mock_tags
        assert "aiobotocore.client" not in sys.modules
        with mock_tags() as backend:
            import aiobotocore.session

            async def main():
                session = aiobotocore.session.get_session()
                async with session.create_client("secretsmanager", region_name="us-east-1") as c:
                    await c.create_secret(Name="late")
                    await c.tag_resource(SecretId="late", Tags=[{"Key": "k", "Value": "v"}])

            asyncio.run(main())
            assert backend.tags("late") == {"k": "v"}, backend.tags("late")
        import botocore.client
        assert "__init_subclass__" not in botocore.client.BaseClient.__dict__
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_sync_only_use_does_not_import_aiobotocore() -> None:
    script = textwrap.dedent(
        """
        import sys, boto3
        from stubtags import mock_tags
        with mock_tags():
            boto3.client("secretsmanager", region_name="us-east-1").create_secret(Name="x")
        print("aiobotocore" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_failed_start_leaves_nothing_answering(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    # An aiobotocore half imported (module registered, class not yet defined) makes
    # activation fail part way: nothing may be left wrapped or answering.
    half_imported = types.ModuleType("aiobotocore.client")
    half_imported.AioBaseClient = object  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "aiobotocore.client", half_imported)
    from stubtags import interception

    def failing_wrap(aio_client_class: Any) -> None:
        raise RuntimeError("half-imported aiobotocore")

    monkeypatch.setattr(interception.INTERCEPTOR, "_wrap_aio", failing_wrap)
    original = botocore.client.BaseClient.__dict__["_make_api_call"]
    with pytest.raises(RuntimeError):
        mock_tags().start()
    assert botocore.client.BaseClient.__dict__["_make_api_call"] is original
    assert interception.INTERCEPTOR.backend is None


# --- after the mock stops, botocore is as it was ----------------------------------------------


def test_stop_restores_botocore_and_unhooks_clients() -> None:
    from aiobotocore.client import AioBaseClient

    aio_original = AioBaseClient.__dict__["_make_api_call"]
    client = sm_client()
    with mock_tags():
        client.list_secrets()
        # botocore's own method, with nothing of ours left in front of it for this client
        assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL
        assert "_make_api_call" not in type(client).__dict__
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


def test_a_hooked_client_is_not_kept_alive_and_stop_copes_with_its_going() -> None:
    import gc
    import weakref

    from stubtags.interception import INTERCEPTOR

    with mock_tags():
        kept, dropped = sm_client(), sm_client()
        kept.create_secret(Name="kept")
        dropped.create_secret(Name="dropped")
        gone = weakref.ref(dropped)
        del dropped
        gc.collect()
        assert gone() is None  # hooking it held no strong reference
        assert [ref() for ref in INTERCEPTOR._hooked] == [kept]
        assert kept.describe_secret(SecretId="dropped")["Name"] == "dropped"
    assert INTERCEPTOR._hooked == {}
    assert stubtags_handlers(kept) == []


# --- after its first call, a client calls botocore directly ------------------------------------


def test_after_its_first_call_a_client_reaches_botocore_with_nothing_of_ours_between() -> None:
    before = sm_client()
    idle = sm_client()  # never called: its catcher waits until stop
    with mock_tags() as backend:
        inside = sm_client()
        for client in (before, inside):
            assert "_make_api_call" in type(client).__dict__  # the catcher, waiting
            client.create_secret(Name=f"n{len(backend.names())}")
            assert "_make_api_call" not in type(client).__dict__
            assert type(client)._make_api_call is ORIGINAL_MAKE_API_CALL
            client.tag_resource(SecretId="n0", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.names() == ["n0", "n1"]
        assert backend.tags("n0") == {"k": "v"}
    for client in (before, idle, inside):
        assert "_make_api_call" not in type(client).__dict__


def test_a_patch_of_botocore_made_after_a_clients_first_call_sees_its_later_calls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tracer or a test patching `BaseClient._make_api_call` mid-test: nothing of ours
    stands before it for a client already hooked, so it sees the calls as without us."""
    seen: list[str] = []

    def spy(self: Any, operation: str, params: Any) -> Any:
        seen.append(operation)
        return ORIGINAL_MAKE_API_CALL(self, operation, params)

    with mock_tags() as backend:
        client = sm_client()
        client.create_secret(Name="first")
        monkeypatch.setattr(BaseClient, "_make_api_call", spy)
        client.tag_resource(SecretId="first", Tags=[{"Key": "k", "Value": "v"}])
        assert backend.tags("first") == {"k": "v"}
    assert seen == ["TagResource"]


def test_a_client_of_another_service_loses_its_catcher_at_its_first_call() -> None:
    with mock_tags():
        s3 = boto3.client("s3", region_name="us-east-1")
        with Stubber(s3) as stub:
            stub.add_response("list_buckets", {"Buckets": []})
            assert s3.list_buckets()["Buckets"] == []  # botocore's path, not stubtags
        assert "_make_api_call" not in type(s3).__dict__
        assert stubtags_handlers(s3) == []


def test_a_client_class_with_its_own_make_api_call_is_caught() -> None:
    """botocore's documented way to customise a client class (`creating-client-class`)
    may put a `_make_api_call` of its own in front of botocore's."""
    calls: list[str] = []

    class Counting:
        def _make_api_call(self, operation: str, params: Any) -> Any:
            calls.append(operation)
            return super()._make_api_call(operation, params)  # type: ignore[misc]

    own = Counting.__dict__["_make_api_call"]
    session = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="y", region_name=REGION
    )

    def customise(base_classes: list[type[Any]], **_: Any) -> None:
        base_classes.insert(0, Counting)

    session.events.register("creating-client-class.secrets-manager", customise)
    with mock_tags() as backend:
        client = session.client("secretsmanager")
        client.create_secret(Name="custom")
        client.create_secret(Name="again")
        assert backend.names() == ["custom", "again"]
    assert calls == ["CreateSecret", "CreateSecret"]
    assert Counting.__dict__["_make_api_call"] is own


def test_when_someone_else_watches_client_classes_clients_are_caught_at_every_call() -> None:
    """Another `BaseClient.__init_subclass__` is left alone: stubtags then wraps
    `BaseClient._make_api_call` for the mock's duration, as it did before catchers."""
    watched: list[str] = []

    def theirs(cls: type[Any], /, **kwargs: Any) -> None:
        watched.append(cls.__name__)

    BaseClient.__init_subclass__ = classmethod(theirs)
    try:
        with mock_tags() as backend:
            assert BaseClient.__dict__["_make_api_call"] is not ORIGINAL_MAKE_API_CALL
            client = sm_client()
            client.create_secret(Name="caught")
            assert backend.names() == ["caught"]
        assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL
        assert watched == ["SecretsManager"]
    finally:
        del BaseClient.__init_subclass__


@pytest.mark.asyncio
async def test_an_aiobotocore_client_class_with_its_own_make_api_call_keeps_async_replies() -> None:
    """A `creating-client-class` mixin in front of `AioBaseClient` is wrapped; the replies
    its clients get are still aiobotocore's (a canned reply is read with `await`)."""
    from aiobotocore.session import get_session

    class AsyncPassing:
        async def _make_api_call(self, operation: str, params: Any) -> Any:
            return await super()._make_api_call(operation, params)  # type: ignore[misc]

    def customise(base_classes: list[type[Any]], **_: Any) -> None:
        base_classes.insert(0, AsyncPassing)

    session = get_session()
    session.register("creating-client-class.secrets-manager", customise)
    with mock_tags() as backend:
        async with session.create_client("secretsmanager", region_name=REGION) as client:
            backend.fail("CreateSecret", "ThrottlingException")  # retried, then answered
            assert (await client.create_secret(Name="aio"))["Name"] == "aio"
            backend.respond("ListSecrets", {"SecretList": []})
            assert (await client.list_secrets())["SecretList"] == []


def test_the_class_of_a_client_never_called_is_not_kept_alive_by_its_catcher() -> None:
    import gc
    import weakref

    with mock_tags():
        client = sm_client()
        client_class = weakref.ref(type(client))
        del client
        gc.collect()
        assert client_class() is None


def test_a_mock_start_does_not_revive_client_classes_left_for_the_collector() -> None:
    """A client class is cyclic garbage once its client goes. The walk at start finds it
    until the collector runs; a catcher holding it would keep it through the mock, so it
    would age into the oldest generation and pile up with the next tests' (each start
    then walking them all: a suite making a client per test slowed quadratically)."""
    import gc
    import weakref

    gc.disable()
    try:
        client = sm_client()
        client_class = weakref.ref(type(client))
        del client
        assert client_class() is not None  # garbage, not yet collected
        with mock_tags():
            gc.collect()
            assert client_class() is None
    finally:
        gc.enable()


# --- classes that BaseClient.__init_subclass__ does not see ---------------------------------


def test_a_mixin_whose_init_subclass_skips_super_is_still_caught() -> None:
    """A `creating-client-class` handler's mixin that does not call `super()` in its
    `__init_subclass__`: BaseClient's never runs; the class is caught as botocore makes it."""

    class Registering:
        def __init_subclass__(cls, **kwargs: Any) -> None:
            pass  # no super(): BaseClient.__init_subclass__ is not called

    def customise(base_classes: list[type[Any]], **_: Any) -> None:
        base_classes.insert(0, Registering)

    session = boto3.session.Session()
    session.events.register("creating-client-class.secrets-manager", customise)
    with mock_tags() as backend:
        client = session.client("secretsmanager", region_name=REGION)
        client.create_secret(Name="mixed")
        assert backend.names() == ["mixed"]


def test_a_client_made_after_base_client_init_subclass_is_replaced_is_caught() -> None:
    with mock_tags() as backend:
        BaseClient.__init_subclass__ = classmethod(lambda cls, **kwargs: None)
        try:
            sm_client().create_secret(Name="replaced")
            assert backend.names() == ["replaced"]
        finally:
            del BaseClient.__init_subclass__
    assert botocore.client.ClientCreator.__dict__["_create_client_class"] is CREATE_CLIENT_CLASS


# --- the endpoint: the last line -----------------------------------------------------------


def test_a_patch_on_the_clients_own_class_before_its_first_call_is_still_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The patch takes the catcher's place, so no `before-call` handler is registered;
    the call is answered where botocore would send it, with no credentials needed."""
    with mock_tags() as backend:
        client = sm_client(aws_access_key_id=None, aws_secret_access_key=None)
        cls = type(client)

        def traced(self: Any, operation: str, params: Any) -> Any:
            return super(cls, self)._make_api_call(operation, params)

        monkeypatch.setattr(cls, "_make_api_call", traced)
        client.create_secret(Name="around")
        assert backend.names() == ["around"]
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_secret(SecretId="missing")
        assert [e["eventName"] for e in backend.events] == ["CreateSecret", "DescribeSecret"]
    assert botocore.endpoint.Endpoint.__dict__["make_request"] is MAKE_REQUEST


def test_a_patch_started_before_the_mock_and_stopped_during_it_is_still_answered() -> None:
    from unittest import mock

    client = sm_client()

    def spy(self: Any, operation: str, params: Any) -> Any:
        return ORIGINAL_MAKE_API_CALL(self, operation, params)

    patch = mock.patch.object(type(client), "_make_api_call", spy)
    patch.start()
    with mock_tags() as backend:
        patch.stop()  # takes stubtags' wrapper of `spy` away with it
        client.create_secret(Name="stopped")
        assert backend.names() == ["stopped"]


def test_the_endpoint_lets_other_services_and_deferred_calls_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[str] = []

    def fake_send(self: Any, request_dict: Any, operation_model: Any) -> Any:
        sent.append(operation_model.name)
        raise RuntimeError("sent")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send_request", fake_send)
    with mock_tags() as backend:
        s3 = boto3.client("s3", region_name=REGION)
        with pytest.raises(RuntimeError, match="sent"):
            s3.list_buckets()
        client = sm_client()
        backend.respond("ListSecrets", {"SecretList": []})
        with pytest.raises(RuntimeError, match="sent"):  # deferred: botocore sends it on
            client.list_secrets()
    assert sent == ["ListBuckets", "ListSecrets"]


def _escaped(client: Any) -> Any:
    """A patch on the client's own class before its first call: no before-call handler."""
    cls = type(client)

    def traced(self: Any, operation: str, params: Any) -> Any:
        return super(cls, self)._make_api_call(operation, params)

    cls._make_api_call = traced
    return client


@pytest.fixture
def unsent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sent: list[str] = []

    def fake_send(self: Any, request: Any) -> Any:
        sent.append(request.url)
        raise RuntimeError("sent")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", fake_send)
    return sent


def test_a_call_deferred_at_the_endpoint_leaves_no_hooks_after_stop(unsent: list[str]) -> None:
    with mock_tags() as backend:
        client = _escaped(sm_client())
        client.create_secret(Name="s", SecretString="v")
        backend.fail("GetSecretValue", "ThrottlingException", times=1)
        assert client.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert unsent == []
    for event in (
        "choose-signer.secrets-manager.GetSecretValue",
        "before-send.secrets-manager.GetSecretValue",
    ):
        assert stubtags_handlers(client, event) == []


def test_the_net_is_back_at_the_next_start_after_a_patch_stopped_under_it(
    unsent: list[str],
) -> None:
    """A patch of Endpoint.make_request started before a mock and stopped during it
    takes the net away with it: the next mock puts it back."""
    from unittest import mock

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        return MAKE_REQUEST(self, *args, **kwargs)

    patch = mock.patch.object(botocore.endpoint.Endpoint, "make_request", spy)
    patch.start()
    with mock_tags():
        patch.stop()
    with mock_tags() as backend:
        _escaped(sm_client()).create_secret(Name="later")
        assert backend.names() == ["later"]
    assert unsent == []
    assert botocore.endpoint.Endpoint.__dict__["make_request"] is MAKE_REQUEST


def test_the_class_watch_is_back_at_the_next_start_after_a_patch_stopped_under_it() -> None:
    from unittest import mock

    creator = botocore.client.ClientCreator
    patch = mock.patch.object(
        creator, "_create_client_class", lambda self, *a, **k: CREATE_CLIENT_CLASS(self, *a, **k)
    )
    patch.start()
    with mock_tags():
        patch.stop()
    with mock_tags():
        assert creator.__dict__["_create_client_class"] is not CREATE_CLIENT_CLASS
    assert creator.__dict__["_create_client_class"] is CREATE_CLIENT_CLASS


def test_a_deferred_call_with_an_empty_context_is_not_sent(unsent: list[str]) -> None:
    """botocore gives a request prepared with no context `{}`: the mark of a deferred
    call goes into that dict, not a throwaway one."""
    from botocore.awsrequest import prepare_request_dict

    with mock_tags() as backend:
        client = sm_client()
        model = client.meta.service_model.operation_model("ListSecrets")
        request_dict = client._serializer.serialize_to_request({}, model)
        prepare_request_dict(request_dict, client.meta.endpoint_url)
        assert request_dict["context"] == {}
        backend.respond("ListSecrets", {"SecretList": []})
        _, parsed = client._endpoint.make_request(model, request_dict)
        assert parsed["SecretList"] == []
    assert unsent == []
