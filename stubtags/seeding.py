"""Setting up state from a test: the handle's seeding methods, their arguments checked first.

Nothing the handle is given reaches the store unchecked: a `None` tag value or a
300-character key would otherwise sit there until the code under test trips over it
(in a ListSecrets filter, say) with a TypeError far from its cause. So each argument
is checked at the door and a TypeError or ValueError names it and says what it must be.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stubtags.operations.tagging import KEY_MAX, VALUE_MAX
from stubtags.service import tags as tag_rules
from stubtags.service.identity import validate_name
from stubtags.service.model import is_system_key

if TYPE_CHECKING:
    from stubtags.backend import Backend

# A mapping {key: value}, or boto3's list shape [{"Key": key, "Value": value}, ...].
TagsArg = Mapping[str, str] | Iterable[Mapping[str, str]]

SEED_FIELDS = frozenset(
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
_TAGS_SHAPE = "a dict {key: value} or a list [{'Key': key, 'Value': value}, ...] of strings"


def check_str(value: object, argument: str, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a string{' or None' if optional else ''}; got "
            f"{type(value).__name__} {value!r}"
        )
    return value


def check_secret_id(secret_id: object) -> str:
    if not isinstance(secret_id, str):
        raise TypeError(
            f"secret_id must be a secret's name or ARN (a string); got "
            f"{type(secret_id).__name__} {secret_id!r}"
        )
    return secret_id


def check_tag(key: object, value: object, argument: str, system: bool) -> tuple[str, str]:
    """One tag's types; a system tag's rules too, as no API call judges those.

    User tags go on to CreateSecret, whose own rules (lengths, the `aws:` prefix,
    the 50-tag limit) refuse them with the service's errors, as for a boto3 call.
    """
    if not isinstance(key, str):
        raise TypeError(f"{argument}: a tag key must be a string; got {type(key).__name__} {key!r}")
    if not isinstance(value, str):
        raise TypeError(
            f"{argument}: the value of tag {key!r} must be a string; got "
            f"{type(value).__name__} {value!r}"
        )
    if not system:
        return key, value
    if not is_system_key(key):
        raise ValueError(f"{argument}: system tag keys start with 'aws:'; got {key!r}")
    if len(key) > KEY_MAX:
        raise ValueError(f"{argument}: a tag key has at most {KEY_MAX} characters; got {key!r}")
    if len(value) > VALUE_MAX:
        raise ValueError(
            f"{argument}: a tag value has at most {VALUE_MAX} characters; tag {key!r} has "
            f"{len(value)}"
        )
    return key, value


def check_tags(tags: object, argument: str, system: bool = False) -> dict[str, str]:
    """`tags` as a dict in order, from a mapping or boto3's list of Key/Value dicts."""
    if isinstance(tags, (str, bytes)) or not isinstance(tags, (Mapping, Iterable)):
        raise TypeError(f"{argument} must be {_TAGS_SHAPE}; got {type(tags).__name__} {tags!r}")
    if isinstance(tags, Mapping):
        pairs = list(tags.items())
    else:
        pairs = []
        for item in tags:
            if not isinstance(item, Mapping) or set(item) - {"Key", "Value"} or "Key" not in item:
                raise TypeError(f"{argument} must be {_TAGS_SHAPE}; got the item {item!r}")
            pairs.append((item["Key"], item.get("Value", "")))
    checked = dict(check_tag(key, value, argument, system) for key, value in pairs)
    return tag_rules.apply(None, checked)


def create_secret(backend: Backend, name: object, options: dict[str, Any]) -> str:
    """`Backend.create_secret`: CreateSecret's rules, plus what no API call can set."""
    check_str(name, "name", optional=False)
    for argument in ("region", "description", "secret_string", "kms_key_id"):
        check_str(options[argument], argument)
    for argument in ("primary_region", "owning_service"):
        check_str(options[argument], argument)
    binary = options["secret_binary"]
    if binary is not None and not isinstance(binary, (bytes, bytearray)):
        raise TypeError(f"secret_binary must be bytes or None; got {type(binary).__name__}")
    tags = None if options["tags"] is None else check_tags(options["tags"], "tags")
    system = (
        {}
        if options["system_tags"] is None
        else check_tags(options["system_tags"], "system_tags", True)
    )

    # A token as the SDKs send one: the service refuses a CreateSecret without it.
    params: dict[str, Any] = {"Name": name, "ClientRequestToken": str(uuid.uuid4())}
    if tags is not None:
        params["Tags"] = tag_rules.as_wire(tags)
    for argument, member in (
        ("description", "Description"),
        ("secret_string", "SecretString"),
        ("kms_key_id", "KmsKeyId"),
    ):
        if options[argument] is not None:
            params[member] = options[argument]
    if binary is not None:
        params["SecretBinary"] = base64.b64encode(bytes(binary)).decode()
    target = backend._region_name(options["region"])
    with backend.store.lock:
        reply = backend.invoke("CreateSecret", params, target)
        arn = str((reply or {})["ARN"])
        secret = backend._find(arn, None)
        if system:
            secret.tags = tag_rules.apply(secret.tags, system)
        secret.primary_region = options["primary_region"]
        secret.owning_service = options["owning_service"]
    return arn


def add_system_tag(
    backend: Backend, secret_id: object, key: object, value: object, region: object
) -> None:
    found_by = check_secret_id(secret_id)
    checked = dict([check_tag(key, value, "add_system_tag", system=True)])
    with backend.store.lock:
        secret = backend._find(found_by, check_str(region, "region"))
        secret.tags = tag_rules.apply(secret.tags, checked)


def load(backend: Backend, source: object) -> list[str]:
    """`Backend.load`: every entry is checked before any is created; all or nothing."""
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
    if isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
        raise TypeError(
            f"load() takes a list of seed entries (dicts), a dict {{'secrets': [...]}}, or the "
            f"path of a JSON file holding either; got {type(data).__name__}"
        )
    entries = [seed_entry(entry, index) for index, entry in enumerate(data, start=1)]
    arns: list[str] = []
    with backend.store.lock:
        try:
            for index, entry in enumerate(entries, start=1):
                try:
                    arns.append(backend.create_secret(**entry))
                except (TypeError, ValueError) as error:
                    raise type(error)(f"seed entry {index} ({entry['name']!r}): {error}") from None
        except BaseException:
            # All or nothing: take back what this call created before the failure.
            for arn in arns:
                secret = backend._find(arn, None)
                backend.store.account_region(backend.account_id, secret.region).remove(secret)
            raise
    return arns


def seed_entry(entry: object, index: int) -> dict[str, Any]:
    """One entry of a seed, its fields known and its name valid (JSON null: not given)."""
    if not isinstance(entry, Mapping):
        raise TypeError(f"seed entry {index} must be a dict; got {type(entry).__name__} {entry!r}")
    if "name" not in entry:
        raise ValueError(f"seed entry {index} {dict(entry)!r} has no 'name'")
    name = entry["name"]
    if not isinstance(name, str):
        raise TypeError(f"seed entry {index}: name must be a string; got {name!r}")
    unknown = set(entry) - SEED_FIELDS
    if unknown:
        raise ValueError(
            f"unknown field(s) {sorted(unknown)} in seed entry {index} ({name!r}); "
            f"allowed: {sorted(SEED_FIELDS)}"
        )
    validate_name(name)
    checked = {field: value for field, value in entry.items() if value is not None}
    for field in ("tags", "system_tags"):
        if field in checked:
            where = f"seed entry {index} ({name!r}): {field}"
            checked[field] = check_tags(checked[field], where, system=field == "system_tags")
    return checked
