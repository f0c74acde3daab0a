"""What a caller with an identity policy adds per call (once permissions exist).

Skipped while `Backend` has no `principal` (the permissions issue): then every
call is allowed and nothing is evaluated.
"""

from __future__ import annotations

import statistics
from typing import Any

from stubtags import Backend, mock_tags
from tests.bench.common import Call, Sizes, Verdict, heading, make_client, timed, us

TITLE = "5. a principal with a 10-statement policy"
MAX_ADDED_US = 30.0
SECRET = "bench-secret"
ARN = "arn:aws:iam::123456789012:user/bench"
# Nine statements that do not decide these calls, then the one that allows them.
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": f"Other{n}",
            "Effect": "Allow",
            "Action": f"secretsmanager:{action}",
            "Resource": f"arn:aws:secretsmanager:*:123456789012:secret:team-{n}/*",
        }
        for n, action in enumerate(
            ["GetSecretValue", "PutSecretValue", "UpdateSecret", "DeleteSecret"] * 2
            + ["RestoreSecret"]
        )
    ]
    + [
        {
            "Sid": "Bench",
            "Effect": "Allow",
            "Action": ["secretsmanager:TagResource", "secretsmanager:DescribeSecret"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
        }
    ],
}


def calls_for(client: Any, count: int) -> list[Call]:
    tag = {"SecretId": SECRET, "Tags": [{"Key": "k", "Value": "v"}]}
    describe = {"SecretId": SECRET}
    return [
        (client.tag_resource, tag) if i & 1 == 0 else (client.describe_secret, describe)
        for i in range(count)
    ]


def section(sizes: Sizes) -> list[Verdict]:
    heading(TITLE)
    if not hasattr(Backend, "principal"):
        print("  skipped: this stubtags has no Backend.principal yet")
        return [Verdict("principal overhead", None, "no Backend.principal in this stubtags yet")]
    plain_ns: list[float] = []
    principal_ns: list[float] = []
    n = sizes.principal_calls
    with mock_tags() as backend:
        backend.create_secret(SECRET)
        handle: Any = backend  # `principal` comes with the permissions issue
        principal = handle.principal(ARN, policies=[POLICY])
        plain = make_client()
        acting = make_client(**principal.credentials)
        timed(calls_for(plain, sizes.warmup))
        timed(calls_for(acting, sizes.warmup))
        for _ in range(sizes.repeats):
            plain_ns.append(timed(calls_for(plain, n)) / n)
            principal_ns.append(timed(calls_for(acting, n)) / n)
    added = statistics.median(p - q for p, q in zip(principal_ns, plain_ns, strict=True))
    print(
        f"  tag_resource/describe_secret alternating, {n} calls x {sizes.repeats}: "
        f"{us(statistics.median(principal_ns))} us with the principal, "
        f"{us(statistics.median(plain_ns))} us without: {added / 1000:+.1f} us a call"
    )
    return [
        Verdict(
            "principal overhead",
            added <= MAX_ADDED_US * 1000,
            f"{added / 1000:+.1f} us a call (target <= +{MAX_ADDED_US:.0f} us)",
            (
                "a caller holding a 10-statement identity policy",
                f"**{added / 1000:+.1f} µs** a call",
                f"≤ +{MAX_ADDED_US:.0f} µs",
            ),
        )
    ]
