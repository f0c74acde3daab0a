"""What permissions cost per call: the authorize and operate stages, with and without a
principal (the rest of a call — botocore's client-side work — doesn't change).

    PYTHONPATH=$PWD .venv/bin/python tests/benchmark_permissions.py

Rows: no principal ever registered (the fast path: must not move), a principal holding
a 10-statement policy asking the same question again (decisions remembered), and the
same principal when every call is a new question (`timeless` off: a full evaluation).
TagResource also runs the lock-out check. Minimum over repeats, in microseconds.
A script, not a test: the tests never assert on timings.
"""

from __future__ import annotations

import time
from typing import Any

from stubtags import Backend, mock_tags, pipeline
from stubtags.operations import OPERATIONS

REPEATS = 9
CALLS = 5000
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"


def ten_statements() -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {
            "Sid": f"Team{i}",
            "Effect": "Allow",
            "Action": ["secretsmanager:Describe*", f"kms:Op{i}"],
            "Resource": f"{ARN}team{i}/*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": f"t{i}"}},
        }
        for i in range(8)
    ]
    statements.append({"Effect": "Deny", "Action": "secretsmanager:DeleteSecret", "Resource": "*"})
    statements.append(
        {
            "Sid": "Abac",
            "Effect": "Allow",
            "Action": ["secretsmanager:TagResource", "secretsmanager:GetSecretValue"],
            "Resource": f"{ARN}bench-??????",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}},
        }
    )
    return {"Version": "2012-10-17", "Statement": statements}


class _Credentials:
    def __init__(self, key: str | None) -> None:
        self.access_key = key


class _Signer:
    def __init__(self, key: str | None) -> None:
        self._credentials = _Credentials(key)


def per_call(backend: Backend, key: str | None, operation: str, request: dict[str, Any]) -> float:
    answer = OPERATIONS[operation]
    signer = _Signer(key)
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(CALLS):
            call = pipeline.Call(operation, request, "us-east-1", "id", signer)
            pipeline.authorize(backend, call)
            backend.run(answer, call.request, call.region, call.account, call.gate)
        best = min(best, (time.perf_counter() - start) / CALLS * 1e6)
    return best


def main() -> None:
    tag = {"SecretId": "bench", "Tags": [{"Key": "k", "Value": "v"}]}
    get = {"SecretId": "bench"}
    with mock_tags() as backend:
        backend.create_secret("bench", tags={"team": "blue"}, secret_string="v")
        none_tag = per_call(backend, None, "TagResource", tag)
        none_get = per_call(backend, None, "GetSecretValue", get)
        principal = backend.principal(
            "arn:aws:iam::123456789012:user/bench",
            policies=[ten_statements()],
            tags={"team": "blue"},
        )
        key = principal.access_key
        warm = (
            per_call(backend, key, "TagResource", tag),
            per_call(backend, key, "GetSecretValue", get),
        )
        principal.timeless = False  # as if its policy read the clock: every call evaluated
        cold = (
            per_call(backend, key, "TagResource", tag),
            per_call(backend, key, "GetSecretValue", get),
        )
    print(f"{'per call (µs)':<44} {'TagResource':>12} {'GetSecretValue':>15}")
    print(f"{'no principal':<44} {none_tag:>12.1f} {none_get:>15.1f}")
    print(f"{'10-statement policy, question asked before':<44} {warm[0]:>12.1f} {warm[1]:>15.1f}")
    print(f"{'10-statement policy, every call evaluated':<44} {cold[0]:>12.1f} {cold[1]:>15.1f}")


if __name__ == "__main__":
    main()
