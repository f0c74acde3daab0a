"""Fixed costs, in fresh interpreters: imports, the one-test process, the first start().

Every comparison alternates its two sides run by run (after a warm-up that fills
the file cache and writes .pyc files) and takes the median of the per-pair figures.
Bytecode is cached in a temporary PYTHONPYCACHEPREFIX, as for an installed package.
"""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from typing import NamedTuple

from tests.bench.common import Sizes, Verdict, X, heading, ms, signed_ms, table

TITLE = "4. fixed costs: imports, one-test process, first start()"
MAX_IMPORT_MS = 30.0
MAX_PLUGIN_MS = 5.0
MAX_PROCESS_RATIO = 1.1
MAX_PROCESS_MIB = 50.0
MAX_CLIENT_RATIO = 1.1

CLIENT = (
    'boto3.client("secretsmanager", region_name="us-east-1", '
    'aws_access_key_id="testing", aws_secret_access_key="testing")'
)
# The child's peak RSS in KiB. VmHWM, not ru_maxrss: Linux carries the parent's peak
# over fork and exec into ru_maxrss, so every child would report the benchmark's own.
RSS = """
try:
    with open("/proc/self/status") as status:
        print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
except OSError:
    import resource
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
# The one test of a user's process: import, make a client, create, tag, describe.
ONE_TEST_STUBTAGS = f"""
import boto3
from stubtags import mock_tags
with mock_tags():
    client = {CLIENT}
    client.create_secret(Name="s", SecretString="x")
    client.tag_resource(SecretId="s", Tags=[{{"Key": "k", "Value": "v"}}])
    client.describe_secret(SecretId="s")
{RSS}
"""
ONE_TEST_STUBBER = f"""
import datetime
import boto3
from botocore.stub import Stubber
client = {CLIENT}
arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf"
now = datetime.datetime.now(datetime.timezone.utc)
with Stubber(client) as stubber:
    stubber.add_response("create_secret", {{"ARN": arn, "Name": "s", "VersionId": "v" * 32}})
    stubber.add_response("tag_resource", {{}})
    stubber.add_response("describe_secret", {{
        "ARN": arn, "Name": "s", "Tags": [{{"Key": "k", "Value": "v"}}],
        "CreatedDate": now, "LastChangedDate": now,
        "VersionIdsToStages": {{"v" * 32: ["AWSCURRENT"]}},
    }})
    client.create_secret(Name="s", SecretString="x")
    client.tag_resource(SecretId="s", Tags=[{{"Key": "k", "Value": "v"}}])
    client.describe_secret(SecretId="s")
{RSS}
"""
# A suite's later tests, in a process that ran one already: each makes its own client
# (as a fixture would) and the same three calls. Prints the median ms a test.
NEXT_TESTS = """
import statistics, time
TESTS = 21
def test(i):
    client = CLIENT
    BODY
times = []
for i in range(TESTS + 1):
    t0 = time.perf_counter()
    test(i)
    times.append(time.perf_counter() - t0)
print(statistics.median(times[1:]) * 1000)
"""
NEXT_TESTS_STUBTAGS = (
    "import boto3\nfrom stubtags import mock_tags\nmock_tags().start()\n"
    + NEXT_TESTS.replace("CLIENT", CLIENT).replace(
        "BODY",
        'client.create_secret(Name=f"s{i}", SecretString="x")\n'
        '    client.tag_resource(SecretId=f"s{i}", Tags=[{"Key": "k", "Value": "v"}])\n'
        '    client.describe_secret(SecretId=f"s{i}")',
    )
)
NEXT_TESTS_STUBBER = (
    "import datetime\nimport boto3\nfrom botocore.stub import Stubber\n"
    'arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf"\n'
    "now = datetime.datetime.now(datetime.timezone.utc)\n"
    + NEXT_TESTS.replace("CLIENT", CLIENT).replace(
        "BODY",
        "with Stubber(client) as stubber:\n"
        '        stubber.add_response("create_secret", '
        '{"ARN": arn, "Name": "s", "VersionId": "v" * 32})\n'
        '        stubber.add_response("tag_resource", {})\n'
        '        stubber.add_response("describe_secret", {"ARN": arn, "Name": "s", '
        '"Tags": [{"Key": "k", "Value": "v"}], "CreatedDate": now, "LastChangedDate": now, '
        '"VersionIdsToStages": {"v" * 32: ["AWSCURRENT"]}})\n'
        '        client.create_secret(Name=f"s{i}", SecretString="x")\n'
        '        client.tag_resource(SecretId=f"s{i}", Tags=[{"Key": "k", "Value": "v"}])\n'
        '        client.describe_secret(SecretId=f"s{i}")',
    )
)
# What the first start() costs, imports and the next client; START is 0 or 1.
FIRST_START = f"""
import json, sys, time
import boto3
from stubtags import mock_tags
mock = mock_tags()
before = set(sys.modules)
t0 = time.perf_counter()
if START:
    mock.start()
t1 = time.perf_counter()
client = {CLIENT}
t2 = time.perf_counter()
print(json.dumps({{"start": t1 - t0, "client": t2 - t1, "new": sorted(set(sys.modules) - before)}}))
if START:
    mock.stop()
"""


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


class Run(NamedTuple):
    wall: int  # ns, as the parent saw it
    cpu: float  # s of user and system time of the child
    out: str
    err: str


def run_python(code: str, env: dict[str, str], *flags: str) -> Run:
    """A fresh interpreter running `code`: its wall and CPU time, stdout and stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter_ns()
    done = subprocess.run(
        [sys.executable, *flags, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall = time.perf_counter_ns() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(wall, cpu, done.stdout, done.stderr)


def paired(base: str, other: str, env: dict[str, str], runs: int) -> tuple[list[Run], list[Run]]:
    """Alternating runs of two programs, after a warm-up of each (file cache, .pyc)."""
    if runs > 1:
        run_python(base, env)
        run_python(other, env)
    first: list[Run] = []
    second: list[Run] = []
    for _ in range(runs):
        first.append(run_python(base, env))
        second.append(run_python(other, env))
    return first, second


def import_ns(base: str, module: str, env: dict[str, str], runs: int) -> float:
    """Median ns of `import module` in fresh interpreters that imported `base` first."""
    code = (
        f"import time, {base}; t = time.perf_counter_ns(); import {module}; "
        "print(time.perf_counter_ns() - t)"
    )
    if runs > 1:
        run_python(code, env)  # warm-up: file cache, .pyc files
    return statistics.median(int(run_python(code, env).out.split()[-1]) for _ in range(runs))


def importtime_breakdown(
    stderr: str, module: str = "stubtags"
) -> tuple[float, list[tuple[float, str]]]:
    """From `-X importtime` output: the cumulative us of the top-level `module`
    import, and the self time of each module it pulled in (biggest first)."""
    rows: list[tuple[int, int, str]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    top_level = [i for i, (_, _, name) in enumerate(rows) if not name.startswith("  ")]
    ours = [i for i in top_level if rows[i][2].strip() == module]
    if not ours:
        return math.nan, []
    end = ours[-1]
    start = max((i for i in top_level if i < end), default=-1) + 1
    pulled = sorted(((rows[i][0], rows[i][2].strip()) for i in range(start, end + 1)), reverse=True)
    return float(rows[end][1]), [(float(s), n) for s, n in pulled]


def section(sizes: Sizes) -> list[Verdict]:
    heading(TITLE)
    runs = sizes.import_runs
    print(f"  fresh interpreters, {runs} run(s) per figure (paired runs for comparisons); medians")
    with tempfile.TemporaryDirectory(prefix="stubtags-bench-pycache-") as pycache:
        env = python_env(pycache)
        verdicts = imports(env, runs)
        verdicts += one_test_process(env, runs)
        next_tests(env, runs)
        verdicts += first_start(env, runs)
    return verdicts


def imports(env: dict[str, str], runs: int) -> list[Verdict]:
    # Timed inside the child, around the one import: a fresh interpreter's own start
    # varies by tens of milliseconds on a busy machine, which would drown a 3 ms import.
    # The package is lazy: `import stubtags` alone loads almost nothing, so the import
    # timed is the one a test makes, `stubtags.lifecycle`, which loads the machinery.
    lib = import_ns("botocore.client", "stubtags.lifecycle", env, runs)
    plug = import_ns("pytest", "stubtags.plugin", env, runs)
    stderr = run_python("import botocore.client, stubtags.lifecycle", env, "-X", "importtime").err
    cumulative, pulled = importtime_breakdown(stderr, "stubtags.lifecycle")
    table(
        [
            ["import", "on top of", "added ms"],
            ["stubtags (mock_tags and all it needs)", "botocore.client", signed_ms(lib)],
            ["stubtags.plugin", "pytest", signed_ms(plug)],
        ]
    )
    print(f"  -X importtime: stubtags.lifecycle cumulative {cumulative / 1000:.2f} ms; biggest:")
    for self_us, name in pulled[:6]:
        print(f"    {self_us / 1000:6.2f} ms  {name}")
    return [
        Verdict(
            "import stubtags",
            lib <= MAX_IMPORT_MS * 1e6,
            f"{signed_ms(lib)} ms over botocore.client (target <= {MAX_IMPORT_MS:.0f} ms)",
            (
                "`import stubtags` (with `mock_tags` loaded) on top of `import botocore.client`",
                f"**{signed_ms(lib)} ms**",
                f"≤ {MAX_IMPORT_MS:.0f} ms",
            ),
        ),
        Verdict(
            "import stubtags.plugin",
            plug <= MAX_PLUGIN_MS * 1e6,
            f"{signed_ms(plug)} ms over pytest (target <= {MAX_PLUGIN_MS:.0f} ms)",
            (
                "`import stubtags.plugin` on top of `import pytest`",
                f"**{signed_ms(plug)} ms**",
                f"≤ {MAX_PLUGIN_MS:.0f} ms",
            ),
        ),
    ]


def one_test_process(env: dict[str, str], runs: int) -> list[Verdict]:
    stubber, ours = paired(ONE_TEST_STUBBER, ONE_TEST_STUBTAGS, env, runs)
    ratio = statistics.median(o.wall / s.wall for s, o in zip(stubber, ours, strict=True))
    cpu_ratio = statistics.median(o.cpu / s.cpu for s, o in zip(stubber, ours, strict=True))
    wall = [statistics.median(r.wall for r in side) for side in (stubber, ours)]
    cpu = [statistics.median(r.cpu for r in side) * 1e9 for side in (stubber, ours)]
    rss = [
        statistics.median(int(r.out.split()[-1]) / 1024 for r in side) for side in (stubber, ours)
    ]
    table(
        [
            ["one-test process", "wall ms", "CPU ms", "max RSS MiB"],
            ["with botocore's Stubber", ms(wall[0]), ms(cpu[0]), f"{rss[0]:.1f}"],
            ["with stubtags", ms(wall[1]), ms(cpu[1]), f"{rss[1]:.1f}"],
            ["ratio (median of pairs)", f"{ratio:.2f}", f"{cpu_ratio:.2f}", ""],
        ]
    )
    return [
        Verdict(
            "one-test process wall time",
            ratio <= MAX_PROCESS_RATIO,
            f"{ratio:.2f} x the Stubber process (CPU time {cpu_ratio:.2f} x) "
            f"(target <= {MAX_PROCESS_RATIO} x)",
            (
                "one-test process (import, client, create, tag, describe), wall time",
                f"{wall[1] / 1e6:.0f} ms vs Stubber {wall[0] / 1e6:.0f} ms: **{ratio:.2f}{X}** "
                f"(CPU time {cpu_ratio:.2f}{X})",
                f"≤ {MAX_PROCESS_RATIO}{X}",
            ),
        ),
        Verdict(
            "one-test process memory",
            rss[1] <= MAX_PROCESS_MIB,
            f"max RSS {rss[1]:.1f} MiB (Stubber {rss[0]:.1f} MiB) (target <= "
            f"{MAX_PROCESS_MIB:.0f} MiB)",
            (
                "one-test process, max RSS",
                f"**{rss[1]:.1f} MiB** (Stubber {rss[0]:.1f} MiB)",
                f"≤ {MAX_PROCESS_MIB:.0f} MiB",
            ),
        ),
    ]


def next_tests(env: dict[str, str], runs: int) -> None:
    """Context, no target: what each further test of a suite costs, its client included."""
    stubber, ours = paired(NEXT_TESTS_STUBBER, NEXT_TESTS_STUBTAGS, env, runs)
    per_test = [
        statistics.median(float(r.out.split()[-1]) for r in side) for side in (stubber, ours)
    ]
    ratio = statistics.median(
        float(o.out.split()[-1]) / float(s.out.split()[-1])
        for s, o in zip(stubber, ours, strict=True)
    )
    print(
        f"  each later test of a suite (a new client, create, tag, describe; median of 21): "
        f"stubtags {per_test[1]:.2f} ms, the Stubber (add_response before each call) "
        f"{per_test[0]:.2f} ms: {ratio:.2f} x"
    )


def first_start(env: dict[str, str], runs: int) -> list[Verdict]:
    without, with_ = paired(
        FIRST_START.replace("START", "0"), FIRST_START.replace("START", "1"), env, runs
    )
    w = [json.loads(r.out.splitlines()[-1]) for r in with_]
    wo = [json.loads(r.out.splitlines()[-1]) for r in without]
    ratio = statistics.median(a["client"] / b["client"] for a, b in zip(w, wo, strict=True))
    start_ms = statistics.median(a["start"] for a in w) * 1000
    imported = sorted({m for a in w for m in a["new"]})
    heavy = [m for m in imported if m.split(".")[0] in {"wrapt", "asyncio"}]
    print(
        f"  first start(): {start_ms:.2f} ms; it imports {len(imported)} module(s)"
        + (
            f": {', '.join(imported[:8])}" + (" ..." if len(imported) > 8 else "")
            if imported
            else ""
        )
    )
    print(
        f"  the next boto3.client(): {statistics.median(a['client'] for a in w) * 1000:.1f} ms "
        f"after start() vs {statistics.median(b['client'] for b in wo) * 1000:.1f} ms without: "
        f"{ratio:.2f} x"
    )
    return [
        Verdict(
            "first start() imports",
            not heavy,
            f"{start_ms:.2f} ms; wrapt/asyncio imported: {', '.join(heavy) or 'none'} "
            "(target: none)",
            (
                "the first `start()`",
                f"{start_ms:.1f} ms, imports "
                + (", ".join(heavy) if heavy else "no wrapt, no asyncio"),
                "no wrapt, no asyncio",
            ),
        ),
        Verdict(
            "next boto3.client() after start()",
            ratio <= MAX_CLIENT_RATIO,
            f"{ratio:.2f} x the same client made without start() (target <= {MAX_CLIENT_RATIO} x)",
            (
                "the next `boto3.client()` after the first `start()`",
                f"**{ratio:.2f}{X}** the same without `start()`",
                f"≤ {MAX_CLIENT_RATIO}{X}",
            ),
        ),
    ]
