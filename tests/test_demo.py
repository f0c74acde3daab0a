"""`python -m stubtags demo`, the README's first command, as a new user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

EXPECTED_TAGS = "{'FirstTag': 'SomeValue', 'SecondTag': 'AnotherValue'}"


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "stubtags", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ)


def test_demo_prints_the_seed_example_tags() -> None:
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert f"backend.tags(): {EXPECTED_TAGS}" in result.stdout
    assert "'Key': 'FirstTag', 'Value': 'SomeValue'" in result.stdout
    assert "'HTTPStatusCode': 200" in result.stdout


def test_demo_needs_only_botocore() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["boto3"] = None  # as if boto3 were not installed
        from stubtags.__main__ import main
        raise SystemExit(main(["demo"]))
        """
    )
    result = run(code=code)
    assert result.returncode == 0, result.stderr
    assert EXPECTED_TAGS in result.stdout


def test_without_a_command_it_prints_usage() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage: python -m stubtags demo" in result.stderr
