"""What every section of the benchmark shares: sizes, verdicts, the client, printing."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3

REGION = "us-east-1"
QUICK_NOTE = "(quick mode: not meaningful)"

Call = tuple[Callable[..., Any], dict[str, Any]]


@dataclass(frozen=True)
class Sizes:
    """How much work each section does; `--quick` shrinks all of it."""

    calls: int  # calls per repeat and engine, per operation (even: see calls.py)
    repeats: int
    moto_calls: int
    warmup: int  # even, like calls
    import_runs: int  # paired fresh-interpreter runs, per comparison
    secrets: int
    tags_per_secret: int
    page_size: int
    first_page_repeats: int
    principal_calls: int
    moto_cases: tuple[str, ...] | None  # operations moto is timed on; None: all


FULL = Sizes(
    calls=300,
    repeats=25,
    moto_calls=60,
    warmup=40,
    import_runs=11,
    secrets=10_000,
    tags_per_secret=10,
    page_size=100,
    first_page_repeats=7,
    principal_calls=1000,
    moto_cases=None,
)
# A smaller page in quick mode so that later pages (NextToken) still get exercised.
QUICK = Sizes(
    calls=6,
    repeats=2,
    moto_calls=2,
    warmup=2,
    import_runs=1,
    secrets=120,
    tags_per_secret=10,
    page_size=20,
    first_page_repeats=1,
    principal_calls=6,
    moto_cases=("tag_resource", "describe_secret"),
)


@dataclass(frozen=True)
class Verdict:
    """One target's outcome; `passed` is None when it could not be measured.

    `row` is the README speed table's line for it: (measure, result, target).
    """

    target: str
    passed: bool | None
    detail: str
    row: tuple[str, str, str] | None = field(default=None, compare=False)

    def line(self, quick: bool) -> str:
        status = "SKIP" if self.passed is None else ("PASS" if self.passed else "FAIL")
        suffix = f" {QUICK_NOTE}" if quick else ""
        return f"VERDICT {self.target}: {status} - {self.detail}{suffix}"


def exit_status(verdicts: Sequence[Verdict], strict: bool) -> int:
    """0 unless `strict` and some target failed; a skipped target is not a failure."""
    if strict and any(v.passed is False for v in verdicts):
        return 1
    return 0


def markdown(verdicts: Sequence[Verdict]) -> str:
    """The README's speed table: one line per target that has a row."""
    lines = ["| measure | result | target | verdict |", "|---|---|---|---|"]
    for v in verdicts:
        if v.row is None:
            continue
        status = "skipped" if v.passed is None else ("met" if v.passed else "**missed**")
        lines.append(f"| {v.row[0]} | {v.row[1]} | {v.row[2]} | {status} |")
    return "\n".join(lines)


def make_client(**credentials: str) -> Any:
    """The one way every section builds its client, so they all pay the same."""
    return boto3.client(
        "secretsmanager",
        region_name=REGION,
        aws_access_key_id=credentials.get("aws_access_key_id", "testing"),
        aws_secret_access_key=credentials.get("aws_secret_access_key", "testing"),
    )


def machine_load() -> str:
    """The load average, so a reader can tell when other work skewed the timings."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def timed(calls: Sequence[Call]) -> int:
    """Nanoseconds for making `calls` in order; GC paused, as for every engine.

    No `gc.collect()` first: with moto imported a full collection takes a third of
    a second, and main() freezes what the imports made (`gc.freeze`).
    """
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for method, kwargs in calls:
            method(**kwargs)
        return time.perf_counter_ns() - start
    finally:
        gc.enable()


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def table(rows: Sequence[Sequence[str]]) -> None:
    """Print rows as aligned columns; the first row is the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print(
            "  "
            + "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
    print(end="", flush=True)


def us(ns: float) -> str:
    return f"{ns / 1000:.1f}"


def ms(ns: float) -> str:
    return f"{ns / 1e6:.2f}"


def signed_ms(ns: float) -> str:
    return f"{ns / 1e6:+.2f}"


X = "\N{MULTIPLICATION SIGN}"  # for the README table; the console says "x"
