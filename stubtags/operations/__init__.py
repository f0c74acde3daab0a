"""The operations stubtags answers, by their API name: the wire layer of the fake service.

An operation reads its request members and checks what the botocore model declares
(required members, lengths, enums, patterns, ranges, with wire paths such as
`tags.1.member.key`), then calls typed functions of `stubtags.service` and renders
their result as reply members in wire form. Every service rule and every state change,
LastChangedDate included, lives in `stubtags.service`, never here.

Each operation takes the account's region the client talks to and the decoded JSON
body, and returns the reply members, or None for an operation with no output, or
`Unlocked` for work that must run with the store's lock released (RotateSecret).

The tables name each function as "module:function" and import its module on the
operation's first call (issue #10): `import stubtags` then costs only what a test
uses, and one that only tags secrets never loads rotation, replication, the tagging
API or the listing machinery. The first call puts the function itself in the table,
so later lookups find the plain function and calls cost what they always did.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stubtags.operations.common import Params, Reply, Unlocked
    from stubtags.service.store import AccountRegion

Operation = Callable[["AccountRegion", "Params"], "Reply | Unlocked | None"]


class OnFirstCall:
    """An operation's place in a table until its first call imports its module."""

    __slots__ = ("_function", "_name", "_table", "where")

    def __init__(self, table: dict[str, Operation], name: str, where: str) -> None:
        self._table = table
        self._name = name
        self.where = where  # "module:function"
        self._function: Operation | None = None

    def __call__(self, region: AccountRegion, params: Params) -> Reply | Unlocked | None:
        return (self._function or self.load())(region, params)

    def load(self) -> Operation:
        """Import the function, and put it in the table unless a test replaced this entry."""
        module, _, name = self.where.partition(":")
        function: Operation = getattr(importlib.import_module(module), name)
        self._function = function
        if self._table.get(self._name) is self:
            self._table[self._name] = function
        return function

    def __getattr__(self, name: str) -> Any:
        """The function's own attributes (`fresh_reply`, say) are read through it."""
        if name.startswith("_"):  # slots not set yet, copy and pickle probes
            raise AttributeError(name)
        return getattr(self._function or self.load(), name)

    def __repr__(self) -> str:
        return f"<operation {self._name} ({self.where}), imported on its first call>"


def lazy_table(where: dict[str, str]) -> dict[str, Operation]:
    """A table of operations by API name from their "module:function" (module under here)."""
    table: dict[str, Operation] = {}
    for name, function in where.items():
        table[name] = OnFirstCall(table, name, f"{__name__}.{function}")
    return table


OPERATIONS = lazy_table(
    {
        "TagResource": "tagging:tag_resource",
        "UntagResource": "tagging:untag_resource",
        "CreateSecret": "secrets:create_secret",
        "DescribeSecret": "secrets:describe_secret",
        "UpdateSecret": "secrets:update_secret",
        "DeleteSecret": "secrets:delete_secret",
        "RestoreSecret": "secrets:restore_secret",
        "GetSecretValue": "values:get_secret_value",
        "PutSecretValue": "values:put_secret_value",
        "ListSecretVersionIds": "values:list_secret_version_ids",
        "UpdateSecretVersionStage": "values:update_secret_version_stage",
        "BatchGetSecretValue": "values:batch_get_secret_value",
        "ListSecrets": "listing:list_secrets",
        "PutResourcePolicy": "policies:put_resource_policy",
        "GetResourcePolicy": "policies:get_resource_policy",
        "DeleteResourcePolicy": "policies:delete_resource_policy",
        "ValidateResourcePolicy": "policies:validate_resource_policy",
        "GetRandomPassword": "passwords:get_random_password",
        "RotateSecret": "rotation:rotate_secret",
        "CancelRotateSecret": "rotation:cancel_rotate_secret",
        "ReplicateSecretToRegions": "replication:replicate_secret_to_regions",
        "RemoveRegionsFromReplication": "replication:remove_regions_from_replication",
        "StopReplicationToReplica": "replication:stop_replication_to_replica",
    }
)
# The Resource Groups Tagging API's operations (`stubtags.services`).
TAGGING_API_OPERATIONS = lazy_table(
    {
        "GetResources": "tagging_api:get_resources",
        "TagResources": "tagging_api:tag_resources",
        "UntagResources": "tagging_api:untag_resources",
        "GetTagKeys": "tagging_api:get_tag_keys",
        "GetTagValues": "tagging_api:get_tag_values",
    }
)

__all__ = ["OPERATIONS", "TAGGING_API_OPERATIONS", "OnFirstCall", "Operation", "lazy_table"]
