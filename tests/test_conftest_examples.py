"""The ready-to-copy patterns in conftest_examples/ must keep working as shipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "conftest_examples"
EXPECTED_PASSES = {
    "autouse_fixture": 3,
    "class_decorator": 4,
    "seeded_state": 3,
    "module_seeding": 5,
    "fault_injection": 3,
    "installed_project": 3,
}


# hypothesis' pytest plugin imports all of hypothesis (about a second per process, and
# `-n 2` starts three); the examples don't use it, so each run leaves it out.
OPTIONS = ("-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def run_pytest(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(folder), *OPTIONS, *extra],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
    )


def test_every_example_folder_is_covered() -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith(".")}
    folders.discard("__pycache__")
    folders.discard("notebook")  # a notebook, not a pytest folder: tests/test_notebook.py
    assert folders == set(EXPECTED_PASSES)


# Two examples in the quick run; every example, serial and under xdist, in the thorough one.
QUICK_EXAMPLES = {"autouse_fixture", "module_seeding"}


@pytest.mark.parametrize(
    "xdist", [False, pytest.param(True, marks=pytest.mark.thorough)], ids=["serial", "xdist"]
)
@pytest.mark.parametrize(
    "name",
    [
        name if name in QUICK_EXAMPLES else pytest.param(name, marks=pytest.mark.thorough)
        for name in sorted(EXPECTED_PASSES)
    ],
)
def test_example_passes(name: str, xdist: bool) -> None:
    result = run_pytest(EXAMPLES / name, *(["-n", "2"] if xdist else []))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    match = re.search(r"(\d+) passed", output)
    assert match is not None, output
    assert int(match.group(1)) == EXPECTED_PASSES[name], output
