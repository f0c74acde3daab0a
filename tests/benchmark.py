"""Speed and memory benchmark of stubtags, in one process, against its targets.

Run from the repository root (moto comes with the `test` or `bench` extra; without
it the moto comparison is reported as skipped):

    .venv/bin/python tests/benchmark.py             # full run, a few minutes
    .venv/bin/python tests/benchmark.py --quick     # tiny sizes: a smoke run, numbers meaningless
    .venv/bin/python tests/benchmark.py --strict    # exit status 1 when a target is missed
    .venv/bin/python tests/benchmark.py --markdown  # also print the README's speed tables
    .venv/bin/python tests/benchmark.py --profile   # also cProfile stubtags' hot paths

What is measured (each part in tests/bench/):

1. calls.py: every supported operation's per-call cost under botocore's Stubber (the
   floor: botocore's own client-side work, handing back the reply stubtags gave),
   under stubtags and under moto; a ListSecrets page of 100; what each engine adds
   over the floor. Targets: <= 1.15 x the floor per operation, <= 1.5 x for the page,
   stubtags adding >= 25 x less than moto.
2. memory.py: 10,000 secrets x 10 tags retained (tracemalloc). Target: <= 15 MiB.
3. listing.py: ListSecrets over those secrets, in every sort order and direction,
   with and without a tag-key filter, first and later pages. Target: <= 5 ms a page.
4. startup.py: import costs, the one-test process against the same with the Stubber
   (wall time <= 1.1 x, max RSS <= 50 MiB), what the first start() imports and
   whether the next boto3.client() is slower for it.
5. principal.py: a caller with a 10-statement policy. Target: <= +30 us a call.

This is a script, not a test: the tests never assert on timings. The smoke test
`tests/test_benchmark_script.py` runs it with `--quick` and checks its output shape.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import sys
from collections.abc import Callable, Sequence

if not __package__:  # run as a script: the repository root, for `tests.bench`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3

from stubtags import mock_tags
from tests.bench import calls, listing, memory, principal, startup
from tests.bench.common import (
    FULL,
    QUICK,
    QUICK_NOTE,
    REGION,
    Sizes,
    Verdict,
    exit_status,
    heading,
    machine_load,
    make_client,
    markdown,
)

importtime_breakdown = startup.importtime_breakdown
VERDICTS_TITLE = "Verdicts"
SECTION_TITLES = (calls.TITLE, memory.TITLE, listing.TITLE, startup.TITLE, principal.TITLE)
__all__ = ["SECTION_TITLES", "Verdict", "exit_status", "importtime_breakdown", "main", "markdown"]


def seeded_sections(sizes: Sizes) -> list[Verdict]:
    """Memory while seeding, then the listings over what was seeded."""
    client = make_client()
    with mock_tags() as backend:
        verdicts = memory.seed_measured(backend, sizes)
        verdicts += listing.section(client, backend, sizes)
    return verdicts


def profile(sizes: Sizes) -> None:
    """cProfile of a describe loop and a listing walk, for finding where a missed target goes."""
    heading("Profile (cProfile, tottime)")
    client = make_client()
    with mock_tags() as backend:
        backend.create_secret(calls.SECRET, region=REGION, tags={"a": "b"})
        _print_profile(
            "describe_secret",
            lambda: [client.describe_secret(SecretId=calls.SECRET) for _ in range(sizes.calls)],
        )
    with mock_tags() as backend:
        memory.seed(backend, sizes)
        request = listing.Listing("name", "asc", True).request(sizes.page_size)
        _print_profile("ListSecrets walk", lambda: listing.walk(client, request))


def _print_profile(name: str, run: Callable[[], object]) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(f"  -- {name}")
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--markdown", action="store_true", help="print the README's tables")
    parser.add_argument("--profile", action="store_true", help="also cProfile stubtags")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    print(
        f"stubtags benchmark{' ' + QUICK_NOTE if args.quick else ''}: Python "
        f"{sys.version.split()[0]}, boto3 {boto3.__version__}"
    )
    print(f"  {machine_load()} at start")
    calls.find_moto()  # imported up front, then frozen: later collections skip it all
    gc.collect()
    gc.freeze()
    verdicts, per_operation = calls.section(sizes)
    verdicts += seeded_sections(sizes)
    verdicts += startup.section(sizes)
    verdicts += principal.section(sizes)
    if args.profile:
        profile(sizes)

    heading(VERDICTS_TITLE)
    print(f"  {machine_load()} at end; timings on a busy machine read high")
    for verdict in verdicts:
        print(verdict.line(args.quick))
    if args.markdown:
        heading("Markdown")
        print(f"{per_operation}\n\n{markdown(verdicts)}")
    return exit_status(verdicts, args.strict)


if __name__ == "__main__":
    sys.exit(main())
