"""Speed and memory benchmark of stubtags, in one process, against its targets.

Run from the repository root (moto comes with the `bench` extra; without it the
moto comparison is reported as skipped):

    .venv/bin/python tests/benchmark.py            # full run, about a minute
    .venv/bin/python tests/benchmark.py --quick    # tiny sizes: a smoke run, numbers meaningless
    .venv/bin/python tests/benchmark.py --strict   # exit status 1 when a target fails
    .venv/bin/python tests/benchmark.py --profile  # also cProfile stubtags' hot paths

What is measured, and why:

1. The per-call cost of `tag_resource` under botocore's `Stubber` (the floor: botocore's
   own client-side work, nothing answering), under `mock_tags()` and under moto's
   `mock_aws`. One repeat of each engine runs in turn and ratios are taken per repeat,
   so a drift of the machine's speed hits both sides of a ratio alike.
   Targets: stubtags <= 1.2 x Stubber; moto >= 7 x stubtags.
2. What `import stubtags` adds over `import botocore.client`, in fresh interpreters
   (median of paired runs), with bytecode cached as for an installed package (and,
   for information, without), plus the `-X importtime` breakdown. Target: <= 30 ms.
3. ListSecrets over 10,000 secrets of 10 tags each, filtered by a tag-key prefix that
   a third of them match: median time of the first page and of the later pages
   (following NextToken), 100 results a page. Target: <= 15 ms a page.
4. The memory those 10,000 secrets hold (tracemalloc, above an empty backend).
   Target: <= 40 MiB.

This is a script, not a test: the tests never assert on timings. The smoke test
`tests/test_benchmark_script.py` runs it with `--quick` and checks its output shape.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import io
import math
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.stub import Stubber

from stubtags import Backend, mock_tags

REGION = "us-east-1"
SECRET = "bench-secret"
TAG_LISTS = ([{"Key": "k", "Value": "v"}], [{"Key": "k2", "Value": "v2"}])

MAX_STUBBER_RATIO = 1.2
MIN_MOTO_RATIO = 7.0
MAX_IMPORT_MS = 30.0
MAX_PAGE_MS = 15.0
MAX_MEMORY_MIB = 40.0
QUICK_NOTE = "(quick mode: not meaningful)"

SECTION_TITLES = (
    "1. tag_resource: per-call cost",
    "2. import stubtags: added cost",
    "3. ListSecrets at scale",
    "4. memory of the seeded secrets",
)
VERDICTS_TITLE = "Verdicts"


@dataclass(frozen=True)
class Sizes:
    """How much work each section does; `--quick` shrinks all of it."""

    calls: int  # tag_resource calls per repeat (Stubber, stubtags)
    repeats: int
    moto_calls: int
    warmup: int
    import_runs: int
    secrets: int
    tags_per_secret: int
    page_size: int
    first_page_repeats: int
    walks: int  # full NextToken walks for the later-page timings


FULL = Sizes(
    calls=2000,
    repeats=7,
    moto_calls=200,
    warmup=200,
    import_runs=15,
    secrets=10_000,
    tags_per_secret=10,
    page_size=100,
    first_page_repeats=15,
    walks=3,
)
# A smaller page in quick mode so that later pages (NextToken) still get exercised.
QUICK = Sizes(
    calls=50,
    repeats=3,
    moto_calls=10,
    warmup=10,
    import_runs=1,
    secrets=200,
    tags_per_secret=10,
    page_size=20,
    first_page_repeats=3,
    walks=1,
)


@dataclass(frozen=True)
class Verdict:
    """One target's outcome; `passed` is None when it could not be measured."""

    target: str
    passed: bool | None
    detail: str

    def line(self, quick: bool) -> str:
        status = "SKIP" if self.passed is None else ("PASS" if self.passed else "FAIL")
        suffix = f" {QUICK_NOTE}" if quick else ""
        return f"VERDICT {self.target}: {status} - {self.detail}{suffix}"


def exit_status(verdicts: Sequence[Verdict], strict: bool) -> int:
    """0 unless `strict` and some target failed; a skipped target is not a failure."""
    if strict and any(v.passed is False for v in verdicts):
        return 1
    return 0


# --------------------------------------------------------------------------- helpers


def make_client() -> Any:
    """The one way every section builds its client, so they all pay the same."""
    return boto3.client(
        "secretsmanager",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def machine_load() -> str:
    """The load average, so a reader can tell when other work skewed the timings."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


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


def timed_loop(client: Any, calls: int) -> int:
    """Nanoseconds for `calls` TagResource upserts, alternating two keys; GC paused."""
    tag = client.tag_resource
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for i in range(calls):
            tag(SecretId=SECRET, Tags=TAG_LISTS[i & 1])
        return time.perf_counter_ns() - start
    finally:
        gc.enable()


def us(ns: float) -> str:
    return f"{ns / 1000:.1f}"


def ms(ns: float) -> str:
    return f"{ns / 1e6:.2f}"


def signed_ms(ns: float) -> str:
    return f"{ns / 1e6:+.2f}"


# --------------------------------------------------------------------------- 1. tag_resource


@dataclass
class CallCost:
    per_call_ns: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.per_call_ns)

    @property
    def best(self) -> float:
        return min(self.per_call_ns)

    def ratio_to(self, other: CallCost) -> float:
        """Median of the per-repeat ratios: repeats ran side by side, so a slow
        stretch of the machine inflates both sides of a pair and cancels out."""
        pairs = zip(self.per_call_ns, other.per_call_ns, strict=True)
        return statistics.median(mine / theirs for mine, theirs in pairs)


def stubber_repeat(client: Any, stubber: Stubber, calls: int) -> float:
    for _ in range(calls):  # responses are queued outside the timed loop
        stubber.add_response("tag_resource", {}, expected_params=None)
    elapsed = timed_loop(client, calls)
    stubber.assert_no_pending_responses()
    return elapsed / calls


def stubtags_repeat(client: Any, calls: int, warmup: int) -> float:
    with mock_tags() as backend:
        backend.create_secret(SECRET, region=REGION)
        timed_loop(client, warmup)  # registers the handler on this client, warms caches
        elapsed = timed_loop(client, calls)
        assert backend.tags(SECRET, region=REGION) == {"k": "v", "k2": "v2"}
    return elapsed / calls


def moto_repeat(mock_aws: Callable[[], Any], calls: int, warmup: int) -> float:
    with mock_aws():
        client = make_client()  # made inside: moto only reaches clients made while on
        client.create_secret(Name=SECRET, SecretString="x")
        timed_loop(client, warmup)
        elapsed = timed_loop(client, calls)
    return elapsed / calls


def bench_calls(sizes: Sizes) -> tuple[CallCost, CallCost, CallCost | None]:
    """Stubber, stubtags and moto, one repeat of each in turn, after a warm-up."""
    stubber_client = make_client()
    stubber = Stubber(stubber_client)
    stubber.activate()
    stubtags_client = make_client()
    mock_aws: Callable[[], Any] | None = None
    if importlib.util.find_spec("moto") is not None:
        from moto import mock_aws

    stubber_repeat(stubber_client, stubber, sizes.warmup)
    stubtags_repeat(stubtags_client, sizes.warmup, sizes.warmup)
    if mock_aws is not None:
        moto_repeat(mock_aws, sizes.moto_calls, sizes.moto_calls)
    stubber_cost, stubtags_cost = CallCost([]), CallCost([])
    moto_cost = CallCost([]) if mock_aws is not None else None
    small_warmup = 10
    for _ in range(sizes.repeats):
        stubber_cost.per_call_ns.append(stubber_repeat(stubber_client, stubber, sizes.calls))
        stubtags_cost.per_call_ns.append(
            stubtags_repeat(stubtags_client, sizes.calls, small_warmup)
        )
        if moto_cost is not None and mock_aws is not None:
            moto_cost.per_call_ns.append(moto_repeat(mock_aws, sizes.moto_calls, small_warmup))
    stubber.deactivate()
    return stubber_cost, stubtags_cost, moto_cost


def section_calls(sizes: Sizes) -> list[Verdict]:
    heading(SECTION_TITLES[0])
    print(
        "  client.tag_resource(SecretId=..., Tags=[{Key, Value}]) alternating two keys;\n"
        "  time.perf_counter_ns, GC paused in the timed loop; one repeat of each engine in\n"
        "  turn; ratios are medians of the per-repeat ratios."
    )
    stubber, stubtags, moto = bench_calls(sizes)
    rows = [["engine", "calls x repeats", "median us/call", "best us/call", "x Stubber"]]
    for name, cost, calls in (
        ("Stubber", stubber, sizes.calls),
        ("stubtags", stubtags, sizes.calls),
        ("moto", moto, sizes.moto_calls),
    ):
        if cost is None:
            rows.append([name, "-", "not installed", "-", "-"])
            continue
        rows.append(
            [
                name,
                f"{calls} x {sizes.repeats}",
                us(cost.median),
                us(cost.best),
                f"{cost.ratio_to(stubber):.2f}",
            ]
        )
    table(rows)
    added = stubtags.median - stubber.median
    print(f"  added over the Stubber floor: stubtags {us(added)} us/call", end="")
    if moto is not None:
        moto_added = moto.median - stubber.median
        times = f"{moto_added / added:.0f} x stubtags'" if added > 0 else "stubtags adds nothing"
        print(f", moto {us(moto_added)} us/call ({times})", end="")
    print()

    ratio = stubtags.ratio_to(stubber)
    verdicts = [
        Verdict(
            "tag_resource stubtags vs Stubber",
            ratio <= MAX_STUBBER_RATIO,
            f"stubtags {us(stubtags.median)} us/call = {ratio:.2f} x Stubber "
            f"{us(stubber.median)} us/call (target <= {MAX_STUBBER_RATIO:.2f} x)",
        )
    ]
    if moto is None:
        verdicts.append(Verdict("tag_resource moto vs stubtags", None, "moto is not installed"))
    else:
        speedup = moto.ratio_to(stubtags)
        verdicts.append(
            Verdict(
                "tag_resource moto vs stubtags",
                speedup >= MIN_MOTO_RATIO,
                f"moto {us(moto.median)} us/call = {speedup:.1f} x stubtags "
                f"{us(stubtags.median)} us/call (target >= {MIN_MOTO_RATIO:.0f} x)",
            )
        )
    return verdicts


# --------------------------------------------------------------------------- 2. import cost

BASE_CODE = "import botocore.client"
WITH_CODE = "import botocore.client; import stubtags"


def python_env(pycache: str | None) -> dict[str, str]:
    """The environment of the child interpreters.

    With `pycache`, bytecode is cached under that directory (PYTHONPYCACHEPREFIX), as
    an installed package has its .pyc files; with None, nothing is cached, so every
    module without a .pyc is compiled from source on each run (PYTHONDONTWRITEBYTECODE
    does that to an editable install).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def run_python(code: str, env: dict[str, str], *flags: str) -> tuple[int, str]:
    """Wall time in ns of a fresh interpreter running `code`, and its stderr."""
    start = time.perf_counter_ns()
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return time.perf_counter_ns() - start, done.stderr


def paired_runs(env: dict[str, str], runs: int) -> tuple[list[int], list[int]]:
    """Alternating base/with runs, after a warm-up of each (file cache, .pyc files)."""
    run_python(BASE_CODE, env)
    run_python(WITH_CODE, env)
    base: list[int] = []
    with_: list[int] = []
    for _ in range(runs):
        base.append(run_python(BASE_CODE, env)[0])
        with_.append(run_python(WITH_CODE, env)[0])
    return base, with_


def importtime_breakdown(stderr: str) -> tuple[float, list[tuple[float, str]]]:
    """From `-X importtime` output: the cumulative us of the top-level `stubtags`
    import, and the self time of each module it pulled in (biggest first)."""
    rows: list[tuple[int, int, str]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    top_level = [i for i, (_, _, name) in enumerate(rows) if not name.startswith("  ")]
    ours = [i for i in top_level if rows[i][2].strip() == "stubtags"]
    if not ours:
        return math.nan, []
    end = ours[-1]
    start = max((i for i in top_level if i < end), default=-1) + 1
    pulled = sorted(((rows[i][0], rows[i][2].strip()) for i in range(start, end + 1)), reverse=True)
    return float(rows[end][1]), [(float(s), n) for s, n in pulled]


def section_import(sizes: Sizes) -> list[Verdict]:
    heading(SECTION_TITLES[1])
    print(f"  fresh interpreters, {sizes.import_runs} paired run(s) each; added = median of the")
    print("  per-pair differences (best: best with minus best base):")
    print(f"    base: python -c {BASE_CODE!r}")
    print(f"    with: python -c {WITH_CODE!r}")
    with tempfile.TemporaryDirectory(prefix="stubtags-bench-pycache-") as pycache:
        cached = paired_runs(python_env(pycache), sizes.import_runs)
        importtime = run_python(WITH_CODE, python_env(pycache), "-X", "importtime")[1]
    uncached = paired_runs(python_env(None), sizes.import_runs)

    rows = [["bytecode", "run", "median ms", "best ms"]]
    added: dict[str, tuple[float, float]] = {}
    for label, (base, with_) in (("cached", cached), ("not cached", uncached)):
        added[label] = (
            statistics.median(w - b for w, b in zip(with_, base, strict=True)),
            min(with_) - min(base),
        )
        rows.append([label, "base", ms(statistics.median(base)), ms(min(base))])
        rows.append([label, "with stubtags", ms(statistics.median(with_)), ms(min(with_))])
        rows.append([label, "added (paired)", ms(added[label][0]), ms(added[label][1])])
    table(rows)
    print(
        "  cached: .pyc files kept in a temporary PYTHONPYCACHEPREFIX, as for an installed\n"
        "  package; not cached: modules without a .pyc compiled from source on every run."
    )
    cumulative, pulled = importtime_breakdown(importtime)
    print(
        f"  -X importtime (cached): `import stubtags` cumulative {cumulative / 1000:.2f} ms; "
        "biggest self times:"
    )
    for self_us, name in pulled[:8]:
        print(f"    {self_us / 1000:6.2f} ms  {name}")
    median_added, best_added = added["cached"]
    return [
        Verdict(
            "import stubtags",
            median_added <= MAX_IMPORT_MS * 1e6,
            f"{signed_ms(median_added)} ms over botocore.client, bytecode cached (median of "
            f"{sizes.import_runs} paired run(s); best-vs-best {signed_ms(best_added)} ms; "
            f"uncached {signed_ms(added['not cached'][0])} ms) (target <= {MAX_IMPORT_MS:.0f} ms)",
        )
    ]


# ------------------------------------------------------------------ 3-4. ListSecrets, memory

MATCH_PREFIX = "alpha"
GROUPS = (MATCH_PREFIX, "beta", "gamma")  # one secret in three has the matched keys


def seed(backend: Backend, sizes: Sizes) -> None:
    """Create the secrets; inputs are built inside the loop so only what the
    backend keeps is still allocated afterwards."""
    for i in range(sizes.secrets):
        group = GROUPS[i % len(GROUPS)]
        tags = {f"{group}-key-{j}": f"value-{i}-{j}" for j in range(sizes.tags_per_secret)}
        backend.create_secret(f"app/service-{i:05d}/credentials", tags=tags, region=REGION)


def expected_matches(sizes: Sizes) -> int:
    return math.ceil(sizes.secrets / len(GROUPS))


def measure_seeded_memory(backend: Backend, sizes: Sizes) -> tuple[int, int, float, list[str]]:
    """Seed under tracemalloc: bytes retained, peak, seconds, and the top sites."""
    backend.create_secret("warm-up", tags={"a": "b"}, region=REGION)  # first-use caches
    backend.reset()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    seed(backend, sizes)
    seconds = time.perf_counter() - start
    gc.collect()
    retained = tracemalloc.get_traced_memory()[0] - before
    peak = tracemalloc.get_traced_memory()[1] - before
    top = tracemalloc.take_snapshot().statistics("lineno")[:6]
    tracemalloc.stop()
    sites = [f"{stat.size / 2**20:6.2f} MiB  {stat.traceback}" for stat in top]
    return retained, peak, seconds, sites


def list_page(client: Any, page_size: int, token: str | None) -> tuple[int, dict[str, Any]]:
    kwargs: dict[str, Any] = {
        "Filters": [{"Key": "tag-key", "Values": [MATCH_PREFIX]}],
        "MaxResults": page_size,
    }
    if token is not None:
        kwargs["NextToken"] = token
    start = time.perf_counter_ns()
    reply = client.list_secrets(**kwargs)
    return time.perf_counter_ns() - start, reply


def walk(client: Any, page_size: int) -> tuple[list[int], list[str]]:
    """Every page of the filtered listing: time per page, names in order."""
    times: list[int] = []
    names: list[str] = []
    token: str | None = None
    while True:
        elapsed, reply = list_page(client, page_size, token)
        times.append(elapsed)
        names.extend(entry["Name"] for entry in reply["SecretList"])
        token = reply.get("NextToken")
        if token is None:
            return times, names


def section_listing_and_memory(sizes: Sizes) -> list[Verdict]:
    client = make_client()
    with mock_tags() as backend:
        retained, peak, seed_seconds, sites = measure_seeded_memory(backend, sizes)

        heading(SECTION_TITLES[2])
        print(
            f"  {sizes.secrets:,} secrets x {sizes.tags_per_secret} tags (seeded in "
            f"{seed_seconds:.2f} s under tracemalloc); Filters=[tag-key {MATCH_PREFIX!r}] "
            f"matches {expected_matches(sizes):,}; MaxResults={sizes.page_size}"
        )
        list_page(client, sizes.page_size, None)  # warm-up
        gc.collect()
        gc.disable()
        try:
            first = [
                list_page(client, sizes.page_size, None)[0] for _ in range(sizes.first_page_repeats)
            ]
            later: list[int] = []
            problem = ""
            for _ in range(sizes.walks):
                times, names = walk(client, sizes.page_size)
                later.extend(times[1:])
                if len(names) != expected_matches(sizes) or len(set(names)) != len(names):
                    problem = (
                        f"listing returned {len(names)} names ({len(set(names))} "
                        f"distinct), expected {expected_matches(sizes)}"
                    )
        finally:
            gc.enable()
        pages = math.ceil(expected_matches(sizes) / sizes.page_size)
        rows = [["page", "samples", "median ms", "best ms", "worst ms"]]
        rows.append(
            ["first", str(len(first)), ms(statistics.median(first)), ms(min(first)), ms(max(first))]
        )
        if later:
            rows.append(
                [
                    f"later (2..{pages})",
                    str(len(later)),
                    ms(statistics.median(later)),
                    ms(min(later)),
                    ms(max(later)),
                ]
            )
        else:
            rows.append(["later", "0", "-", "-", "-"])
        table(rows)
        if problem:
            print(f"  WRONG RESULT: {problem}")

    worst_median = max([statistics.median(first)] + ([statistics.median(later)] if later else []))
    later_text = f"later {ms(statistics.median(later))} ms" if later else "no later pages"
    listing_verdict = Verdict(
        "ListSecrets page",
        worst_median <= MAX_PAGE_MS * 1e6 and not problem,
        f"first {ms(statistics.median(first))} ms, {later_text} (median per page of "
        f"{sizes.page_size} of {expected_matches(sizes):,} matches among {sizes.secrets:,} "
        f"secrets) (target <= {MAX_PAGE_MS:.0f} ms)" + (f"; {problem}" if problem else ""),
    )

    heading(SECTION_TITLES[3])
    mib = retained / 2**20
    print(
        f"  tracemalloc above an empty backend: {mib:.2f} MiB retained "
        f"({retained / sizes.secrets:,.0f} bytes a secret), peak {peak / 2**20:.2f} MiB"
    )
    print("  biggest allocation sites:")
    for site in sites:
        print(f"    {site}")
    memory_verdict = Verdict(
        "memory",
        mib <= MAX_MEMORY_MIB,
        f"{mib:.2f} MiB for {sizes.secrets:,} secrets x {sizes.tags_per_secret} tags "
        f"(target <= {MAX_MEMORY_MIB:.0f} MiB)",
    )
    return [listing_verdict, memory_verdict]


# --------------------------------------------------------------------------- profiling


def profile(sizes: Sizes) -> None:
    """cProfile of stubtags' two hot paths, for finding where a missed target goes."""
    heading("Profile (cProfile, tottime)")
    client = make_client()
    with mock_tags() as backend:
        backend.create_secret(SECRET, region=REGION)
        timed_loop(client, 10)
        _print_profile("tag_resource", lambda: timed_loop(client, sizes.calls))
    with mock_tags() as backend:
        seed(backend, sizes)
        _print_profile("ListSecrets walk", lambda: walk(client, sizes.page_size))


def _print_profile(name: str, run: Callable[[], object]) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(f"  -- {name}")
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--profile", action="store_true", help="also cProfile stubtags")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    print(
        f"stubtags benchmark{' ' + QUICK_NOTE if args.quick else ''}: Python "
        f"{sys.version.split()[0]}, boto3 {boto3.__version__}"
    )
    print(f"  {machine_load()} at start")
    verdicts = section_calls(sizes)
    verdicts += section_import(sizes)
    verdicts += section_listing_and_memory(sizes)
    if args.profile:
        profile(sizes)

    heading(VERDICTS_TITLE)
    print(f"  {machine_load()} at end; timings on a busy machine read high")
    for verdict in verdicts:
        print(verdict.line(args.quick))
    return exit_status(verdicts, args.strict)


if __name__ == "__main__":
    sys.exit(main())
