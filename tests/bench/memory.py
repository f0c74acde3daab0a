"""The seeded secrets: what ListSecrets is timed over, and the memory they hold."""

from __future__ import annotations

import gc
import math
import time
import tracemalloc

from stubtags import Backend
from tests.bench.common import REGION, Sizes, Verdict, X, heading

TITLE = "2. memory of the seeded secrets"
MAX_MIB = 15.0
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


def seed_measured(backend: Backend, sizes: Sizes) -> list[Verdict]:
    """Seed `backend` under tracemalloc and report what it retains."""
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

    heading(TITLE)
    mib = retained / 2**20
    print(
        f"  {sizes.secrets:,} secrets x {sizes.tags_per_secret} tags, seeded in {seconds:.2f} s "
        f"under tracemalloc: {mib:.2f} MiB retained above an empty backend "
        f"({retained / sizes.secrets:,.0f} bytes a secret), peak {peak / 2**20:.2f} MiB"
    )
    print("  biggest allocation sites:")
    for stat in top:
        print(f"    {stat.size / 2**20:6.2f} MiB  {stat.traceback}")
    return [
        Verdict(
            "memory",
            mib <= MAX_MIB,
            f"{mib:.2f} MiB for {sizes.secrets:,} secrets x {sizes.tags_per_secret} tags "
            f"(target <= {MAX_MIB:.0f} MiB)",
            (
                f"memory for {sizes.secrets:,} secrets {X} {sizes.tags_per_secret} tags "
                "(tracemalloc, retained)",
                f"**{mib:.1f} MiB**",
                f"≤ {MAX_MIB:.0f} MiB",
            ),
        )
    ]
