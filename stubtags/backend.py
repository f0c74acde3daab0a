"""The backend handle: what `with mock_tags() as backend` gives a test.

It answers intercepted calls (`invoke`) and lets a test set up and inspect state
without boto3: seed secrets, read tags, attach system tags, snapshot and restore,
queue canned replies and errors. A handle is bound to one account; nested mocks
share one `MockState`. Methods stay thin: seeding lives in `stubtags.seeding`,
canned replies in `stubtags.canned`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from stubtags.aws_config import default_region
from stubtags.errors import SecretNotFoundError, UnsupportedOperationError
from stubtags.operations import OPERATIONS
from stubtags.operations.common import Unlocked, describe
from stubtags.service.errors import ResourceNotFoundException
from stubtags.state import MockState

# Seeding, canned replies, rotation, the notebook views and boto3's shapes are
# imported by the methods that use them: a test pays for what it calls (issue #10).
if TYPE_CHECKING:
    from stubtags.access import Access, Principal
    from stubtags.canned import CannedReply
    from stubtags.events import EventLog
    from stubtags.iam import Decision
    from stubtags.lambdas import Handler
    from stubtags.operations import Operation
    from stubtags.operations.common import Params, Reply
    from stubtags.seeding import TagsArg
    from stubtags.service.gate import Gate
    from stubtags.service.model import Secret
    from stubtags.service.store import AccountRegion, Snapshot
    from stubtags.shapes import SecretDescription

DEFAULT_ACCOUNT = "123456789012"


class Backend:
    """In-memory Secrets Manager state as one account sees it."""

    def __init__(
        self,
        state: MockState | None = None,
        account_id: str = DEFAULT_ACCOUNT,
        region: str | None = None,
    ) -> None:
        self.state = state if state is not None else MockState()
        self.store = self.state.store
        self.account_id = account_id
        self.region = region  # where methods look when given no region; None: botocore's default

    # -- answering intercepted calls -------------------------------------------------

    def invoke(self, operation: str, params: Params, region: str) -> Reply | None:
        """Run one API operation by name as the service would for a client in `region`."""
        handler = OPERATIONS.get(operation)
        if handler is None:
            raise UnsupportedOperationError(operation, list(OPERATIONS))
        return self.run(handler, params, region)

    def run(
        self,
        operation: Operation,
        params: Params,
        region: str,
        account: str | None = None,
        gate: Gate | None = None,
    ) -> Reply | None:
        """Run one operation against an account's state in `region`, atomically.

        `account` defaults to this handle's; `gate` is the caller's (`service.gate`).
        An operation that calls the test's code returns `Unlocked`: its remainder runs
        here with the lock released, so that code's own calls are answered meanwhile.
        """
        with self.store.lock:
            where = self.store.account_region(account or self.account_id, region)
            result = operation(where if gate is None else where.gated(gate), params)
        if isinstance(result, Unlocked):
            return result.run(self.state)
        return result

    # -- permissions (stubtags.access) -------------------------------------------------

    def _access(self) -> Access:
        from stubtags.access import Access

        if self.state.access is None:
            self.state.access = Access()
        return self.state.access

    def principal(
        self, arn: str, policies: Any = (), tags: Mapping[str, str] | None = None
    ) -> Principal:
        """Register a caller (IAM user, role, or role session ARN) with its identity-based
        policies (dicts, JSON text; a list, or a dict of name -> document) and principal
        tags. Returns it; `.credentials` signs calls as it. Again: updates it in place."""
        return self._access().register(arn, policies, tags)

    def acting_as(self, principal: Principal | str) -> AbstractContextManager[Principal]:
        """Within: clients whose credentials name no registered principal act as this one."""
        return self._access().acting_as(principal)

    def is_allowed(
        self,
        principal: Principal | str,
        action: str,
        secret_id: str | None = None,
        region: str | None = None,
    ) -> Decision:
        """Would `principal` be allowed `action` ("GetSecretValue" or with its prefix) on
        the secret (None: on "*")? Truthy if so; says which statement decided."""
        from stubtags.access.authorize import is_allowed

        region_name = self._region_name(region)
        return is_allowed(self, self._access(), principal, action, secret_id, region_name)

    @property
    def lockout_actions(self) -> frozenset[str]:
        """Actions the tagging lock-out rule re-checks besides the call's own."""
        return self.state.access.lockout_actions if self.state.access else frozenset()

    @lockout_actions.setter
    def lockout_actions(self, actions: Iterable[str]) -> None:
        self._access().set_lockout_actions(actions)

    # -- set-up and inspection for tests ---------------------------------------------

    def _region_name(self, region: str | None) -> str:
        from stubtags import seeding

        return seeding.check_str(region, "region") or self.region or default_region()

    def _region(self, region: str | None) -> AccountRegion:
        return self.store.account_region(self.account_id, self._region_name(region))

    def _region_of(self, secret_id: str, region: str | None) -> AccountRegion:
        from stubtags import seeding

        if seeding.check_secret_id(secret_id).startswith("arn:") and secret_id.count(":") >= 6:
            return self.store.account_region(self.account_id, secret_id.split(":")[3])
        return self._region(region)

    def _find(self, secret_id: str, region: str | None) -> Secret:
        where = self._region_of(secret_id, region)
        try:
            return where.find(secret_id)
        except ResourceNotFoundException:
            raise SecretNotFoundError(secret_id, self.account_id, where.name) from None

    def tags(self, secret_id: str, region: str | None = None) -> dict[str, str]:
        """The secret's tags in order, by name or ARN (an ARN names its own region)."""
        with self.store.lock:
            return dict(self._find(secret_id, region).tags or {})

    def describe(self, secret_id: str, region: str | None = None) -> SecretDescription:
        """DescribeSecret's reply as boto3 returns it (datetimes), without ResponseMetadata."""
        from stubtags import shapes

        with self.store.lock:
            reply = describe(self._find(secret_id, region), "VersionIdsToStages")
        return cast("SecretDescription", shapes.as_boto("DescribeSecret", reply))

    def names(self, region: str | None = None, include_deleted: bool = True) -> list[str]:
        """Names of a region's secrets in creation order, scheduled deletions included."""
        with self.store.lock:
            return [
                s.name
                for s in self._region(region).secrets.values()
                if include_deleted or s.deleted_date is None
            ]

    def create_secret(
        self,
        name: str,
        *,
        tags: TagsArg | None = None,
        region: str | None = None,
        description: str | None = None,
        secret_string: str | None = None,
        secret_binary: bytes | None = None,
        kms_key_id: str | None = None,
        system_tags: TagsArg | None = None,
        primary_region: str | None = None,
        owning_service: str | None = None,
    ) -> str:
        """Create a secret under the same rules as CreateSecret; return its ARN.

        `tags` and `system_tags` are a dict or boto3's list of Key/Value dicts.
        `primary_region` and `owning_service` describe a replica or a secret managed
        by another AWS service: no API call sets them, but ListSecrets filters on them.
        """
        from stubtags import seeding

        options = {
            "tags": tags,
            "region": region,
            "description": description,
            "secret_string": secret_string,
            "secret_binary": secret_binary,
            "kms_key_id": kms_key_id,
            "system_tags": system_tags,
            "primary_region": primary_region,
            "owning_service": owning_service,
        }
        return seeding.create_secret(self, name, options)

    def register_lambda(self, function_arn: str, handler: Handler) -> None:
        """Make `handler(event, context)` the Lambda function `function_arn` for rotation.

        RotateSecret with that ARN calls it for each step, synchronously; its own boto3
        calls are answered by this mock. Registering the ARN again replaces the handler.
        """
        from stubtags import lambdas

        lambdas.check_registration(function_arn, handler)
        with self.store.lock:
            self.state.lambdas[function_arn] = handler

    def rotate_due(self, region: str | None = None) -> list[str]:
        """Rotate what AWS's schedule would have rotated by now; returns those ARNs.

        The fake runs no rotation on its own: after moving the clock (time-machine,
        freezegun), call this to run RotateSecret on every secret of the region whose
        NextRotationDate has passed. A failing rotation function raises its ClientError.
        """
        from stubtags.service import rotation as rotation_rules

        with self.store.lock:
            where = self._region(region)
            arns = rotation_rules.due(where, time.time())
        for arn in arns:
            self.invoke("RotateSecret", {"SecretId": arn}, where.name)
        return arns

    def add_system_tag(
        self, secret_id: str, key: str, value: str, region: str | None = None
    ) -> None:
        """Attach an `aws:` tag as another AWS service would; users can't change it."""
        from stubtags import seeding

        seeding.add_system_tag(self, secret_id, key, value, region)

    def load(
        self, source: Mapping[str, Any] | Iterable[Mapping[str, Any]] | str | Path
    ) -> list[str]:
        """Seed secrets from a dict, a list of dicts, or a JSON file of either.

        Each entry: `name` and optionally `tags` and `system_tags` (a dict or boto3's
        list), `region`, `description`, `secret_string`, `kms_key_id`,
        `primary_region`, `owning_service`; a JSON null means "not given". A dict
        source holds the list under "secrets". All or nothing: if one entry is
        refused, none is kept. Returns the ARNs, in order.
        """
        from stubtags import seeding

        return seeding.load(self, source)

    # -- canned replies and injected errors (stubtags.canned) ------------------------

    def fail(
        self,
        operation: str,
        code: str,
        message: str | None = None,
        *,
        times: int | None = 1,
        status: int = 400,
    ) -> CannedReply:
        """Answer the next `times` calls of `operation` (None: every call) with an error.

        Retried by botocore as the same error from AWS would be, e.g.
        `backend.fail("TagResource", "ThrottlingException", times=2)`; the Resource
        Groups Tagging API's operations too (`"GetResources"`).
        """
        from stubtags import canned

        return canned.fail(
            self.state.replies, self.account_id, operation, code, message, times, status
        )

    def respond(
        self, operation: str, reply: Mapping[str, Any] | None = None, *, times: int | None = 1
    ) -> CannedReply:
        """Answer the next `times` calls of `operation` (None: every call) with `reply`.

        `reply` is written as boto3 returns it (datetimes, bytes) and checked against
        the operation's reply shape; it works for operations stubtags lacks, too.
        """
        from stubtags import canned

        return canned.respond(self.state.replies, self.account_id, operation, reply, times)

    def snapshot(self) -> Snapshot:
        """A copy of the whole state (every account), to `restore` later."""
        return self.store.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        self.store.restore(snapshot)

    def reset(self) -> None:
        """Forget this account's secrets (every region), canned replies and calls.

        Scoped like every other method of the handle: a test that resets one
        account's view leaves the other accounts it set up alone. To go back to an
        earlier state of every account, use `snapshot()`/`restore()`.
        """
        self.store.clear_account(self.account_id)
        self.state.replies.clear(self.account_id)
        self.state.events.clear(self.account_id)

    @property
    def events(self) -> EventLog:
        """Every call answered so far (all accounts), as CloudTrail records."""
        return self.state.events

    def __repr__(self) -> str:
        from stubtags import notebook

        return notebook.summary(self)

    def _repr_html_(self) -> str:
        from stubtags import notebook

        return notebook.backend_html(self)
