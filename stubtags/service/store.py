"""The in-memory state: every secret of every account and region, behind one lock.

One re-entrant lock serialises all operations. Each call is a few microseconds of
dict work, so a finer scheme would buy nothing measurable and would make rules
such as "check the 50-tag limit, then write" racy; with one lock they are atomic.

Time passes: a secret whose scheduled deletion has ended is gone. Nothing runs in
the background; each region keeps a min-heap of its deletion dates and drops the
due ones when it is next looked at, so the check costs one comparison per call.
The clock is `time.time()`, read through the module, so time-machine and
freezegun move it.
"""

from __future__ import annotations

import copy
import heapq
import itertools
import threading
import time
from collections.abc import Iterator

from stubtags.records import record_eq, record_repr
from stubtags.service.errors import (
    MARKED_FOR_DELETION,
    REPLICA_OPERATION,
    InvalidParameterException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from stubtags.service.gate import OPEN, Gate
from stubtags.service.identity import new_arn, parse_secret_id, partition_of
from stubtags.service.listing.orders import Orders
from stubtags.service.model import Secret

RegionKey = tuple[str, str]  # (account, region)
# A region's deletion heap is never compacted below this many entries (`schedule_purge`).
_COMPACT_FROM = 64


class RegionSecrets(dict[str, Secret]):
    """One region's secrets by name, in creation order, with their sorted `orders`."""

    def __init__(self) -> None:
        super().__init__()
        self.orders = Orders()


class Store:
    """All secrets, keyed by account, region and name; names keep creation order."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._regions: dict[RegionKey, RegionSecrets] = {}
        self._views: dict[RegionKey, AccountRegion] = {}
        self._seq = itertools.count()

    def account_region(self, account: str, region: str) -> AccountRegion:
        """The view of one account's region (cached: it is asked for on every call).

        Secrets whose deletion date has passed are dropped first, so no caller sees them.
        """
        view = self._views.get((account, region))
        if view is None:
            view = self._views[(account, region)] = AccountRegion(self, account, region)
        due = view._due  # the earliest first: a call only when a deletion fell due
        if due and due[0][0] <= (now := time.time()):
            view.purge_due(now)
        return view

    def secrets_of(self, account: str, region: str) -> RegionSecrets:
        """The live mapping name -> secret of one region, in creation order."""
        key = (account, region)
        found = self._regions.get(key)
        if found is None:
            found = self._regions[key] = RegionSecrets()
        return found

    def next_seq(self) -> int:
        return next(self._seq)

    def all_secrets(self) -> Iterator[Secret]:
        for secrets in self._regions.values():
            yield from secrets.values()

    def secrets_of_account(self, account: str) -> Iterator[Secret]:
        for (owner, _), secrets in self._regions.items():
            if owner == account:
                yield from secrets.values()

    def clear(self) -> None:
        with self.lock:
            self._regions.clear()
            self._views.clear()

    def clear_account(self, account: str) -> None:
        """Forget one account's secrets in every region; other accounts keep theirs."""
        with self.lock:
            for key in [key for key in self._regions if key[0] == account]:
                del self._regions[key]
                self._views.pop(key, None)

    def snapshot(self) -> Snapshot:
        with self.lock:
            return Snapshot(copy.deepcopy(self._regions))

    def restore(self, snapshot: Snapshot) -> None:
        with self.lock:
            self._regions = copy.deepcopy(snapshot.regions)
            self._views.clear()
            seqs = [s.seq for s in self.all_secrets()]
            self._seq = itertools.count(max(seqs, default=-1) + 1)


class Snapshot:
    """A deep copy of the whole state, taken by `Backend.snapshot()`.

    Compared with `==` and shown as `Snapshot(regions={...})`, as the frozen dataclass
    it was; `regions` is read-only. Written out because the dataclass cost 1.1 ms at
    every import of stubtags (`stubtags.records`).
    """

    __slots__ = ("_regions",)

    def __init__(self, regions: dict[RegionKey, RegionSecrets]) -> None:
        self._regions = regions

    @property
    def regions(self) -> dict[RegionKey, RegionSecrets]:
        return self._regions

    def __eq__(self, other: object) -> bool:
        return record_eq(self, other, ("regions",))

    def __repr__(self) -> str:
        return record_repr(self, ("regions",))


class AccountRegion:
    """One account's secrets in one region: where a client's request lands.

    `gate` is what the caller may do, for the checks an operation makes itself
    (`service.gate`): `OPEN` on the cached views; a call with permissions in play gets
    a view of its own carrying the caller's gate.
    """

    __slots__ = ("_due", "account", "gate", "name", "partition", "secrets", "store")

    def __init__(self, store: Store, account: str, region: str, gate: Gate = OPEN) -> None:
        self.store = store
        self.gate = gate
        self.account = account
        self.name = region
        self.partition = partition_of(region)
        self.secrets = store.secrets_of(account, region)
        # (deletion date, seq, name) of scheduled deletions; entries of secrets since
        # restored or force-deleted stay until they surface, and are then ignored.
        self._due: list[tuple[float, int, str]] = [
            (s.purge_at, s.seq, s.name) for s in self.secrets.values() if s.purge_at is not None
        ]
        heapq.heapify(self._due)

    def schedule_purge(self, secret: Secret) -> None:
        """Remember when a scheduled deletion ends (`secret.purge_at`)."""
        if secret.purge_at is not None:
            due = self._due
            heapq.heappush(due, (secret.purge_at, secret.seq, secret.name))
            # Each delete then restore leaves an entry that surfaces only when its date
            # comes, weeks ahead: past twice the region's secrets (one live entry each at
            # most), the stale ones go, so a suite deleting and restoring in a loop
            # keeps a bounded heap. Amortised: a pass per that many schedules.
            if len(due) > _COMPACT_FROM and len(due) > 2 * len(self.secrets):
                # dict.fromkeys: in frozen time each cycle pushes the same entry again.
                due[:] = [e for e in dict.fromkeys(due) if self._scheduled(e) is not None]
                heapq.heapify(due)  # in place: `gated` views share the list

    def purge_due(self, now: float) -> None:
        """Drop the secrets whose deletion date is not after `now`: their names are free."""
        due = self._due
        while due and due[0][0] <= now:
            secret = self._scheduled(heapq.heappop(due))
            if secret is not None:
                self.remove(secret)

    def _scheduled(self, entry: tuple[float, int, str]) -> Secret | None:
        """The secret a heap entry still stands for: not restored, force-deleted or
        replaced under its name since."""
        when, seq, name = entry
        secret = self.secrets.get(name)
        if secret is not None and secret.seq == seq and secret.purge_at == when:
            return secret
        return None

    def gated(self, gate: Gate) -> AccountRegion:
        """The same view carrying a caller's gate: one call's own view."""
        view = AccountRegion.__new__(AccountRegion)
        view.store, view.account, view.name = self.store, self.account, self.name
        view.partition, view.secrets, view.gate = self.partition, self.secrets, gate
        view._due = self._due  # the same heap: a purge scheduled through it is the region's
        return view

    def find(self, secret_id: str) -> Secret:
        """Resolve a name, full ARN or partial ARN, or raise ResourceNotFoundException."""
        found = self.secrets.get(secret_id)
        if found is not None:
            return found  # the name of an existing secret: valid by construction
        ref = parse_secret_id(secret_id, self.partition, self.name, self.account)
        if ref.foreign:
            raise ResourceNotFoundException()
        if ref.name is not None:
            found = self.secrets.get(ref.name)
        elif ref.partial_name is not None:
            found = self.secrets.get(ref.partial_name)
        else:
            name = (ref.arn or "").split(":", 6)[6].rsplit("-", 1)[0]
            found = self.secrets.get(name)
            if found is not None and found.arn != ref.arn:
                found = None
        if found is None:
            raise ResourceNotFoundException()
        return found

    def find_active(self, secret_id: str) -> Secret:
        """Like `find`, refusing a secret that is scheduled for deletion."""
        secret = self.secrets.get(secret_id)  # `find`'s first step, without a call
        if secret is None:
            secret = self.find(secret_id)
        if secret.deleted_date is not None:  # scheduled for deletion
            raise InvalidRequestException(MARKED_FOR_DELETION)
        return secret

    def find_mutable(self, secret_id: str) -> Secret:
        """Like `find_active`, refusing a replica: it changes only through its primary."""
        secret = self.secrets.get(secret_id)  # `find`'s first step, without a call
        if secret is None:
            secret = self.find(secret_id)
        if secret.deleted_date is not None:  # scheduled for deletion
            raise InvalidRequestException(MARKED_FOR_DELETION)
        if secret.is_replica:
            raise InvalidParameterException(REPLICA_OPERATION)
        return secret

    def create(
        self,
        name: str,
        now: float,
        description: str | None = None,
        kms_key_id: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> Secret:
        """A new secret under `name`, which no secret of the region has: the service has
        looked (`service.secrets.create_secret`, whose rules say what a taken name means)."""
        orders = self.secrets.orders
        # Positional: a class called with keywords packs them in a dict, then unpacks it.
        secret = Secret(
            new_arn(self.partition, self.name, self.account, name),  # arn
            name,
            self.account,
            self.name,  # region
            now,  # created
            next(self.store._seq),  # seq: `Store.next_seq`, without a call
            now,  # last_changed
            description,
            kms_key_id,
            tags,
        )
        secret.orders = orders
        self.secrets[name] = secret  # `add_new`, without a call
        orders.add_new(secret)
        return secret

    def add_new(self, secret: Secret) -> None:
        """Put a new secret in the region under its name and in the region's sorted orders:
        one `Orders.add_new` may place (the store's newest seq, created and last changed
        at the same moment, never accessed: a new replica)."""
        secrets = self.secrets
        secrets[secret.name] = secret
        secrets.orders.add_new(secret)
        secret.orders = secrets.orders

    def replace(self, old: Secret, new: Secret) -> None:
        """Put `new` where `old` was, keeping its place in the region's creation order."""
        self.secrets.orders.discard(old)
        old.orders = None
        self.secrets[new.name] = new
        self.secrets.orders.add(new)
        new.orders = self.secrets.orders

    def remove(self, secret: Secret) -> None:
        if self.secrets.get(secret.name) is secret:
            del self.secrets[secret.name]
            self.secrets.orders.discard(secret)
            secret.orders = None
