"""Interception in the less common set-ups: validation off, other wrappers of
botocore, aiobotocore imported while a mock runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import boto3
import botocore.client
import pytest
import wrapt
from botocore.config import Config
from botocore.exceptions import ClientError

from stubtags import Backend, mock_tags


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
