"""The backend handle: what `with mock_tags() as backend` gives a test.

It answers intercepted calls (`invoke`) and lets a test set up and inspect state
without boto3: seed secrets, read tags, attach system tags, snapshot and restore.
A handle is bound to one account; nested mocks share one `MockState`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stubtags import lambdas
from stubtags.aws_config import default_region
from stubtags.errors import SecretNotFoundError, UnsupportedOperationError
from stubtags.lambdas import Handler
from stubtags.operations import OPERATIONS, Operation
from stubtags.operations.common import Params, Reply, Unlocked, describe
from stubtags.service import rotation as rotation_rules
from stubtags.service import tags as tag_rules
from stubtags.service.errors import ResourceNotFoundException
from stubtags.service.identity import validate_name
from stubtags.service.model import Secret, is_system_key
from stubtags.service.store import AccountRegion, Snapshot
from stubtags.state import MockState

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

    def run(self, operation: Operation, params: Params, region: str) -> Reply | None:
        """Run one operation against this account's state in `region`, atomically.

        An operation that calls the test's code returns `Unlocked`: its remainder runs
        here with the lock released, so that code's own calls are answered meanwhile.
        """
        with self.store.lock:
            result = operation(self.store.account_region(self.account_id, region), params)
        if isinstance(result, Unlocked):
            return result.run(self.state)
        return result

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

    def register_lambda(self, function_arn: str, handler: Handler) -> None:
        """Make `handler(event, context)` the Lambda function `function_arn` for rotation.

        RotateSecret with that ARN calls it for each step, synchronously; its own boto3
        calls are answered by this mock. Registering the ARN again replaces the handler.
        """
        lambdas.check_registration(function_arn, handler)
        with self.store.lock:
            self.state.lambdas[function_arn] = handler

    def rotate_due(self, region: str | None = None) -> list[str]:
        """Rotate what AWS's schedule would have rotated by now; returns those ARNs.

        The fake runs no rotation on its own: after moving the clock (time-machine,
        freezegun), call this to run RotateSecret on every secret of the region whose
        NextRotationDate has passed. A failing rotation function raises its ClientError.
        """
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
