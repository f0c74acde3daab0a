"""The pytest plugin costs nothing where unused: no autouse fixture, no botocore import;
markers on a module, a class and a test merge, the closest winning per option."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def test_importing_the_plugin_imports_neither_botocore_nor_the_rest_of_stubtags() -> None:
    code = (
        "import sys, stubtags.plugin\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('botocore', 'stubtags')))\n"
        "print(loaded)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['stubtags', 'stubtags.plugin']"


def test_an_unmarked_test_gets_no_stubtags_fixture(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        test_plain=textwrap.dedent(
            """
            def test_plain(request):
                assert not any("stubtags" in name for name in request.fixturenames)
            """
        )
    )
    result = inner.runpytest("-p", "no:cacheprovider", "--setup-show")
    result.assert_outcomes(passed=1)
    setup_lines = [line for line in result.outlines if "SETUP" in line or "fixtures used" in line]
    assert setup_lines and not any("stubtags" in line for line in setup_lines)


def test_markers_on_module_class_and_test_merge_with_the_closest_winning(
    inner: pytest.Pytester,
) -> None:
    inner.makepyfile(
        textwrap.dedent(
            """
            import boto3
            import pytest
            from stubtags import active_backend

            pytestmark = pytest.mark.stubtags(account_id="111122223333", region="eu-west-1")


            def test_module_marker_alone():
                backend = active_backend()
                assert (backend.account_id, backend.region) == ("111122223333", "eu-west-1")


            @pytest.mark.stubtags(region="ap-south-1")
            class TestInAClass:
                def test_class_overrides_region_keeps_account(self):
                    backend = active_backend()
                    assert (backend.account_id, backend.region) == ("111122223333", "ap-south-1")

                @pytest.mark.stubtags(account_id="444455556666")
                def test_own_marker_is_closest(self, stubtags):
                    assert (stubtags.account_id, stubtags.region) == ("444455556666", "ap-south-1")
                    sm = boto3.client("secretsmanager", region_name="ap-south-1")
                    arn = sm.create_secret(Name="db")["ARN"]
                    assert ":444455556666:" in arn
                    assert stubtags.names() == ["db"]
            """
        )
    )
    result = inner.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


@pytest.mark.parametrize(
    ("marker", "says"),
    [
        ('stubtags(acount_id="111122223333")', "unknown option(s) acount_id"),
        ('stubtags("111122223333")', "keyword options only"),
        ("stubtags(account_id=111122223333)", "account_id must be a string of 12 digits"),
        ('stubtags(region="Europe")', "region must be a region name"),
    ],
)
def test_a_bad_marker_gets_one_clear_line_naming_the_valid_options(
    inner: pytest.Pytester, marker: str, says: str
) -> None:
    inner.makepyfile(
        textwrap.dedent(
            f"""
            import pytest

            @pytest.mark.{marker}
            def test_marked():
                pass
            """
        )
    )
    result = inner.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    output = result.stdout.str()
    assert says in output
    assert "plugin.py" not in output  # no traceback from inside the plugin
    if "unknown" in says:
        assert "valid options: account_id, region" in output
