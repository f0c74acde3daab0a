"""ListSecrets over many secrets, end to end, in every sort order, filtered or not.

Each configuration is timed on its first page (repeated) and on every later page
of one full NextToken walk; the backend part (the operation alone, no botocore)
is timed on the first page, to tell the service's work from the reply's.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Any

from stubtags import Backend
from tests.bench.common import REGION, Sizes, Verdict, heading, ms, table
from tests.bench.memory import MATCH_PREFIX, expected_matches

TITLE = "3. ListSecrets at scale, every order"
MAX_PAGE_MS = 5.0
SORT_BY = ("created-date", "name", "last-changed-date", "last-accessed-date")
SORT_ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class Listing:
    sort_by: str
    order: str
    filtered: bool

    def request(self, page_size: int) -> dict[str, Any]:
        request: dict[str, Any] = {
            "SortBy": self.sort_by,
            "SortOrder": self.order,
            "MaxResults": page_size,
        }
        if self.filtered:
            request["Filters"] = [{"Key": "tag-key", "Values": [MATCH_PREFIX]}]
        return request

    @property
    def label(self) -> str:
        return f"{self.sort_by} {self.order}" + (" +tag-key" if self.filtered else "")


@dataclass
class Timings:
    first: list[int]
    later: list[int]
    backend: list[int]
    problem: str

    @property
    def worst_median(self) -> float:
        return max(statistics.median(self.first), statistics.median(self.later or [0]))


def walk(client: Any, request: dict[str, Any]) -> tuple[list[int], list[str]]:
    """Every page: time per page, names in order."""
    times: list[int] = []
    names: list[str] = []
    kwargs = dict(request)
    while True:
        start = time.perf_counter_ns()
        reply = client.list_secrets(**kwargs)
        times.append(time.perf_counter_ns() - start)
        names.extend(entry["Name"] for entry in reply["SecretList"])
        token = reply.get("NextToken")
        if token is None:
            return times, names
        kwargs["NextToken"] = token


def first_page(client: Any, request: dict[str, Any]) -> int:
    start = time.perf_counter_ns()
    client.list_secrets(**request)
    return time.perf_counter_ns() - start


def backend_page(backend: Backend, request: dict[str, Any]) -> int:
    start = time.perf_counter_ns()
    backend.invoke("ListSecrets", request, REGION)
    return time.perf_counter_ns() - start


def measure(client: Any, backend: Backend, listing: Listing, sizes: Sizes) -> Timings:
    request = listing.request(sizes.page_size)
    expected = expected_matches(sizes) if listing.filtered else sizes.secrets
    first_page(client, request)  # warm-up
    gc.disable()
    try:
        first = [first_page(client, request) for _ in range(sizes.first_page_repeats)]
        in_backend = [backend_page(backend, request) for _ in range(sizes.first_page_repeats)]
        times, names = walk(client, request)
    finally:
        gc.enable()
    problem = ""
    if len(names) != expected or len(set(names)) != len(names):
        problem = f"{len(names)} names ({len(set(names))} distinct), expected {expected}"
    return Timings(first, times[1:], in_backend, problem)


def section(client: Any, backend: Backend, sizes: Sizes) -> list[Verdict]:
    """Time every configuration over the secrets `backend` holds already."""
    heading(TITLE)
    print(
        f"  {sizes.secrets:,} secrets x {sizes.tags_per_secret} tags; tag-key {MATCH_PREFIX!r} "
        f"matches {expected_matches(sizes):,}; MaxResults={sizes.page_size}; medians in ms;\n"
        f"  first page x {sizes.first_page_repeats}, later pages: one full NextToken walk; "
        "backend: the operation alone, first page"
    )
    results: dict[Listing, Timings] = {}
    for filtered in (False, True):
        for sort_by in SORT_BY:
            for order in SORT_ORDERS:
                listing = Listing(sort_by, order, filtered)
                results[listing] = measure(client, backend, listing, sizes)
    rows = [["listing", "first", "later", "later worst", "backend", "pages"]]
    for listing, t in results.items():
        rows.append(
            [
                listing.label,
                ms(statistics.median(t.first)),
                ms(statistics.median(t.later)) if t.later else "-",
                ms(max(t.later)) if t.later else "-",
                ms(statistics.median(t.backend)),
                str(len(t.later) + 1),
            ]
        )
    table(rows)
    problems = [f"{listing.label}: {t.problem}" for listing, t in results.items() if t.problem]
    for problem in problems:
        print(f"  WRONG RESULT: {problem}")
    worst = max(results, key=lambda listing: results[listing].worst_median)
    worst_ms = results[worst].worst_median / 1e6
    worst_backend = max(statistics.median(t.backend) for t in results.values()) / 1e6
    all_pages = [p for t in results.values() for p in t.first + t.later]
    return [
        Verdict(
            "ListSecrets page, every order",
            worst_ms <= MAX_PAGE_MS and not problems,
            f"worst median {worst_ms:.2f} ms a page ({worst.label}) over {len(results)} "
            f"orders/filters, first and later pages; backend part at most {worst_backend:.2f} "
            f"ms (target <= {MAX_PAGE_MS:.0f} ms)" + (f"; {problems[0]}" if problems else ""),
            (
                f"`list_secrets` over {sizes.secrets:,} secrets, page of {sizes.page_size}, "
                "every sort order and direction, with and without a `tag-key` filter, "
                "first and later pages",
                f"worst median **{worst_ms:.1f} ms** ({worst.label}); median of all pages "
                f"{statistics.median(all_pages) / 1e6:.1f} ms; backend part ≤ "
                f"{worst_backend:.1f} ms",
                f"≤ {MAX_PAGE_MS:.0f} ms",
            ),
        )
    ]
