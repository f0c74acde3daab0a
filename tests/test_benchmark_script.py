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

from tests import benchmark

SCRIPT = Path(benchmark.__file__)

SECTIONS = (
    "== 1. tag_resource: per-call cost ==",
    "== 2. import stubtags: added cost ==",
    "== 3. ListSecrets at scale ==",
    "== 4. memory of the seeded secrets ==",
    "== Verdicts ==",
)
TARGETS = (
    "tag_resource stubtags vs Stubber",
    "tag_resource moto vs stubtags",
    "import stubtags",
    "ListSecrets page",
    "memory",
)
VERDICT_LINE = re.compile(r"^VERDICT (?P<target>.+?): (?P<status>PASS|FAIL|SKIP) - (?P<detail>.+)$")


def test_quick_run_prints_every_section_and_one_verdict_per_target() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
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
    for match in by_target.values():
        assert match.group("detail").endswith("(quick mode: not meaningful)")

    moto_installed = importlib.util.find_spec("moto") is not None
    moto_status = by_target["tag_resource moto vs stubtags"].group("status")
    assert (moto_status != "SKIP") == moto_installed
    for target in TARGETS:
        if target != "tag_resource moto vs stubtags":
            assert by_target[target].group("status") in {"PASS", "FAIL"}, target

    # The listing sanity check found the expected matches across the NextToken walk.
    assert "WRONG RESULT" not in out
    assert re.search(r"later \(2\.\.\d+\)", out), "quick mode must exercise NextToken pages"


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
