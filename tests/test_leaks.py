"""No mock outlives its owner: a forgotten `start()` is reported (with where it was started)
and stopped by the pytest plugin, and every way of stopping puts botocore back exactly as
it was, so a later test that forgets the mock talks to botocore, not to stale state.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pytest
from aiobotocore.client import AioBaseClient
from botocore.client import BaseClient, ClientCreator
from botocore.endpoint import Endpoint

from stubtags import NotActiveError, active_backend, mock_tags
from tests.helpers import ORIGINAL_MAKE_API_CALL, assert_inactive, sm_client, stubtags_handlers

pytest_plugins = ["pytester"]

REGION = "us-east-2"
ORIGINAL_AIO_MAKE_API_CALL = AioBaseClient.__dict__["_make_api_call"]
ORIGINAL_CREATE_CLIENT_CLASS = ClientCreator.__dict__["_create_client_class"]
ORIGINAL_MAKE_REQUEST = Endpoint.__dict__["make_request"]


def answer_of(client: Any) -> Any:
    """What the client's `before-call` handlers answer for a DescribeSecret, without
    calling anything: stubtags' reply while it is active, None otherwise."""
    model = client.meta.service_model.operation_model("DescribeSecret")
    _, response = client.meta.events.emit_until_response(
        "before-call.secrets-manager.DescribeSecret",
        model=model,
        params={"body": b'{"SecretId": "db"}', "url_path": "/", "headers": {}},
        request_signer=None,
        context={"client_region": REGION},
    )
    return response


def assert_botocore_untouched(*clients: Any) -> None:
    """`assert_inactive()`, and aiobotocore and each client are as if no mock had run."""
    assert_inactive()
    assert AioBaseClient.__dict__["_make_api_call"] is ORIGINAL_AIO_MAKE_API_CALL
    assert ClientCreator.__dict__["_create_client_class"] is ORIGINAL_CREATE_CLIENT_CLASS
    assert Endpoint.__dict__["make_request"] is ORIGINAL_MAKE_REQUEST
    for client in clients:
        assert answer_of(client) is None
        assert stubtags_handlers(client) == []
        assert "_make_api_call" not in type(client).__dict__  # no catcher left behind


# --- the pytest plugin's leak check, run on an inner test file ------------------------------

INNER_LEAK = textwrap.dedent(
    """
    import boto3
    import pytest
    from botocore.client import BaseClient

    from stubtags import NotActiveError, active_backend, mock_tags

    ORIGINAL = BaseClient.__dict__["_make_api_call"]


    def test_leaky():
        mock_tags().start()
        client = boto3.session.Session().client(
            "secretsmanager", region_name="us-east-1",
        )
        client.create_secret(Name="leaked-secret")


    def test_next_runs_without_the_mock():
        with pytest.raises(NotActiveError):
            active_backend()
        assert BaseClient.__dict__["_make_api_call"] is ORIGINAL
        with mock_tags() as backend:  # and a fresh mock does not see the leaked state
            assert backend.names(region="us-east-1") == []
    """
).lstrip()


def lines_of(source: str, needle: str) -> list[int]:
    """1-based numbers of the lines of an inner file that contain `needle`."""
    lines = source.splitlines()
    return [number for number, line in enumerate(lines, start=1) if needle in line]


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester with the options this project sets, so the inner run warns about nothing."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def test_forgotten_start_is_an_error_that_says_where(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_inner_leak=INNER_LEAK)
    result = inner.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    output = result.stdout.str()
    assert "ERROR at teardown of test_leaky" in output
    assert "never stopped" in output
    (start_line,) = lines_of(INNER_LEAK, "mock_tags().start()")
    assert re.search(rf"test_inner_leak\.py:{start_line}\b", output), output
    assert_botocore_untouched()


INNER_SEVERAL = textwrap.dedent(
    """
    import pytest

    from stubtags import mock_tags


    @pytest.fixture
    def leaky_fixture():
        mock_tags().start()
        yield


    @pytest.fixture
    def tidy_fixture():
        mock = mock_tags()
        mock.start()
        yield
        mock.stop()


    @pytest.fixture(scope="module")
    def module_mock():
        with mock_tags() as backend:
            yield backend


    def test_two_leaks():
        mock_tags().start()
        mock_tags(account_id="210987654321").start()


    def test_leak_from_a_fixture(leaky_fixture):
        pass


    def test_tidy_fixture_is_not_a_leak(tidy_fixture):
        pass


    def test_module_scoped_mock_is_not_a_leak(module_mock):
        module_mock.create_secret("one", region="us-east-1")


    def test_module_scoped_mock_still_shared(module_mock):
        assert module_mock.names(region="us-east-1") == ["one"]


    def test_failing_test_that_leaks():
        mock_tags().start()
        assert False, "the test's own failure"
    """
).lstrip()


def test_several_leaks_are_each_reported(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_inner_several=INNER_SEVERAL)
    result = inner.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=5, failed=1, errors=3)
    output = result.stdout.str()
    errors = {
        line.split(" - ")[0].split("::")[-1]
        for line in result.outlines
        if line.startswith("ERROR test_inner_several.py::")
    }
    assert errors == {"test_two_leaks", "test_leak_from_a_fixture", "test_failing_test_that_leaks"}
    assert "the test's own failure" in output
    leaked_lines = lines_of(INNER_SEVERAL, ").start()")  # fixture, two in one test, failing
    assert len(leaked_lines) == 4
    for line in leaked_lines:
        assert re.search(rf"test_inner_several\.py:{line}\b", output), (line, output)
    tidy_line = lines_of(INNER_SEVERAL, "mock.start()")[0]
    assert not re.search(rf"test_inner_several\.py:{tidy_line}\b", output), output
    assert_botocore_untouched()


# --- botocore is restored by every way of stopping -------------------------------------------


def test_stop_restores_botocore() -> None:
    client = sm_client(REGION, own_session=True)
    mock = mock_tags()
    backend = mock.start()
    client.create_secret(Name="db")
    assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL  # never wrapped
    assert answer_of(client) is not None
    assert len(stubtags_handlers(client)) == 1
    assert backend.names(region=REGION) == ["db"]
    mock.stop()
    assert_botocore_untouched(client)
    with pytest.raises(NotActiveError):
        mock.stop()
    assert_botocore_untouched(client)


def test_with_block_that_raises_restores_botocore() -> None:
    client = sm_client(REGION, own_session=True)
    with pytest.raises(KeyError), mock_tags():
        client.create_secret(Name="db")
        raise KeyError("inside")
    assert_botocore_untouched(client)


def test_decorated_function_that_raises_restores_botocore() -> None:
    client = sm_client(REGION, own_session=True)

    @mock_tags
    def body() -> None:
        client.create_secret(Name="db")
        assert answer_of(client) is not None
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        body()
    assert_botocore_untouched(client)


def test_client_error_inside_the_mock_then_stop_restores_botocore() -> None:
    client = sm_client(REGION, own_session=True)
    with mock_tags():
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_secret(SecretId="missing")
        assert answer_of(client) is not None
    assert_botocore_untouched(client)


def test_nested_mocks_restore_only_when_the_outermost_stops() -> None:
    client = sm_client(REGION, own_session=True)
    outer = mock_tags()
    outer_backend = outer.start()
    try:
        with mock_tags() as inner_backend:
            client.create_secret(Name="shared-state")
            assert active_backend() is inner_backend
        assert active_backend() is outer_backend
        assert answer_of(client) is not None  # still hooked for the outer mock
        # Nested activations share one state: the outer one sees the inner's secret.
        assert [e["Name"] for e in client.list_secrets()["SecretList"]] == ["shared-state"]
    finally:
        outer.stop()
    assert_botocore_untouched(client)


def test_repeated_start_stop_does_not_stack_wrappers() -> None:
    client = sm_client(REGION, own_session=True)
    for round_ in range(3):
        with mock_tags() as backend:
            client.create_secret(Name=f"round-{round_}")
            client.describe_secret(SecretId=f"round-{round_}")
            assert len(stubtags_handlers(client)) == 1  # once per client, not per call
            assert backend.names(region=REGION) == [f"round-{round_}"]
            # Nothing stacks: botocore's own method, and no catcher once the client called.
            assert BaseClient.__dict__["_make_api_call"] is ORIGINAL_MAKE_API_CALL
            assert "_make_api_call" not in type(client).__dict__
        assert_botocore_untouched(client)


def test_out_of_order_stop_leaves_the_remaining_mock_working() -> None:
    first, second = mock_tags(), mock_tags()
    first_backend = first.start()
    second.start()
    first.stop()
    try:
        client = sm_client(REGION, own_session=True)
        client.create_secret(Name="after-first-stopped")
        assert active_backend() is not first_backend
        assert active_backend().names(region=REGION) == ["after-first-stopped"]
    finally:
        second.stop()
    assert_botocore_untouched()
