"""Section 1 measured in several fresh interpreters: the median of their best repeats.

Within one process, an operation's best repeat is steady; from one process to the
next it moves by up to 9 % (two runs of the same code read DeleteSecret/RestoreSecret
at 166 and 181 µs, against floors of 146 and 145 µs), the same way for all of that process's
repeats: its memory layout and hash seed, not the machine's load of the moment. More
repeats in one process do not cancel that; more processes do. Each process times
every engine and operation in rounds (`calls.bench_cases`) and reports each one's
best repeat; an engine's figure is the median over the processes (`figure`).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.bench import calls
from tests.bench.call_verdicts import Costs
from tests.bench.common import Sizes, make_client

ROOT = Path(__file__).resolve().parents[2]  # the repository: `tests.bench` imports from it
ENGINES = ("stubber", "stubber_as_used", "stubtags", "service", "copy", "moto")
_WORKER = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from tests.bench.processes import worker; worker(sys.argv[2])"
)

Bests = dict[str, dict[str, float | None]]  # operation -> engine -> best repeat (None: not timed)


def measure(sizes: Sizes) -> dict[str, Costs]:
    """Every operation's costs: one value per engine from each of `sizes.processes`
    processes, run one after the other (never side by side: they would slow each other)."""
    results: dict[str, Costs] = {}
    for _ in range(sizes.processes):
        for label, engines in _run_worker(sizes).items():
            costs = results.setdefault(label, Costs(moto=[]))
            merge(costs, engines)
    return results


def merge(costs: Costs, engines: dict[str, float | None]) -> None:
    """Add one process's bests; an engine one process could not time stays untimed."""
    for engine in ENGINES:
        best = engines.get(engine)
        values = getattr(costs, engine)
        if values is None:
            continue
        if best is None:
            if engine == "moto":
                costs.moto = None
            continue
        values.append(best)


def bests_of(costs: Costs) -> dict[str, float | None]:
    """One process's report: each engine's best repeat."""
    out: dict[str, float | None] = {}
    for engine in ENGINES:
        values = getattr(costs, engine)
        out[engine] = min(values) if values else None
    return out


def _run_worker(sizes: Sizes) -> Bests:
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(ROOT), json.dumps(dataclasses.asdict(sizes))],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"a measuring process of section 1 failed:\n{done.stderr}")
    report: Bests = json.loads(done.stdout.splitlines()[-1])
    return report


def worker(sizes_json: str) -> None:
    """In a fresh interpreter: time every case, print each engine's best repeat (JSON)."""
    fields: dict[str, Any] = json.loads(sizes_json)
    if fields["moto_cases"] is not None:
        fields["moto_cases"] = tuple(fields["moto_cases"])
    sizes = Sizes(**fields)
    mock_aws = calls.find_moto()  # imported up front, then frozen, as in the main run
    gc.collect()
    gc.freeze()
    client = make_client()  # one client for the Stubber and stubtags, as a test has
    results = calls.bench_cases(client, calls.CASES, sizes, mock_aws)
    print(json.dumps({label: bests_of(costs) for label, costs in results.items()}))
