"""What one outermost mock holds: shared by every mock nested in it, dropped when it stops.

The service's secrets are one part (`Store`); what stubtags keeps beside the
service (callers, the call record, canned replies, rotation functions, …) hangs
here too, so nested mocks share all of it and `Backend.reset()` has one place to clear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stubtags.events import EventLog
from stubtags.faults import CannedReplies
from stubtags.records import record_repr
from stubtags.service.store import Store

if TYPE_CHECKING:
    from stubtags.access import Access
    from stubtags.lambdas import Handler


class MockState:
    """Everything nested mocks share, so one `reset()` or stop has one place to look.

    Written out, not a dataclass: that cost 0.6 ms at every import (`stubtags.records`).
    Equal only to itself; its repr is a dataclass's.
    """

    def __init__(
        self,
        store: Store | None = None,
        replies: CannedReplies | None = None,
        lambdas: dict[str, Handler] | None = None,
        events: EventLog | None = None,
        access: Access | None = None,
    ) -> None:
        self.store = Store() if store is None else store
        self.replies = CannedReplies() if replies is None else replies  # respond / fail
        # Rotation functions by Lambda ARN (`Backend.register_lambda`): like deployed
        # functions, they are set-up, not secrets, so `Backend.reset()` keeps them.
        self.lambdas: dict[str, Handler] = {} if lambdas is None else lambdas
        self.events = EventLog() if events is None else events  # the call record
        # Registered principals (`stubtags.access`): None until the first is registered,
        # which is what lets the authorize stage return at once without permissions.
        self.access = access

    def __repr__(self) -> str:
        return record_repr(self, ("store", "replies", "lambdas", "events", "access"))
