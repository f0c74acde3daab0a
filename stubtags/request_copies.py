"""The request's members as the service receives them, copied from the client's API params.

Why: decoding botocore's JSON body again cost about 4 µs of every call (inside
botocore's loop the JSON scanner's code is cold), and what it yields are the
params the client has just validated and serialised. A copier made once per
input shape builds from those params what `json.loads` of the body gives: the
params' own key order (the serializer walks them as given), fresh dicts and lists
(a tuple becomes a list), exact `str` and `int` where a subclass was passed (an
`Enum` of str, say) and blobs as base64 text, as botocore's JSON serializer writes
them. A shape the copy does not model (timestamps, floats, documents, unions,
members renamed on the wire) has no copier: its operation's body is read instead.
`tests/test_request_copies.py` proves the copy equal to the body, type for type.

Which params: `keep_params`, a `before-parameter-build` handler on each hooked
client, notes them in the call's context. That event comes after any
`provide-client-params` handler replaced them and is where botocore adds its
idempotency token, in place; validation follows it, so by `before-call` they are
final and valid. A client without client-side validation has its body read: its
params may hold anything.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from types import CodeType
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

Copy = Callable[[Any], Any]

# Where `keep_params` notes the params in botocore's request context.
PARAMS_KEY = "stubtags_api_params"
# On an operation model, its copier (one that returns None when not modeled).
_COPIER = "_stubtags_request_copier"


def keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    """`before-parameter-build`: the call's final params, noted for `before-call`."""
    context[PARAMS_KEY] = params


def members(model: OperationModel, params: dict[str, Any]) -> dict[str, Any] | None:
    """What the body of `params` decodes to, or None when the copy can't say (read it)."""
    copy = model.__dict__.get(_COPIER)
    if copy is None:
        copy = model.__dict__[_COPIER] = _copier_of(model)
    try:
        request: dict[str, Any] | None = copy(params)
    except Exception:  # anything unforeseen: the body says what was sent
        return None
    return request


def _copier_of(model: OperationModel) -> Copy:
    shape = model.input_shape
    if shape is None:
        return _empty
    try:
        return _structure(shape, {})
    except NotModeled:
        return _not_modeled


class NotModeled(Exception):
    """A shape the copy does not model."""


def _empty(_: Any) -> dict[str, Any]:
    return {}


def _not_modeled(_: Any) -> None:
    return None


# How a member's value is copied, in the generated code of its structure.
_STRING, _INTEGER, _AS_IS, _CALL, _LIST_OF, _MAP_OF = range(6)


def _structure(shape: StructureShape, building: dict[str, Copy]) -> Copy:
    if shape.is_document_type or shape.is_tagged_union:
        raise NotModeled(shape.name)
    recursive = building.get(shape.name)
    if recursive is not None:  # a shape that contains itself: bound once it is built
        return recursive
    late: list[Copy] = []
    building[shape.name] = lambda value: late[0](value)
    plan: list[tuple[str, int]] = []
    namespace: dict[str, Any] = {"_str": str.__str__, "_blob": _blob}
    for n, (name, member) in enumerate(shape.members.items()):
        if member.serialization.get("name", name) != name:
            raise NotModeled(shape.name)
        how, copy = _member(member, building)
        plan.append((name, how))
        namespace[f"c{n}"] = copy
    del building[shape.name]
    if all(how == _STRING for _, how in plan):  # a tag, say: each value as an exact str, in C
        namespace.pop("_blob")
        exec(_STRINGS_CODE, namespace)
    else:
        exec(_code(tuple(plan)), namespace)
    structure: Copy = namespace["copy"]
    late.append(structure)
    return structure


def _member(shape: Shape, building: dict[str, Copy]) -> tuple[int, Copy | None]:
    """How a member of `shape` is copied, and the copier it calls (None: none)."""
    kind = shape.type_name
    if kind == "string":
        return _STRING, None
    if kind in ("integer", "long"):
        return _INTEGER, None
    if kind == "boolean":
        return _AS_IS, None  # validated: a bool, which json.loads gives back as it is
    if kind == "blob":
        return _CALL, _blob
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _CALL, _structure(shape, building)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _LIST_OF, _item(shape.member, building)
    if kind == "map":
        assert isinstance(shape, MapShape)
        if shape.key.type_name != "string":
            raise NotModeled(shape.name)
        return _MAP_OF, _item(shape.value, building)
    raise NotModeled(shape.name)  # timestamps, floats, documents: read the body


def _item(shape: Shape, building: dict[str, Copy]) -> Copy:
    """The copier of one item of a list or map: called on every item, in C (`map`)."""
    how, copy = _member(shape, building)
    if how == _STRING:
        return str.__str__  # an exact str is handed back as it is, a subclass's text copied
    if how == _INTEGER:
        return _exact_int
    if how == _AS_IS:
        return bool
    if how == _CALL:
        assert copy is not None
        return copy
    assert copy is not None
    if how == _LIST_OF:
        return lambda value: list(map(copy, value))
    return lambda value: dict(zip(map(str.__str__, value), map(copy, value.values()), strict=True))


_STRINGS_CODE = compile(
    "def copy(value):\n    return dict(zip(value, map(_str, value.values())))",
    "<stubtags request copier>",
    "exec",
)


@functools.lru_cache(maxsize=256)
def _code(plan: tuple[tuple[str, int], ...]) -> CodeType:
    """A structure's copier: the members in the caller's order (a copy of the dict), then
    one straight test per member that is not kept as it is, as the reply converters do."""
    lines = ["def copy(value):", "    out = dict(value)", "    get = out.get"]
    for n, (name, how) in enumerate(plan):
        if how == _AS_IS:
            continue
        lines.append(f"    raw = get({name!r})")
        if how == _STRING:
            lines += ["    if raw is not None and raw.__class__ is not str:"]
            lines.append(f"        out[{name!r}] = _str(raw)")
        elif how == _INTEGER:
            lines.append("    if raw is not None and raw.__class__ is not int:")
            lines.append(f"        out[{name!r}] = raw if raw.__class__ is bool else int(raw)")
        else:
            copied = {
                _CALL: f"c{n}(raw)",
                _LIST_OF: f"list(map(c{n}, raw))",
                _MAP_OF: f"dict(zip(map(_str, raw), map(c{n}, raw.values())))",
            }[how]
            lines += ["    if raw is not None:", f"        out[{name!r}] = {copied}"]
    lines.append("    return out")
    return compile("\n".join(lines), "<stubtags request copier>", "exec")


def _exact_int(value: int) -> int:
    """An int as json.loads gives it back: bools stay bools, subclasses become int."""
    return value if value.__class__ is int or value.__class__ is bool else int(value)


def _blob(value: bytes | bytearray | str) -> str:
    """As botocore's JSON serializer writes a blob: base64 text of the bytes (text as UTF-8)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).strip().decode("utf-8")
