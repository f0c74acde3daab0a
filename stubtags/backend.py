"""The backend handle: what `with mock_tags() as backend` gives a test.

It answers intercepted calls (`invoke`) and lets a test set up and inspect state
without boto3: seed secrets, read tags, attach system tags, snapshot and restore.
A handle is bound to one account; nested mocks share one `MockState`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stubtags.aws_config import default_region
from stubtags.errors import SecretNotFoundError, UnsupportedOperationError
from stubtags.operations import OPERATIONS, Operation
from stubtags.operations.common import Params, Reply, describe
from stubtags.service import tags as tag_rules
from stubtags.service.errors import ResourceNotFoundException
from stubtags.service.gate import Gate
from stubtags.service.identity import validate_name
from stubtags.service.model import Secret, is_system_key
from stubtags.service.store import AccountRegion, Snapshot
from stubtags.state import MockState

if TYPE_CHECKING:
    from stubtags.access import Access, Principal
    from stubtags.iam import Decision

DEFAULT_ACCOUNT = "123456789012"


_SEED_FIELDS = frozenset(
    {
        "name",
        "tags",
        "region",
        "description",
        "secret_string",
        "kms_key_id",
        "system_tags",
        "primary_region",
        "owning_service",
    }
)


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
        """
        with self.store.lock:
            where = self.store.account_region(account or self.account_id, region)
            return operation(where if gate is None else where.gated(gate), params)

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
        return region or self.region or default_region()

    def _region(self, region: str | None) -> AccountRegion:
        return self.store.account_region(self.account_id, self._region_name(region))

    def _region_of(self, secret_id: str, region: str | None) -> AccountRegion:
        if secret_id.startswith("arn:") and secret_id.count(":") >= 6:
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

    def describe(self, secret_id: str, region: str | None = None) -> Reply:
        """DescribeSecret's members in wire form (timestamps as epoch seconds)."""
        with self.store.lock:
            return describe(self._find(secret_id, region), "VersionIdsToStages")

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
        tags: Mapping[str, str] | None = None,
        region: str | None = None,
        description: str | None = None,
        secret_string: str | None = None,
        secret_binary: bytes | None = None,
        kms_key_id: str | None = None,
        system_tags: Mapping[str, str] | None = None,
        primary_region: str | None = None,
        owning_service: str | None = None,
    ) -> str:
        """Create a secret under the same rules as CreateSecret; return its ARN.

        `primary_region` and `owning_service` describe a replica or a secret managed
        by another AWS service: no API call sets them, but ListSecrets filters on them.
        """
        params: dict[str, Any] = {"Name": name}
        if tags is not None:
            params["Tags"] = tag_rules.as_wire(tags)
        if description is not None:
            params["Description"] = description
        if secret_string is not None:
            params["SecretString"] = secret_string
        if secret_binary is not None:
            import base64

            params["SecretBinary"] = base64.b64encode(secret_binary).decode()
        if kms_key_id is not None:
            params["KmsKeyId"] = kms_key_id
        target = self._region_name(region)
        with self.store.lock:
            reply = self.invoke("CreateSecret", params, target)
            arn = str((reply or {})["ARN"])
            for key, value in (system_tags or {}).items():
                self.add_system_tag(arn, key, value)
            secret = self._find(arn, None)
            secret.primary_region = primary_region
            secret.owning_service = owning_service
        return arn

    def add_system_tag(
        self, secret_id: str, key: str, value: str, region: str | None = None
    ) -> None:
        """Attach an `aws:` tag as another AWS service would; users can't change it."""
        if not is_system_key(key):
            raise ValueError(f"system tag keys start with 'aws:', got {key!r}")
        with self.store.lock:
            secret = self._find(secret_id, region)
            secret.tags = tag_rules.apply(secret.tags, {key: value})

    def load(
        self, source: Mapping[str, Any] | Iterable[Mapping[str, Any]] | str | Path
    ) -> list[str]:
        """Seed secrets from a dict, a list of dicts, or a JSON file of either.

        Each entry: `name` and optionally `tags` (a dict), `region`, `description`,
        `secret_string`, `kms_key_id`, `system_tags`, `primary_region`,
        `owning_service`. A dict source holds the list under "secrets". All or
        nothing: if one entry is refused, none is kept. Returns the ARNs, in order.
        """
        data: Any = source
        if isinstance(source, (str, Path)):
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        if isinstance(data, Mapping):
            if set(data) != {"secrets"}:
                raise ValueError(
                    f"a seed dict holds its list of secrets under the one key 'secrets', "
                    f"got keys {sorted(data)}"
                )
            data = data["secrets"]
        entries = [self._seed_entry(entry) for entry in data]
        arns: list[str] = []
        with self.store.lock:
            try:
                for entry in entries:
                    arns.append(self.create_secret(**entry))
            except BaseException:
                # All or nothing: take back what this call created before the failure.
                for arn in arns:
                    secret = self._find(arn, None)
                    self.store.account_region(self.account_id, secret.region).remove(secret)
                raise
        return arns

    @staticmethod
    def _seed_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(entry, Mapping):
            raise ValueError(f"each seed entry must be a dict, got {entry!r}")
        if "name" not in entry:
            raise ValueError(f"seed entry {dict(entry)!r} has no 'name'")
        unknown = set(entry) - _SEED_FIELDS
        if unknown:
            raise ValueError(
                f"unknown field(s) {sorted(unknown)} in seed entry {entry['name']!r}; "
                f"allowed: {sorted(_SEED_FIELDS)}"
            )
        validate_name(entry["name"])
        return dict(entry)

    def snapshot(self) -> Snapshot:
        """A copy of the whole state (every account), to `restore` later."""
        return self.store.snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        self.store.restore(snapshot)

    def reset(self) -> None:
        """Forget every secret of every account and region."""
        self.store.clear()

    def __repr__(self) -> str:
        with self.store.lock:
            count = sum(1 for _ in self.store.all_secrets())
        return f"<stubtags Backend account={self.account_id} secrets={count}>"
