"""Smoke test of tests/benchmark.py: its `--quick` run completes and reports every section.

The numbers themselves are never asserted (timings are not tests); this only keeps the
script runnable as stubtags changes, and checks its exit-status rule.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import benchmark
from tests.bench import calls

SCRIPT = Path(benchmark.__file__)

SECTIONS = (
    "== 1. per-call cost of every operation ==",
    "== 2. memory of the seeded secrets ==",
    "== 3. ListSecrets at scale, every order ==",
    "== 4. fixed costs: imports, one-test process, first start() ==",
    "== 5. a principal with a 10-statement policy ==",
    "== Verdicts ==",
    "== Markdown ==",
)
TARGETS = (
    "every operation vs Stubber",
    "every operation's machinery vs Stubber (restated)",
    "list_secrets page vs Stubber",
    "list_secrets page vs Stubber + one copy",
    "added cost vs moto",
    "call record on",
    "call record on (restated)",
    "memory",
    "ListSecrets page, every order",
    "import stubtags",
    "import stubtags.plugin",
    "one-test process wall time",
    "one-test process memory",
    "first start() imports",
    "next boto3.client() after start()",
    "principal overhead",
)
# Verdicts with no row in the README's table: they repeat the per-call figures.
ROWLESS = ("call record on", "call record on (restated)")
VERDICT_LINE = re.compile(r"^VERDICT (?P<target>.+?): (?P<status>PASS|FAIL|SKIP) - (?P<detail>.+)$")


def skippable(target: str) -> bool | None:
    """Whether `target` may be skipped here: what it needs is missing (None: never)."""
    from stubtags import Backend

    if target == "added cost vs moto":
        return importlib.util.find_spec("moto") is None
    if target in ("call record on", "call record on (restated)"):
        return not hasattr(Backend, "events")
    if target == "principal overhead":
        return not hasattr(Backend, "principal")
    return None


@pytest.mark.thorough
def test_quick_run_prints_every_section_and_one_verdict_per_target() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--markdown"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    positions = [out.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), out
    assert positions == sorted(positions), "sections out of order"

    verdicts = [VERDICT_LINE.match(line) for line in out.splitlines() if line.startswith("VERDICT")]
    assert all(verdicts), out
    by_target = {m.group("target"): m for m in verdicts if m is not None}
    assert list(by_target) == list(TARGETS)
    for target, match in by_target.items():
        assert match.group("detail").endswith("(quick mode: not meaningful)")
        status = match.group("status")
        assert (status == "SKIP") == bool(skippable(target)), (target, status)

    # Every operation was timed, and the listing walked later pages of every order.
    assert "WRONG RESULT" not in out
    for operation in ("tag_resource", "get_random_password", "list_secrets, page of 100"):
        assert f"\n  {operation} " in out, operation
    assert out.count(" +tag-key ") == 8

    # The README's tables: the per-operation one and the targets, one row per measured target.
    markdown = out[out.index("== Markdown ==") :]
    assert f"| {' | '.join(calls.MARKDOWN_COLUMNS)} |" in markdown
    assert "| measure | result | target | verdict |" in markdown
    measured = sum(
        1 for t, m in by_target.items() if m.group("status") != "SKIP" and t not in ROWLESS
    )
    assert markdown.count("| met |") + markdown.count("| **missed** |") >= measured


def test_exit_status_is_zero_unless_strict_and_a_target_failed() -> None:
    passed = benchmark.Verdict("a", True, "")
    failed = benchmark.Verdict("b", False, "")
    skipped = benchmark.Verdict("c", None, "")

    assert benchmark.exit_status([passed, failed], strict=False) == 0
    assert benchmark.exit_status([passed, failed], strict=True) == 1
    assert benchmark.exit_status([passed, skipped], strict=True) == 0
    assert benchmark.exit_status([], strict=True) == 0


def test_verdict_line_marks_quick_mode() -> None:
    verdict = benchmark.Verdict("memory", False, "41.00 MiB")

    assert verdict.line(quick=False) == "VERDICT memory: FAIL - 41.00 MiB"
    assert verdict.line(quick=True) == (
        "VERDICT memory: FAIL - 41.00 MiB (quick mode: not meaningful)"
    )
    assert (
        benchmark.Verdict("moto", None, "not installed")
        .line(quick=False)
        .startswith("VERDICT moto: SKIP")
    )


def test_importtime_breakdown_reads_only_what_stubtags_pulled_in() -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 | botocore.client",
            "import time:        40 |         40 |   unittest.case",
            "import time:        30 |         70 |   stubtags.lifecycle",
            "import time:        20 |         90 | stubtags",
        ]
    )
    cumulative, pulled = benchmark.importtime_breakdown(stderr)

    assert cumulative == 90.0
    assert pulled == [(40.0, "unittest.case"), (30.0, "stubtags.lifecycle"), (20.0, "stubtags")]


def test_markdown_has_one_row_per_verdict_with_a_row() -> None:
    rows = [
        benchmark.Verdict("a", True, "", ("speed", "1 ms", "≤ 2 ms")),
        benchmark.Verdict("b", False, "", ("memory", "9 MiB", "≤ 5 MiB")),
        benchmark.Verdict("c", None, "not measurable here"),
    ]

    assert benchmark.markdown(rows).splitlines() == [
        "| measure | result | target | verdict |",
        "|---|---|---|---|",
        "| speed | 1 ms | ≤ 2 ms | met |",
        "| memory | 9 MiB | ≤ 5 MiB | **missed** |",
    ]
