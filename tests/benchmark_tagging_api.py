"""GetResources (the Resource Groups Tagging API) over 10,000 secrets, in one process.

Run from the repository root:

    .venv/bin/python tests/benchmark_tagging_api.py            # full run, ~20 s
    .venv/bin/python tests/benchmark_tagging_api.py --quick    # smoke run, numbers meaningless
    .venv/bin/python tests/benchmark_tagging_api.py --strict   # exit 1 when the target is missed

10,000 secrets of 10 tags each (the ListSecrets benchmark's seed: one secret in three
has the `alpha-*` keys). Each case times whole boto3 calls, end to end (request
validation and serialisation, the answer, botocore parsing 100 resources), median of
`timeit` repeats, 100 resources a page: wall-clock time (median, and the best run, the
least disturbed by other work) and this process's CPU time (median), which a busy
machine inflates far less. Target: <= 15 ms a page (the median wall-clock time).

- common filter: `alpha-key-0` present (one secret in three): first page, and later
  pages following PaginationToken;
- rare filter: `alpha-key-0` equal to one of 20 values spread over all the secrets, so
  the page is found only by going through every secret (the worst case);
- two filters (AND) and a resource-type filter together, common matches;
- for reference, not judged: ListSecrets' page with a `tag-key` filter over the same
  secrets (the same botocore parsing of 100 secrets x 10 tags), timed alongside, so a
  busy machine's slowdown can be read off against that benchmark's recorded numbers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from typing import Any

import boto3

from stubtags import Backend, mock_tags

REGION = "us-east-1"
TARGET_MS = 15.0
GROUPS = ("alpha", "beta", "gamma")


def seed(backend: Backend, secrets: int, tags_per_secret: int) -> None:
    for i in range(secrets):
        group = GROUPS[i % len(GROUPS)]
        tags = {f"{group}-key-{j}": f"value-{i}-{j}" for j in range(tags_per_secret)}
        backend.create_secret(f"app/service-{i:05d}/credentials", tags=tags, region=REGION)


def median_ms(call: Callable[[], Any], repeats: int) -> tuple[float, float, float]:
    """Milliseconds of one call: median wall-clock, best wall-clock, median CPU."""
    call()  # warm: botocore's first-call caches
    walls = timeit.repeat(call, number=1, repeat=repeats)
    cpu = statistics.median(timeit.repeat(call, number=1, repeat=repeats, timer=time.process_time))
    return statistics.median(walls) * 1000, min(walls) * 1000, cpu * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    secrets, repeats = (300, 3) if args.quick else (10_000, 25)
    with mock_tags() as backend:
        seed(backend, secrets, 10)
        client = boto3.client("resourcegroupstaggingapi", region_name=REGION)
        common = [{"Key": "alpha-key-0"}]
        # 20 values (the most a filter takes) of secrets spread over the whole range
        spread = [f"value-{i}-0" for i in range(0, secrets, 3)]
        rare = [{"Key": "alpha-key-0", "Values": spread[:: max(1, len(spread) // 20)][:20]}]
        both = [{"Key": "alpha-key-0"}, {"Key": "alpha-key-1"}]

        def page(filters: list[dict[str, Any]], token: str = "", **extra: Any) -> Any:
            return client.get_resources(
                TagFilters=filters, ResourcesPerPage=100, PaginationToken=token, **extra
            )

        first = page(common)
        later_token = first["PaginationToken"]
        for _ in range(10):  # a page well inside the listing
            later_token = page(common, later_token)["PaginationToken"]
        sm = boto3.client("secretsmanager", region_name=REGION)
        reference = median_ms(
            lambda: sm.list_secrets(
                Filters=[{"Key": "tag-key", "Values": ["alpha-key-0"]}], MaxResults=100
            ),
            repeats,
        )
        results = {
            "common filter, first page": median_ms(lambda: page(common), repeats),
            "common filter, 11th page": median_ms(lambda: page(common, later_token), repeats),
            "rare filter (scans all)": median_ms(lambda: page(rare), repeats),
            "two filters + type filter": median_ms(
                lambda: page(both, ResourceTypeFilters=["secretsmanager:secret"]), repeats
            ),
        }
        count = len(page(common)["ResourceTagMappingList"])
        walked = sum(
            len(p["ResourceTagMappingList"])
            for p in client.get_paginator("get_resources").paginate(TagFilters=common)
        )
    print(f"GetResources over {secrets:,} secrets x 10 tags, {count} resources a page")
    print(f"  paginator walk of the common filter: {walked} resources")
    print(f"  {'':<28} {'wall':>8} {'best':>8} {'CPU':>8}   ms per page, {repeats} runs")
    for name, (wall, best, cpu) in [*results.items(), ("(ListSecrets, reference)", reference)]:
        print(f"  {name:<28} {wall:8.2f} {best:8.2f} {cpu:8.2f}")
    worst_wall = max(wall for wall, _, _ in results.values())
    worst_cpu = max(cpu for _, _, cpu in results.values())
    passed = worst_wall <= TARGET_MS
    note = " (quick mode: not meaningful)" if args.quick else ""
    verdict = "PASS" if passed else "FAIL"
    print(
        f"VERDICT GetResources page: {verdict} - worst {worst_wall:.2f} ms wall, "
        f"{worst_cpu:.2f} ms CPU (target <= {TARGET_MS:.0f} ms){note}"
    )
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
