"""The AWS APIs stubtags answers, and what each needs to be answered.

Two APIs reach the same secrets: Secrets Manager itself, and the Resource Groups
Tagging API (tagging many resources at once, finding them by tag). Interception hooks
a client whose botocore service name is a key of `SERVICES`; the pipeline answers its
calls from that entry's operations and stamps the call with its CloudTrail source.
Adding an API is adding a row here: nothing else branches on the service.
"""

from __future__ import annotations

from collections.abc import Mapping

from stubtags.operations import OPERATIONS, TAGGING_API_OPERATIONS, Operation


class AnsweredService:
    """One API stubtags answers: the two instances below, never changed.

    Not a frozen dataclass: that cost 1.0 ms at every import (`stubtags.records`), for
    `==` and a hash that nothing uses (each service is one object).
    """

    __slots__ = ("event", "event_source", "name", "operations", "title")

    def __init__(
        self,
        name: str,
        title: str,
        event: str,
        operations: Mapping[str, Operation],
        event_source: str,
    ) -> None:
        self.name = name  # botocore's service name: boto3.client(name)
        self.title = title  # how messages name it
        # botocore emits `before-call.<hyphenated service id>.<Operation>`: this prefix
        # covers every operation of the service.
        self.event = event
        self.operations = operations
        self.event_source = event_source  # CloudTrail's eventSource of its calls

    @property
    def service_id(self) -> str:
        """botocore's hyphenated service id, as its event names carry it."""
        return self.event.removeprefix("before-call.")

    def __repr__(self) -> str:
        return f"<AnsweredService {self.name}>"


SECRETS_MANAGER = AnsweredService(
    name="secretsmanager",
    title="Secrets Manager",
    event="before-call.secrets-manager",
    operations=OPERATIONS,
    event_source="secretsmanager.amazonaws.com",
)
TAGGING_API = AnsweredService(
    name="resourcegroupstaggingapi",
    title="Resource Groups Tagging API",
    event="before-call.resource-groups-tagging-api",
    operations=TAGGING_API_OPERATIONS,
    event_source="tagging.amazonaws.com",
)

SERVICES: dict[str, AnsweredService] = {s.name: s for s in (SECRETS_MANAGER, TAGGING_API)}

__all__ = ["SECRETS_MANAGER", "SERVICES", "TAGGING_API", "AnsweredService"]
