"""The one error of the evaluator: a policy document it cannot accept.

A `ValueError`, so callers that only know "bad input" can catch it; the `path` says
where in the document the problem is, for messages a test author can act on.
"""

from __future__ import annotations


class PolicyError(ValueError):
    """A policy document is malformed: raised at parse time, never while evaluating."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem
