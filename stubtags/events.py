"""The call record: every intercepted call as a CloudTrail record, for tests to assert on.

Why it is built this way. Recording runs on every call, so the record stage only
appends one small tuple to a list, without taking a lock (the lock and the code
around it cost more than the append); letting the oldest records go, counting
them and building the CloudTrail-shaped dicts happen when someone reads the
record, under the lock, and the dicts are kept. Secret values never enter the
tuple: SecretString and SecretBinary are dropped from the request at record time,
an error message that echoes the value is masked, and a reply is kept only where
CloudTrail logs response elements (DeleteSecret, whose reply holds no value).

Fields follow "CloudTrail record contents", "CloudTrail userIdentity element" and
"Logging AWS Secrets Manager events with AWS CloudTrail"; the README's fidelity
table says which values are documented and which inferred.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from stubtags.service.identity import partition_of

if TYPE_CHECKING:
    from stubtags.pipeline import Call
    from stubtags.service.errors import ServiceError

DEFAULT_MAX_EVENTS = 10_000
# The call never leaves the process, so the client's address is this machine's;
# a loopback address also can't be mistaken for a real client by log tools.
SOURCE_IP = "127.0.0.1"
_KEEPS_REPLY = frozenset({"DeleteSecret"})
_READ_ONLY_PREFIXES = ("Describe", "Get", "List", "BatchGet")
_READ_ONLY = frozenset({"ValidateResourcePolicy"})
_TRAIL_CODES = {"AccessDeniedException": "AccessDenied"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SUFFIXED = re.compile(r"(.+)-[A-Za-z0-9]{6}")
_SECRET_KEYS = ("secretId", "name")
_SECRET_LISTS = ("secretIdList", "resourceARNList")

# (time, operation, region, request (a dict, or the body as sent when it holds no
#  secret value), request id, account, caller, access key,
#  user agent, event source, error code, error message, kept reply)
Raw = tuple[float, str, str, "dict[str, Any] | bytes", str, str, Any, Any, Any, str, Any, Any, Any]
_ACCOUNT = 5  # where a Raw holds the account that answered


def _limit(max_events: int) -> int:
    """How long the list may grow before a writer lets the oldest records go.

    The slack makes that a rare, locked step (once per ~1/8 of the buffer) instead of
    a step of every call; reads let go of the rest, so what they see is exact.
    """
    return max_events + max_events // 8 + 64


def check_max_events(value: object) -> int:
    """How many calls a record keeps: an int, 0 or more (0 keeps none, counts all)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"max_events must be an int, how many calls to keep (default "
            f"{DEFAULT_MAX_EVENTS}); got {type(value).__name__} {value!r}"
        )
    if value < 0:
        raise ValueError(f"max_events must be 0 or more; got {value}")
    return value


class EventLog:
    """Every call the mock answered, oldest first, as CloudTrail records (dicts).

    A ring buffer: past `max_events` the oldest records go, counted in `dropped`.
    Thread-safe. Reading builds each record once; don't mutate what you read.
    Records are in the order calls were recorded: calls of two threads at the same
    moment may show their eventTimes a few microseconds out of that order.
    """

    def __init__(self, max_events: int = DEFAULT_MAX_EVENTS) -> None:
        # Writers only append to `_raw`, unlocked (list.append is atomic); everything
        # else (reading, letting records go, clearing) holds the lock and changes `_raw`
        # in place, in steps that leave appends made meanwhile at its end.
        self._lock = threading.Lock()
        self._raw: list[Raw] = []
        self._max = check_max_events(max_events)
        self._limit = _limit(self._max)
        self._dropped = 0  # records let go since the log was made or cleared
        # id(raw) -> (raw, its record): holding the raw keeps its id from being reused.
        self._built: dict[int, tuple[Raw, dict[str, Any]]] = {}

    def record(
        self, account: str, call: Call, reply: dict[str, Any] | None, error: ServiceError | None
    ) -> None:
        """The record stage's whole cost on the hot path: one tuple, appended."""
        request: dict[str, Any] | bytes | None = call.body
        members = call.request
        if "SecretString" in members or "SecretBinary" in members:
            request = members.copy()  # the members but the value, in their order
            request.pop("SecretString", None)
            request.pop("SecretBinary", None)
        elif request is None:
            request = members
        # else: the body is one object, the decoded request a tree of them. Keeping the
        # tree for every call showed in the time of the calls that followed.
        caller = call.caller
        try:  # without a caller (the account's root user) the record names the client's key:
            # `Call.access_key`, read without a property call and getattr's generic lookups
            access_key = call.signer._credentials.access_key if caller is None else None
        except AttributeError:  # no signer (a call made without one) or no credentials
            access_key = None
        code = message = None
        if error is not None:
            code, message = _trail_error(error, members)
        operation = call.operation
        raw = self._raw
        raw.append(
            (
                time.time(),
                operation,
                call.region,
                request,
                call.request_id,
                account,
                caller,
                access_key,
                call.user_agent,
                call.event_source,
                code,
                message,
                # its own copy: the caller gets the reply itself (`fresh_reply`)
                reply.copy() if reply is not None and operation in _KEEPS_REPLY else None,
            )
        )
        if len(raw) > self._limit:
            with self._lock:
                self._let_go()

    def _let_go(self) -> list[Raw]:
        """Under the lock: drop (and count) the records past `max_events`; the rest.

        Writers only append meanwhile, so the oldest `excess` of the snapshot are the
        oldest of `_raw` still.
        """
        raws = self._raw.copy()
        excess = len(raws) - self._max
        if excess <= 0:
            return raws
        del self._raw[:excess]
        self._dropped += excess
        return raws[excess:]

    @property
    def max_events(self) -> int:
        return self._max

    @max_events.setter
    def max_events(self, value: int) -> None:
        """Resize; when shrinking, the newest records stay and the rest count as dropped."""
        size = check_max_events(value)
        with self._lock:
            self._let_go()  # what the old size let go stays gone, when growing too
            self._max = size
            self._limit = _limit(size)
            self._let_go()

    @property
    def dropped(self) -> int:
        """How many records the ring buffer let go since it was made or cleared."""
        with self._lock:
            self._let_go()
            return self._dropped

    def clear(self, account: str | None = None) -> None:
        """Forget every record, or only the calls one account answered (`reset()`).

        A full clear restarts `dropped` at 0; forgetting one account's calls leaves
        it as it was (those records were removed, not dropped).
        """
        with self._lock:
            if account is None:
                del self._raw[: len(self._raw)]
                self._built.clear()
                self._dropped = 0
                return
            raws = self._let_go()
            kept = [raw for raw in raws if raw[_ACCOUNT] != account]
            self._raw[: len(raws)] = kept  # one step: appends made meanwhile stay last
            for raw in raws:
                if raw[_ACCOUNT] == account:
                    self._built.pop(id(raw), None)

    def records(self) -> EventList:
        """A snapshot: the records kept now, oldest first."""
        with self._lock:
            raws = self._let_go()
            built = self._built
            kept: dict[int, tuple[Raw, dict[str, Any]]] = {}  # forgets the dropped ones
            out = []
            for raw in raws:
                found = built.get(id(raw))
                event = found[1] if found is not None else build(raw)
                kept[id(raw)] = (raw, event)
                out.append(event)
            self._built = kept
        return EventList(out)

    def __len__(self) -> int:
        return min(len(self._raw), self._max)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records())

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> EventList: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | EventList:
        return self.records()[index]

    def named(self, *names: str) -> EventList:
        return self.records().named(*names)

    def for_secret(self, secret_id: str) -> EventList:
        return self.records().for_secret(secret_id)

    def failed(self, code: str | None = None) -> EventList:
        return self.records().failed(code)

    def to_jsonl(self, path: str | Path) -> int:
        return self.records().to_jsonl(path)

    def __repr__(self) -> str:
        return (
            f"<stubtags events: {len(self)} recorded, {self.dropped} dropped, "
            f"max_events={self.max_events}>"
        )

    def _repr_html_(self) -> str:
        from stubtags.notebook import events_html

        return events_html(self.records(), self.dropped)


class EventList(list[dict[str, Any]]):
    """CloudTrail records, with the filters that read well in an assert."""

    @overload  # type: ignore[override]
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> EventList: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | EventList:
        if isinstance(index, slice):
            return EventList(super().__getitem__(index))
        return super().__getitem__(index)

    def named(self, *names: str) -> EventList:
        """The records of these operations (eventName), e.g. `named("TagResource")`."""
        return EventList(e for e in self if e["eventName"] in names)

    def for_secret(self, secret_id: str) -> EventList:
        """The records whose request names this secret, by name or (partial) ARN."""
        return EventList(e for e in self if _about(e, secret_id))

    def failed(self, code: str | None = None) -> EventList:
        """Failed calls; with `code`, those with that error (e.g. "ResourceNotFoundException")."""
        wanted = None if code is None else _TRAIL_CODES.get(code, code)
        return EventList(e for e in self if "errorCode" in e and wanted in (None, e["errorCode"]))

    def to_jsonl(self, path: str | Path) -> int:
        """Write one JSON record per line (CloudTrail's own field names); returns the count."""
        with Path(path).open("w", encoding="utf-8") as out:
            for event in self:
                out.write(json.dumps(event, default=str) + "\n")
        return len(self)

    def _repr_html_(self) -> str:
        from stubtags.notebook import events_html

        return events_html(self, None)


# -- building a record from its tuple: only when someone reads it -------------------


def build(raw: Raw) -> dict[str, Any]:
    (when, operation, region, request, request_id, account, caller, access_key) = raw[:8]
    if isinstance(request, bytes):  # a request with no secret value, kept as sent
        request = json.loads(request)
    agent, source, code, message, reply = raw[8:]
    event: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": user_identity(caller, account, region, access_key, when),
        "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
        "eventSource": source,
        "eventName": operation,
        "awsRegion": region,
        "sourceIPAddress": SOURCE_IP,
        "userAgent": agent,
    }
    if code is not None:
        event["errorCode"] = code
        event["errorMessage"] = message
    event["requestParameters"] = lower_first(request) or None
    event["responseElements"] = _response_elements(operation, reply)
    event["requestID"] = request_id
    event["eventID"] = str(uuid.uuid4())
    event["readOnly"] = operation.startswith(_READ_ONLY_PREFIXES) or operation in _READ_ONLY
    event["eventType"] = "AwsApiCall"
    event["managementEvent"] = True
    event["recipientAccountId"] = account
    event["eventCategory"] = "Management"
    return event


def lower_first(value: Any) -> Any:
    """Member names as CloudTrail writes them: `SecretId` -> `secretId`, nested too."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: lower_first(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_first(v) for v in value]
    return value


def user_identity(
    caller: Any, account: str, region: str, access_key: str | None, when: float
) -> dict[str, Any]:
    """The caller's userIdentity element; without a caller, the account's root user."""
    partition = partition_of(region)
    kind = getattr(caller, "kind", "Root") if caller is not None else "Root"
    owner = getattr(caller, "account_id", None) or account
    arn = getattr(caller, "arn", None)
    if caller is not None:
        access_key = getattr(caller, "access_key", None)
    identity: dict[str, Any] = {"type": kind}
    if kind == "Root":
        identity.update(principalId=owner, arn=arn or f"arn:{partition}:iam::{owner}:root")
    elif kind == "AssumedRole":
        role_arn = str(getattr(caller, "role_arn", ""))
        role_id = getattr(caller, "role_id", None) or _unique_id("AROA", role_arn)
        session = getattr(caller, "session_name", None) or str(arn).rsplit("/", 1)[-1]
        identity.update(principalId=f"{role_id}:{session}", arn=arn)
    else:
        principal = getattr(caller, "principal_id", None) or _unique_id("AIDA", str(arn))
        identity.update(principalId=principal, arn=arn)
    identity["accountId"] = owner
    if access_key:
        identity["accessKeyId"] = access_key
    if kind == "IAMUser":
        identity["userName"] = getattr(caller, "name", None) or str(arn).rsplit("/", 1)[-1]
    elif kind == "AssumedRole":
        identity["sessionContext"] = {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": role_arn,
                "accountId": owner,
                "userName": role_arn.rsplit("/", 1)[-1],
            },
            "attributes": {
                "creationDate": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
                "mfaAuthenticated": "false",
            },
        }
    return identity


def _unique_id(prefix: str, arn: str) -> str:
    """An IAM-style unique id (AIDA.../AROA..., 21 characters), stable for an ARN."""
    digest = base64.b32encode(hashlib.sha256(arn.encode()).digest()).decode()
    return prefix + digest[:17]


def _trail_error(error: ServiceError, request: dict[str, Any]) -> tuple[str, str]:
    """errorCode and errorMessage; a message that quotes the secret value is masked."""
    message = error.message
    value = request.get("SecretString")
    if isinstance(value, str) and value and value in message:
        message = message.replace(value, "***")
    return _TRAIL_CODES.get(error.code, error.code), message


def _response_elements(operation: str, reply: dict[str, Any] | None) -> dict[str, Any] | None:
    """DeleteSecret's are documented (`arn`, not the pre-2024 `aRN`); others: null."""
    if operation != "DeleteSecret" or not reply:
        return None
    date = reply.get("DeletionDate")  # epoch seconds; a canned reply may hold a datetime
    if isinstance(date, datetime):
        date = date.timestamp()
    return {
        "name": reply.get("Name"),
        "deletionDate": _java_date(date) if isinstance(date, (int, float)) else date,
        "arn": reply.get("ARN"),
    }


def _java_date(when: float) -> str:
    """The documented example's form, 'May 3, 2018 5:51:02 PM' (UTC), locale-free."""
    t = time.gmtime(when)
    hour = t.tm_hour % 12 or 12
    noon = "PM" if t.tm_hour >= 12 else "AM"
    day = f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday}, {t.tm_year}"
    return f"{day} {hour}:{t.tm_min:02}:{t.tm_sec:02} {noon}"


def secret_ids(event: dict[str, Any]) -> list[str]:
    """The secrets an event's request names (SecretId, Name, SecretIdList, ARN lists)."""
    params = event.get("requestParameters") or {}
    found = [params[k] for k in _SECRET_KEYS if isinstance(params.get(k), str)]
    for key in _SECRET_LISTS:
        found.extend(x for x in params.get(key) or () if isinstance(x, str))
    return found


def _names(secret_id: str) -> tuple[str | None, set[str]]:
    """(the region an ARN names or None, the names the id can stand for)."""
    parts = secret_id.split(":", 6)
    if not secret_id.startswith("arn:") or len(parts) != 7:
        return None, {secret_id}
    names = {parts[6]}
    full = _SUFFIXED.fullmatch(parts[6])
    if full is not None:
        names.add(full.group(1))
    return parts[3], names


def _about(event: dict[str, Any], secret_id: str) -> bool:
    want_region, wanted = _names(secret_id)
    for named in secret_ids(event):
        if named == secret_id:
            return True
        region, names = _names(named)
        if want_region is not None and (region or event["awsRegion"]) != want_region:
            continue
        if names & wanted:
            return True
    return False
