"""What one outermost mock holds: shared by every mock nested in it, dropped when it stops.

The service's secrets are one part (`Store`); what stubtags keeps beside the
service (callers, the call record, canned replies, rotation functions, …) hangs
here too, so nested mocks share all of it and `Backend.reset()` has one place to clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stubtags.events import EventLog
from stubtags.faults import CannedReplies
from stubtags.service.store import Store

if TYPE_CHECKING:
    from stubtags.access import Access
    from stubtags.lambdas import Handler


@dataclass(eq=False)
class MockState:
    """Everything nested mocks share, so one `reset()` or stop has one place to look."""

    store: Store = field(default_factory=Store)
    replies: CannedReplies = field(default_factory=CannedReplies)  # Backend.respond / fail
    # Rotation functions by Lambda ARN (`Backend.register_lambda`): like deployed
    # functions, they are set-up, not secrets, so `Backend.reset()` keeps them.
    lambdas: dict[str, Handler] = field(default_factory=dict)
    events: EventLog = field(default_factory=EventLog)  # the call record
    # Registered principals (`stubtags.access`): None until the first is registered,
    # which is what lets the authorize stage return at once without permissions.
    access: Access | None = None
