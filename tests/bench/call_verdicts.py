"""Section 1's verdicts: each engine's per-call figures against the targets.

The per-call target as issue #10 states it (every operation's full cost within 1.15x
the Stubber floor) is judged and reported as measured. Beside it, the restated target
(`machinery_verdict`): the floor does no service work, so stubtags' machinery is held
to the line on its own, and the full cost is bounded at the median and for each
operation. It is a diagnostic, not the target met: it credits whatever `Backend.run`
costs in a call as the service's work, and its per-operation bound on the full cost
is looser than anything measured (README, "What misses, and why").
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from stubtags import Backend
from tests.bench.common import Verdict, X, us

MAX_RATIO = 1.15  # per call, vs the floor: the stated target, and the machinery's
MAX_MACHINERY_MEDIAN = 1.10  # the machinery at the median of the operations
MAX_FULL_EACH = 1.25  # the full cost of any one operation
MAX_PAGE_RATIO = 1.5
MIN_ADDED_RATIO = 25.0
PAGE_LABEL = "list_secrets, page of 100"


@dataclass
class Costs:
    """Per-call nanoseconds of each repeat, per engine."""

    stubber: list[float] = field(default_factory=list)
    stubber_as_used: list[float] = field(default_factory=list)  # add_response per call
    stubtags: list[float] = field(default_factory=list)
    moto: list[float] | None = None
    copy: list[float] = field(default_factory=list)  # copying the reply's containers
    service: list[float] = field(default_factory=list)  # in Backend.run (`service_work`)

    def ratio(self) -> float:
        return min(self.stubtags) / min(self.stubber)

    def ratio_used(self) -> float:
        """Against the Stubber as a test uses it (`stubber_as_used_repeat`)."""
        return min(self.stubtags) / min(self.stubber_as_used)

    def added(self) -> float:
        return min(self.stubtags) - min(self.stubber)

    def service_work(self) -> float:
        """The service's own work in a call (`service_work`), its best repeat."""
        return min(self.service)

    def machinery(self) -> float:
        """stubtags' cost without the service's own work: what it adds as a mock."""
        return min(self.stubtags) - self.service_work()

    def machinery_ratio(self) -> float:
        return self.machinery() / min(self.stubber)

    def moto_added(self) -> float | None:
        if not self.moto:
            return None
        return min(self.moto) - min(self.stubber)


def verdicts(results: dict[str, Costs], moto_installed: bool) -> list[Verdict]:
    ops = {label: c for label, c in results.items() if label != PAGE_LABEL}
    ratios = {label: c.ratio() for label, c in ops.items()}
    worst = max(ratios, key=ratios.__getitem__)
    missed = [f"{label} {r:.2f}x" for label, r in ratios.items() if r > MAX_RATIO]
    ops_detail = (
        f"worst {worst} {ratios[worst]:.2f} x, median {statistics.median(ratios.values()):.2f} x "
        f"over {len(ratios)} operations; over target: {', '.join(missed) or 'none'} "
        f"(target <= {MAX_RATIO:.2f} x)"
    )
    out = [
        Verdict(
            "every operation vs Stubber",
            not missed,
            ops_detail,
            (
                "every operation per call vs botocore's Stubber, same reply",
                f"median {statistics.median(ratios.values()):.2f}{X}, worst {ratios[worst]:.2f}{X} "
                f"(`{worst}`)" + (f"; over: {', '.join(missed)}" if missed else ""),
                f"≤ {MAX_RATIO}{X}",
            ),
        ),
    ]
    restated = machinery_verdict(ops)
    out.append(restated)
    page = results[PAGE_LABEL]
    page_ratio = page.ratio()
    floor = min(page.stubber)
    copy = min(page.copy)
    # What 1.5x can mean for an engine that builds the reply: the floor plus copying
    # the reply once. (1.5x of the bare floor leaves less than that copy costs.)
    page_defended = min(page.stubtags) / (floor + copy)
    out.append(
        Verdict(
            "list_secrets page vs Stubber",
            page_ratio <= MAX_PAGE_RATIO,
            f"stubtags {us(min(page.stubtags))} us = {page_ratio:.2f} x Stubber "
            f"{us(floor)} us (target <= {MAX_PAGE_RATIO} x); a hand-written copy of the "
            f"reply alone costs {us(copy)} us = {copy / floor:.2f} x the floor",
            (
                "`list_secrets`, one page of 100, vs Stubber",
                f"{min(page.stubtags) / 1000:,.0f} µs vs {floor / 1000:,.0f} µs: "
                f"**{page_ratio:.2f}{X}**; a hand-written copy of the reply alone costs "
                f"{copy / 1000:,.0f} µs ({copy / floor:.2f}{X} the floor)",
                f"≤ {MAX_PAGE_RATIO}{X}",
            ),
        )
    )
    out.append(
        Verdict(
            "list_secrets page vs Stubber + one copy",
            page_defended <= MAX_PAGE_RATIO,
            f"{page_defended:.2f} x (the Stubber's time plus copying its reply once; "
            f"target <= {MAX_PAGE_RATIO} x)",
            (
                "`list_secrets`, one page of 100, vs Stubber plus one copy of its reply "
                "(the defended target)",
                f"**{page_defended:.2f}{X}**",
                f"≤ {MAX_PAGE_RATIO}{X}",
            ),
        )
    )
    # Summed over the single calls; the page has its own target, and its 100 entries
    # would outweigh every other operation together.
    both = [c for label, c in results.items() if c.moto and label != PAGE_LABEL]
    if not moto_installed or not both:
        out.append(Verdict("added cost vs moto", None, "moto is not installed"))
    else:
        ours = sum(c.added() for c in both)
        theirs = sum(c.moto_added() or 0.0 for c in both)
        times = theirs / ours if ours > 0 else float("inf")
        page_times = ""
        if page.moto and page.added() > 0:
            page_times = f"; page of 100: {(page.moto_added() or 0.0) / page.added():.1f} x less"
        out.append(
            Verdict(
                "added cost vs moto",
                times >= MIN_ADDED_RATIO,
                f"over the Stubber floor, summed over {len(both)} operations: stubtags adds "
                f"{us(ours)} us, moto {us(theirs)} us: {times:.1f} x less{page_times} "
                f"(target >= {MIN_ADDED_RATIO:.0f} x)",
                (
                    "cost added over botocore's own work, stubtags vs moto "
                    f"(summed over {len(both)} operations, one call each)",
                    f"{ours / 1000:,.0f} µs vs {theirs / 1000:,.0f} µs: "
                    f"**{times:.1f}{X} less**" + page_times.replace(" x", X),
                    f"≥ {MIN_ADDED_RATIO:.0f}{X} less",
                ),
            )
        )
    if hasattr(Backend, "events"):
        out.append(
            Verdict(
                "call record on",
                not missed,
                "the call record is always on: the figures above include it; " + ops_detail,
            )
        )
        # Issue #11 holds the recorded calls to the per-call target: as restated too.
        out.append(
            Verdict(
                "call record on (restated)",
                restated.passed,
                "the call record is always on: the restated target's figures include it; "
                + restated.detail,
            )
        )
    else:
        for target in ("call record on", "call record on (restated)"):
            out.append(Verdict(target, None, "no call record in this stubtags yet"))
    return out


def machinery_verdict(ops: dict[str, Costs]) -> Verdict:
    """The restated per-call target, four limits together:

    * every operation's machinery (its cost less the service's own work) within 1.15x
      the floor, the line the issue draws, held where a mock can be held to it;
    * the machinery within 1.10x at the median of the operations;
    * the full cost within 1.15x at the median;
    * the full cost of every operation within 1.25x: the service's work is not free
      of limits either.
    """
    machinery = {label: c.machinery_ratio() for label, c in ops.items()}
    full = {label: c.ratio() for label, c in ops.items()}
    worst = max(machinery, key=machinery.__getitem__)
    worst_full = max(full, key=full.__getitem__)
    machinery_median = statistics.median(machinery.values())
    full_median = statistics.median(full.values())
    over = [f"machinery of {label} {r:.2f}x" for label, r in machinery.items() if r > MAX_RATIO]
    over_full = [f"{label} {r:.2f}x" for label, r in full.items() if r > MAX_FULL_EACH]
    passed = (
        not over
        and machinery_median <= MAX_MACHINERY_MEDIAN
        and full_median <= MAX_RATIO
        and not over_full
    )
    service = {label: c.service_work() for label, c in ops.items()}
    most = max(service, key=service.__getitem__)
    missed = ", ".join(over + over_full)
    return Verdict(
        "every operation's machinery vs Stubber (restated)",
        passed,
        f"machinery (cost less the service's work): worst {worst} {machinery[worst]:.2f} x "
        f"(target <= {MAX_RATIO:.2f} x), median {machinery_median:.2f} x "
        f"(<= {MAX_MACHINERY_MEDIAN:.2f} x); full cost: median {full_median:.2f} x "
        f"(<= {MAX_RATIO:.2f} x), worst {worst_full} {full[worst_full]:.2f} x "
        f"(<= {MAX_FULL_EACH:.2f} x); over: {missed or 'none'}; "
        f"service work up to {us(service[most])} us ({most})",
        (
            "every operation per call: its machinery (the cost less the service's own "
            "work), each and at the median; its full cost at the median and the worst "
            "(the restated target)",
            f"machinery worst {machinery[worst]:.2f}{X} (`{worst}`), median "
            f"{machinery_median:.2f}{X}; full cost median {full_median:.2f}{X}, worst "
            f"{full[worst_full]:.2f}{X} (`{worst_full}`)" + (f"; over: {missed}" if missed else ""),
            f"machinery ≤ {MAX_RATIO}{X} each, ≤ {MAX_MACHINERY_MEDIAN:.2f}{X} median; "
            f"full ≤ {MAX_RATIO}{X} median, ≤ {MAX_FULL_EACH}{X} each",
        ),
    )
