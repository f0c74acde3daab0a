"""Options of the mock from pytest and from Python: `@pytest.mark.stubtags(region=...)`,
`mock_tags(region=...)`, and one clear line (not a traceback from inside the plugin)
for an option that does not exist or a value of the wrong type. Also: a `@mock_tags`
plain class runs setup_method and teardown_method inside the mock.
"""

from __future__ import annotations

import textwrap

import pytest

from stubtags import mock_tags

pytest_plugins = ["pytester"]


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester run that, like this suite, has no credentials: an escaped call fails."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makeconftest(
        textwrap.dedent(
            """
            import os
            import pytest

            @pytest.fixture(autouse=True)
            def _offline(monkeypatch, tmp_path):
                for name in list(os.environ):
                    if name.startswith("AWS_"):
                        monkeypatch.delenv(name)
                monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
                monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
                monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
            """
        )
    )
    return pytester


MARKED = textwrap.dedent(
    """
    import boto3
    import pytest

    pytestmark = pytest.mark.stubtags(region="eu-west-1")


    def test_module_marker_sets_the_region(stubtags):
        boto3.client("secretsmanager", region_name="eu-west-1").create_secret(Name="eu")
        assert stubtags.names() == ["eu"]
        assert stubtags.region == "eu-west-1"


    @pytest.mark.stubtags(account_id="111122223333", region="ap-south-1")
    def test_the_closest_marker_wins(stubtags):
        client = boto3.client("secretsmanager", region_name="ap-south-1")
        arn = client.create_secret(Name="mine")["ARN"]
        assert ":111122223333:" in arn
        assert stubtags.names() == ["mine"]


    @pytest.mark.stubtags(region="sa-east-1")
    def test_marker_without_the_fixture():
        from stubtags import active_backend

        boto3.client("secretsmanager", region_name="sa-east-1").create_secret(Name="s")
        assert active_backend().names() == ["s"]
    """
)


def test_marker_region_and_account(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_marked=MARKED)
    inner.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        (
            "pytest.mark.stubtags(regoin='eu-west-1')",
            "stubtags: @pytest.mark.stubtags got unknown option(s) regoin on "
            "test_bad_marker.py::test_it; valid options: account_id, region, max_events",
        ),
        (
            "pytest.mark.stubtags('eu-west-1')",
            "stubtags: @pytest.mark.stubtags takes keyword options only "
            "(account_id, region, max_events)",
        ),
        (
            "pytest.mark.stubtags(account_id=111122223333)",
            "stubtags: account_id must be a string of 12 digits",
        ),
        ("pytest.mark.stubtags(region='Europe')", "stubtags: region must be a region name"),
    ],
)
def test_a_bad_marker_fails_the_test_in_one_line(
    inner: pytest.Pytester, marker: str, expected: str
) -> None:
    inner.makepyfile(
        test_bad_marker=f"import pytest\n\n@{marker}\ndef test_it(stubtags):\n    pass\n"
    )
    result = inner.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    output = result.stdout.str()
    assert expected in output, output
    assert "plugin.py" not in output, output  # no traceback from inside the plugin


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (
            lambda: mock_tags(account_id=111122223333),  # type: ignore[call-overload]
            TypeError,
            "account_id must be a string",
        ),
        (
            lambda: mock_tags("111122223333"),  # type: ignore[call-overload]
            TypeError,
            "takes its options as keywords",
        ),
        (lambda: mock_tags(account_id="1234"), ValueError, "account_id must be 12 digits"),
        (
            lambda: mock_tags(regoin="eu-west-1"),  # type: ignore[call-overload]
            TypeError,
            "regoin",
        ),
    ],
)
def test_bad_mock_tags_options(call: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        call()  # type: ignore[operator]


CLASS_WITH_SETUP = textwrap.dedent(
    """
    import boto3

    from stubtags import active_backend, mock_tags


    @mock_tags
    class TestWithSetup:
        def setup_method(self, method):
            # No credentials here: this would raise NoCredentialsError if unmocked.
            self.client = boto3.client("secretsmanager", region_name="us-east-1")
            self.client.create_secret(Name="from-setup")

        def teardown_method(self):
            self.client.delete_secret(SecretId="from-setup", ForceDeleteWithoutRecovery=True)
            assert active_backend().names() == []

        def test_sees_what_setup_made(self):
            self.client.tag_resource(SecretId="from-setup", Tags=[{"Key": "k", "Value": "v"}])
            assert active_backend().tags("from-setup") == {"k": "v"}

        def test_starts_from_setup_again(self):
            assert active_backend().tags("from-setup") == {}


    def test_no_mock_is_left_running():
        from stubtags.lifecycle import active_stack

        assert active_stack() == ()
    """
)


def test_class_setup_and_teardown_run_inside_the_mock(inner: pytest.Pytester) -> None:
    inner.makepyfile(test_class_setup=CLASS_WITH_SETUP)
    inner.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
