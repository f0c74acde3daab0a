"""Per-call cost of every supported operation: botocore's Stubber, stubtags, moto.

The Stubber is the floor: the same client does botocore's own work (validation,
serialisation, endpoint resolution, events) and the Stubber hands back a reply
without any parsing. Its replies are the ones stubtags returned for the same calls,
so both engines give the caller the same dict. The floor replays replies that
`add_response` checked once, before the timing, through the Stubber's private
queue: botocore's own work and nothing else. The Stubber as a test uses it, each
call after its own `add_response`, is timed too, as context for a user switching,
and, in a pass of its own, the time stubtags spends in the service's own work
(`tests.bench.service_work`): the rest is its machinery, what the restated per-call
target holds to the floor.

Each round times one repeat of each engine for every operation in turn, and each
engine's figure is its best repeat: this machine's speed moves by a third for
seconds at a time (other tenants), which only ever adds time, so the minimum over
repeats spread across the whole run is the steadiest estimate of each engine's own
cost (medians of paired ratios moved by ±0.1 from run to run).
"""

from __future__ import annotations

import gc
import importlib.util
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from botocore.stub import Stubber

from stubtags import mock_tags
from tests.bench import breakdown
from tests.bench.call_verdicts import PAGE_LABEL, Costs, verdicts
from tests.bench.common import (
    Call,
    Sizes,
    Verdict,
    X,
    heading,
    make_client,
    table,
    timed,
    us,
)
from tests.bench.service_work import clock_overhead, service_repeat

TITLE = "1. per-call cost of every operation"

SECRET = "bench-secret"
OTHER = "bench-other"
TAG_LISTS = ([{"Key": "k", "Value": "v"}], [{"Key": "k2", "Value": "v2"}])
TEN_TAGS = [{"Key": f"team-key-{j}", "Value": f"value-{j}"} for j in range(10)]
VERSIONS = ("11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-aaaaaaaaaaaa")
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
            }
        ],
    }
)
REPLICA = [{"Region": "eu-west-1"}]
# The README's per-operation table: the floor, then what a Stubber test pays as context;
# stubtags, the part of it that is the service's own work (`service_work`), and the
# rest: its machinery, what the restated target holds to the floor.
MARKDOWN_COLUMNS = (
    "per call",
    "botocore Stubber (floor)",
    "Stubber as a test uses it",
    "stubtags",
    "its service work",
    "its machinery (the rest)",
    "moto",
)
CHUNKS_QUICK = 2  # the breakdown's chunks in a smoke run

Plan = Callable[[int], tuple[str, dict[str, Any]]]  # call number -> (method, kwargs)


def with_secret(client: Any) -> None:
    """A secret as tests use them: a description, ten tags, two versions, a staged label."""
    client.create_secret(
        Name=SECRET,
        Description="what the benchmark reads",
        SecretString="first",
        Tags=TEN_TAGS,
        ClientRequestToken=VERSIONS[0],
    )
    client.put_secret_value(SecretId=SECRET, SecretString="second", ClientRequestToken=VERSIONS[1])
    client.update_secret_version_stage(
        SecretId=SECRET, VersionStage="BENCH", MoveToVersionId=VERSIONS[1]
    )
    client.create_secret(Name=OTHER, SecretString="other")


def with_policy(client: Any) -> None:
    with_secret(client)
    client.put_resource_policy(SecretId=SECRET, ResourcePolicy=POLICY)


def with_page(client: Any) -> None:
    for i in range(100):
        client.create_secret(Name=f"app/{i:03d}", SecretString="x", Tags=TEN_TAGS[:3])


def nothing(client: Any) -> None:
    pass


@dataclass(frozen=True)
class Case:
    """One operation's calls. Call i and call i + 2 leave the state as they found it,
    so an even number of warm-up calls changes nothing the timed calls see."""

    label: str
    plan: Plan
    setup: Callable[[Any], None] = with_secret
    share: int = 1  # a slow case makes 1/share of the calls (at least 2)


def _same(method: str, **kwargs: Any) -> Plan:
    return lambda i: (method, kwargs)


CASES = (
    Case(
        "tag_resource", lambda i: ("tag_resource", {"SecretId": SECRET, "Tags": TAG_LISTS[i & 1]})
    ),
    Case("untag_resource", _same("untag_resource", SecretId=SECRET, TagKeys=["k"])),
    Case(
        "create_secret",
        lambda i: ("create_secret", {"Name": f"bench-new-{i}", "SecretString": "x"}),
        nothing,
    ),
    Case("describe_secret", _same("describe_secret", SecretId=SECRET)),
    Case(
        "update_secret",
        lambda i: ("update_secret", {"SecretId": SECRET, "Description": f"d{i & 1}"}),
    ),
    Case("get_secret_value", _same("get_secret_value", SecretId=SECRET)),
    Case(
        "put_secret_value",
        lambda i: ("put_secret_value", {"SecretId": SECRET, "SecretString": f"value-{i}"}),
    ),
    Case("list_secret_version_ids", _same("list_secret_version_ids", SecretId=SECRET)),
    Case(
        "update_secret_version_stage",
        lambda i: (
            "update_secret_version_stage",
            {
                "SecretId": SECRET,
                "VersionStage": "BENCH",
                "MoveToVersionId": VERSIONS[i & 1],
                "RemoveFromVersionId": VERSIONS[1 - (i & 1)],
            },
        ),
    ),
    Case("batch_get_secret_value", _same("batch_get_secret_value", SecretIdList=[SECRET, OTHER])),
    Case(
        "delete_secret / restore_secret",
        lambda i: (
            ("delete_secret", {"SecretId": OTHER, "RecoveryWindowInDays": 7})
            if i & 1 == 0
            else ("restore_secret", {"SecretId": OTHER})
        ),
    ),
    Case(
        "put_resource_policy", _same("put_resource_policy", SecretId=SECRET, ResourcePolicy=POLICY)
    ),
    Case("get_resource_policy", _same("get_resource_policy", SecretId=SECRET), with_policy),
    Case("delete_resource_policy", _same("delete_resource_policy", SecretId=SECRET), with_policy),
    Case("validate_resource_policy", _same("validate_resource_policy", ResourcePolicy=POLICY)),
    Case("get_random_password", _same("get_random_password")),
    Case(
        "replicate_secret_to_regions / remove_regions_from_replication",
        lambda i: (
            ("replicate_secret_to_regions", {"SecretId": OTHER, "AddReplicaRegions": REPLICA})
            if i & 1 == 0
            else (
                "remove_regions_from_replication",
                {"SecretId": OTHER, "RemoveReplicaRegions": ["eu-west-1"]},
            )
        ),
    ),
    Case("cancel_rotate_secret", _same("cancel_rotate_secret", SecretId=SECRET)),
    Case(PAGE_LABEL, _same("list_secrets", MaxResults=100), with_page, share=10),
)


def calls_of(client: Any, case: Case, numbers: range) -> list[Call]:
    """The bound methods and arguments, built before timing starts."""
    made = [case.plan(i) for i in numbers]
    return [(getattr(client, method), kwargs) for method, kwargs in made]


# --------------------------------------------------------------------------- engines


def stubtags_replies(client: Any, case: Case) -> list[dict[str, Any]]:
    """What stubtags answers to calls 0 and 1: the replies the Stubber will hand back."""
    with mock_tags():
        case.setup(client)
        return [method(**kwargs) for method, kwargs in calls_of(client, case, range(2))]


def stubtags_repeat(client: Any, case: Case, calls: int, warmup: int) -> float:
    with mock_tags():
        case.setup(client)
        timed(calls_of(client, case, range(calls, calls + warmup)))  # hooks the client
        return timed(calls_of(client, case, range(calls))) / calls


def stubber_repeat(client: Any, case: Case, replies: Sequence[dict[str, Any]], calls: int) -> float:
    with Stubber(client) as stubber:
        # add_response validates each reply against the model: do it once per reply,
        # then queue the validated entries as many times as there are calls.
        for i, reply in enumerate(replies):
            stubber.add_response(case.plan(i)[0], reply)
        entries = list(stubber._queue)
        stubber._queue.clear()
        stubber._queue.extend(entries[i % len(entries)] for i in range(calls))
        elapsed = timed(calls_of(client, case, range(calls)))
        stubber.assert_no_pending_responses()
    return elapsed / calls


def stubber_as_used_repeat(
    client: Any, case: Case, replies: Sequence[dict[str, Any]], calls: int
) -> float:
    """The Stubber as a test drives it: `add_response(method, reply)`, then the call.

    Context, not a target: what a test switching from the Stubber paid per call when
    it stubbed the full replies stubtags gives (a test that writes fewer members pays
    less, its check being smaller). No `expected_params`, whose comparison would only
    add to the Stubber's side. Not `timed`: each `add_response` sits between calls.
    """
    made = [
        (getattr(client, method), method, kwargs, replies[i % len(replies)])
        for i, (method, kwargs) in enumerate(map(case.plan, range(calls)))
    ]
    with Stubber(client) as stubber:
        add = stubber.add_response
        gc.disable()
        try:
            start = time.perf_counter_ns()
            for bound, method, kwargs, reply in made:
                add(method, reply)
                bound(**kwargs)
            elapsed = time.perf_counter_ns() - start
        finally:
            gc.enable()
        stubber.assert_no_pending_responses()
    return elapsed / calls


def copy_page(reply: dict[str, Any]) -> dict[str, Any]:
    """A new ListSecrets page with the same content, written out by hand for its shape:
    the least an engine does that hands each caller its own reply (the Stubber hands
    back the one it was given). Timestamps and strings are immutable: they are shared."""
    metadata = reply["ResponseMetadata"]
    return {
        "SecretList": [
            {
                **entry,
                "Tags": [{**tag} for tag in entry["Tags"]],
                "SecretVersionsToStages": {
                    version: [*stages]
                    for version, stages in entry["SecretVersionsToStages"].items()
                },
            }
            for entry in reply["SecretList"]
        ],
        "ResponseMetadata": {**metadata, "HTTPHeaders": {**metadata["HTTPHeaders"]}},
    }


def copy_repeat(replies: Sequence[dict[str, Any]], calls: int) -> float:
    """Per-call nanoseconds of `copy_page` of the replies, GC paused as for the engines."""
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for i in range(calls):
            copy_page(replies[i % len(replies)])
        return (time.perf_counter_ns() - start) / calls
    finally:
        gc.enable()


def moto_repeat(mock_aws: Callable[[], Any], case: Case, calls: int, warmup: int) -> float:
    with mock_aws():
        client = make_client()  # made inside: moto reaches only clients made while on
        case.setup(client)
        timed(calls_of(client, case, range(calls, calls + warmup)))
        return timed(calls_of(client, case, range(calls))) / calls


def find_moto() -> Callable[[], Any] | None:
    if importlib.util.find_spec("moto") is None:
        return None
    from moto import mock_aws

    return mock_aws


@dataclass
class Bench:
    """One operation's timing, prepared (replies, warm-up) and then run a round at a time."""

    client: Any
    case: Case
    sizes: Sizes
    mock_aws: Callable[[], Any] | None
    overhead: float = 0.0  # the clock's own reading (`service_work.clock_overhead`)
    replies: list[dict[str, Any]] = field(default_factory=list)
    costs: Costs = field(default_factory=Costs)

    def prepare(self) -> None:
        case, sizes = self.case, self.sizes
        if sizes.moto_cases is not None and case.label not in sizes.moto_cases:
            self.mock_aws = None
        self.sizes = sizes = replace(
            sizes,
            calls=max(2, sizes.calls // case.share // 2 * 2),
            moto_calls=max(2, sizes.moto_calls // case.share // 2 * 2),
        )
        self.replies = stubtags_replies(self.client, case)
        stubber_repeat(self.client, case, self.replies, sizes.warmup)
        stubber_as_used_repeat(self.client, case, self.replies, sizes.warmup)
        stubtags_repeat(self.client, case, sizes.warmup, sizes.warmup)
        service_repeat(self.client, case, sizes.warmup, sizes.warmup, self.overhead)
        if self.mock_aws is not None:
            try:
                moto_repeat(self.mock_aws, case, sizes.warmup, sizes.warmup)
                self.costs.moto = []
            except Exception:  # moto does not implement it: no comparison
                self.costs.moto = None

    def round(self) -> None:
        """One repeat of each engine, side by side."""
        case, sizes, costs = self.case, self.sizes, self.costs
        if case.label == PAGE_LABEL:
            costs.copy.append(copy_repeat(self.replies, sizes.calls))
        costs.stubber.append(stubber_repeat(self.client, case, self.replies, sizes.calls))
        costs.stubber_as_used.append(
            stubber_as_used_repeat(self.client, case, self.replies, sizes.calls)
        )
        costs.stubtags.append(stubtags_repeat(self.client, case, sizes.calls, sizes.warmup))
        costs.service.append(
            service_repeat(self.client, case, sizes.calls, sizes.warmup, self.overhead)
        )
        if costs.moto is not None and self.mock_aws is not None:
            costs.moto.append(moto_repeat(self.mock_aws, case, sizes.moto_calls, sizes.warmup))


def bench_cases(
    client: Any, cases: Sequence[Case], sizes: Sizes, mock_aws: Callable[[], Any] | None
) -> dict[str, Costs]:
    """Every case's costs, the repeats spread over the whole run: round r times every
    operation once. This machine's speed moves for seconds at a time; spread out, each
    operation's best repeat has the same chances as every other's."""
    overhead = clock_overhead()
    benches = [Bench(client, case, sizes, mock_aws, overhead) for case in cases]
    for bench in benches:
        bench.prepare()
    for _ in range(sizes.repeats):
        for bench in benches:
            bench.round()
    return {bench.case.label: bench.costs for bench in benches}


# --------------------------------------------------------------------------- section


def section(sizes: Sizes) -> tuple[list[Verdict], str]:
    """Every operation's figures and verdicts, and the README's per-operation table."""
    heading(TITLE)
    mock_aws = find_moto()
    print(
        f"  {sizes.calls} calls x {sizes.repeats} repeats per engine and operation "
        f"(moto {sizes.moto_calls}); time.perf_counter_ns, GC paused in the timed loop;\n"
        "  the Stubber hands back the reply stubtags gave for the same call."
    )
    client = make_client()  # one client for the Stubber and stubtags, as a test has
    results = bench_cases(client, CASES, sizes, mock_aws)
    rows = [
        [
            "operation",
            "Stubber us",
            "as used us",
            "stubtags us",
            "x Stubber",
            "x as used",
            "moto us",
            "added us",
            "service us",
            "x machinery",
            "moto added",
        ]
    ]
    md = [f"| {' | '.join(MARKDOWN_COLUMNS)} |", "|---" * len(MARKDOWN_COLUMNS) + "|"]
    for label, c in results.items():
        moto_text = us(min(c.moto)) if c.moto else "-"
        moto_added = c.moto_added()
        rows.append(
            [
                label,
                us(min(c.stubber)),
                us(min(c.stubber_as_used)),
                us(min(c.stubtags)),
                f"{c.ratio():.2f}",
                f"{c.ratio_used():.2f}",
                moto_text,
                us(c.added()),
                us(c.service_work()),
                f"{c.machinery_ratio():.2f}",
                us(moto_added) if moto_added is not None else "-",
            ]
        )
        md.append(
            f"| `{label}` | {min(c.stubber) / 1000:,.0f} µs | "
            f"{min(c.stubber_as_used) / 1000:,.0f} µs | "
            f"{min(c.stubtags) / 1000:,.0f} µs ({c.ratio():.2f}{X}) | "
            f"{c.service_work() / 1000:,.0f} µs | "
            f"{c.machinery() / 1000:,.0f} µs ({c.machinery_ratio():.2f}{X}) | "
            + (f"{min(c.moto) / 1000:,.0f} µs |" if c.moto else "not measured |")
        )
    table(rows)
    breakdown.report(CHUNKS_QUICK if sizes.calls < 100 else breakdown.CHUNKS)
    return verdicts(results, mock_aws is not None), "\n".join(md)
