"""Who is calling: the identity chain of a principal ARN.

The forms are those of "IAM identifiers" (user, role, account root) and of the
role-session and federated-user principals of "AWS JSON policy elements: Principal".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Caller:
    """The identity chain of a principal ARN: what the Principal element can name.

    `kind` is one of "user", "role", "assumed-role", "federated-user", "root",
    "service" (a service principal name such as `secretsmanager.amazonaws.com`).
    `name` is the user, role or federated user's name (the role's for a session).
    """

    arn: str
    kind: str
    account: str
    partition: str = "aws"
    name: str = ""
    session: str = ""

    @property
    def root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:root"

    @property
    def role_arn(self) -> str:
        """The role of a session, without its path (a session ARN does not carry it)."""
        return f"arn:{self.partition}:iam::{self.account}:role/{self.name}"


@lru_cache(maxsize=1024)
def parse_principal_arn(arn: str) -> Caller:
    """Read an IAM user, role, role session, federated user or root ARN (or a service name).

    Raises ValueError for anything else, naming the accepted forms.
    """
    if ":" not in arn and arn.endswith(".amazonaws.com"):
        return Caller(arn, "service", "", name=arn)
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[4].isdigit() and len(parts[4]) == 12:
        partition, service, account, resource = parts[1], parts[2], parts[4], parts[5]
        kind, _, rest = resource.partition("/")
        if service == "iam" and resource == "root":
            return Caller(arn, "root", account, partition)
        if service == "iam" and kind in ("user", "role") and rest:
            return Caller(arn, kind, account, partition, rest.rsplit("/", 1)[-1])
        if service == "sts" and kind == "assumed-role" and rest.count("/") == 1:
            role, session = rest.split("/")
            if role and session:
                return Caller(arn, kind, account, partition, role, session)
        if service == "sts" and kind == "federated-user" and rest:
            return Caller(arn, kind, account, partition, rest)
    raise ValueError(
        f"not a principal ARN: {arn!r}; expected arn:aws:iam::ACCOUNT:user/NAME, "
        f"arn:aws:iam::ACCOUNT:role/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, "
        f"arn:aws:sts::ACCOUNT:federated-user/NAME or arn:aws:iam::ACCOUNT:root"
    )
