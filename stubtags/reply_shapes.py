"""Parsed replies built straight from the model's shapes, as botocore's JSON parser builds them.

Why: encoding a reply to JSON only for botocore's generic parser to decode it again
cost most of a call (a ListSecrets page holds hundreds of timestamps, each converted
through dateutil's local zone on its own). Here a converter is compiled once per
shape and walks the reply members the way `BaseJSONParser` walks decoded JSON:
structures keep their shape's member order and drop absent (None) members,
lists and maps are rebuilt (no container of the backend reaches the caller),
timestamps and blobs go through the client's own parser settings, and every
other scalar passes as it is. What the walk does not model (document types,
tagged unions, event streams) has no converter, and the caller then parses.
`tests/test_responses_equivalence.py` proves the walk equal to the parser.
"""

from __future__ import annotations

import base64
import functools
import time
from collections.abc import Callable
from types import CodeType
from typing import Any, NamedTuple

from botocore import parsers
from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.parsers import ResponseParserFactory

from stubtags import timestamps

Convert = Callable[[Any], Any]

_PARSER_OPTIONS = frozenset({"timestamp_parser", "blob_parser"})


class NotModeled(Exception):
    """A shape the walk does not model (the reply then goes through the parser)."""


class Scalars(NamedTuple):
    """What a client's parser does with the two scalars that change type."""

    timestamp: Convert
    blob: Convert


DEFAULT = Scalars(timestamps.memoised, base64.b64decode)


def scalars_for(factory: object) -> Scalars:
    """The scalar handling of the parser `factory` would make for a reply now.

    `factory` is the client's endpoint's ResponseParserFactory (botocore's or
    aiobotocore's subclass): botocore makes a parser from it for every reply, so
    `set_parser_defaults` called at any time applies to the next call. Anything
    else (None, a foreign object) means botocore's defaults.
    """
    options = getattr(factory, "_defaults", None)
    if not options or not isinstance(factory, ResponseParserFactory):  # asked on every reply
        timestamp = timestamps.default_parser()
        return DEFAULT if timestamp is timestamps.memoised else Scalars(timestamp, base64.b64decode)
    timestamp = options.get("timestamp_parser") or timestamps.default_parser()
    blob = options.get("blob_parser")
    if blob is None and timestamp is timestamps.memoised:
        return DEFAULT
    return Scalars(timestamp, base64.b64decode if blob is None else blob)


def parser_options(factory: object) -> dict[str, Any]:
    """The options a parser made from `factory` gets (for the parser path)."""
    if isinstance(factory, ResponseParserFactory):
        options = getattr(factory, "_defaults", None) or {}
        return {k: v for k, v in options.items() if k in _PARSER_OPTIONS}
    return {}


# Each shape keeps its converters in its own __dict__ under this name, by scalars
# (None if not modeled): one attribute read per reply, and they go with the shape
# (each client has its own model objects).
_CONVERTERS = "_stubtags_converters"


def structure_converter(shape: StructureShape, scalars: Scalars) -> Convert | None:
    """The converter of a structure (an output or error shape), compiled once per shape.

    None when the shape holds what the walk does not model: parse that reply instead.
    """
    return _kept(shape, _CONVERTERS, scalars, _rebuilding)


def _rebuilding(shape: StructureShape, scalars: Scalars) -> Convert:
    return _structure(shape, scalars, {})


def _kept(
    shape: StructureShape,
    kind: str,
    scalars: Scalars,
    build: Callable[[StructureShape, Scalars], Convert],
) -> Convert | None:
    """The `kind` converter of `shape` for `scalars`, built once and kept on the shape
    (None if not modeled): one attribute read and one dict lookup per reply."""
    by_scalars: dict[Scalars, Convert | None] | None = shape.__dict__.get(kind)
    if by_scalars is None:
        by_scalars = shape.__dict__.setdefault(kind, {})
    try:
        return by_scalars[scalars]
    except KeyError:
        pass
    convert = by_scalars[scalars] = _shared(shape, kind, scalars, build)
    return convert


# Converters by the model text their shape was read from (`Shape._shape_model`, a dict
# of botocore's loaded service JSON), kind and scalars. Each client has shape objects of
# its own, but clients of one session share that text (botocore's loader keeps each
# service's JSON once): a test's new client then skips walking its shapes again,
# 0.2-0.5 ms per operation. The text is held beside its converter, so its id names it
# alone.
_BY_SOURCE: dict[tuple[int, str, Scalars], tuple[object, Convert | None]] = {}
_BY_SOURCE_LIMIT = 512  # cleared when full: a process loading the model anew, again and again


def _shared(
    shape: StructureShape,
    kind: str,
    scalars: Scalars,
    build: Callable[[StructureShape, Scalars], Convert],
) -> Convert | None:
    """`build(shape, scalars)` (None if not modeled), once per model text."""
    source = getattr(shape, "_shape_model", None)
    key = (id(source), kind, scalars)
    known = _BY_SOURCE.get(key)
    if known is not None and known[0] is source:
        return known[1]
    convert: Convert | None
    try:
        convert = build(shape, scalars)
    except NotModeled:
        convert = None
    if isinstance(source, dict):
        if len(_BY_SOURCE) >= _BY_SOURCE_LIMIT:
            _BY_SOURCE.clear()
        _BY_SOURCE[key] = (source, convert)
    return convert


def _compile(shape: Shape, scalars: Scalars, building: dict[str, Convert]) -> Convert | None:
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, scalars, building)
    if kind == "list":
        return _list(shape, scalars, building)
    if kind == "map":
        return _map(shape, scalars, building)
    if kind == "timestamp":
        return scalars.timestamp
    if kind == "blob":
        return scalars.blob
    return None  # strings, numbers, booleans: json.loads already made the final type


def _structure(shape: StructureShape, scalars: Scalars, building: dict[str, Convert]) -> Convert:
    if (
        shape.is_document_type
        or shape.is_tagged_union
        or shape.event_stream_name
        or shape.serialization.get("eventstream")
    ):
        raise NotModeled(shape.name)
    recursive = building.get(shape.name)
    if recursive is not None:  # a shape that contains itself: bound once it is built
        return recursive
    late: list[Convert] = []
    building[shape.name] = lambda value: late[0](value)
    members = [
        (name, member.serialization.get("name", name), _compile(member, scalars, building))
        for name, member in shape.members.items()
    ]
    del building[shape.name]
    convert = _unrolled(members)
    late.append(convert)
    return convert


def _unrolled(members: list[tuple[str, str, Convert | None]]) -> Convert:
    """A structure's converter with one straight test per member, in shape order.

    Generated source, as dataclasses does, because a loop over (name, converter)
    pairs costs about a third more, and a ListSecrets page runs this 600 times.
    Only `repr()` of the model's member names and numbered converters go in, and
    the code is compiled once per member list: each new client has its own shape
    objects, but not its own shapes.
    """
    namespace: dict[str, Any] = {}
    plan = []
    for n, (name, wire, member) in enumerate(members):
        if member is not None:
            namespace[f"c{n}"] = member
        plan.append((name, wire, member is not None))
    exec(_code(tuple(plan)), namespace)
    convert: Convert = namespace["convert"]
    return convert


@functools.lru_cache(maxsize=256)
def _code(plan: tuple[tuple[str, str, bool], ...]) -> CodeType:
    lines = ["def convert(value):", "    if value is None:", "        return None"]
    lines += ["    parsed = {}", "    get = value.get"]
    for n, (name, wire, converted) in enumerate(plan):
        parsed = f"c{n}(raw)" if converted else "raw"
        lines += [f"    raw = get({wire!r})", "    if raw is not None:"]
        lines.append(f"        parsed[{name!r}] = {parsed}")
    lines.append("    return parsed")
    return compile("\n".join(lines), "<stubtags reply converter>", "exec")


def _list(shape: ListShape, scalars: Scalars, building: dict[str, Convert]) -> Convert:
    item = _compile(shape.member, scalars, building)
    if item is None:
        return list  # a copy; sparse (None) items stay None, as the parser keeps them

    def convert(value: Any) -> list[Any]:
        return [None if entry is None else item(entry) for entry in value]

    return convert


def _map(shape: MapShape, scalars: Scalars, building: dict[str, Convert]) -> Convert:
    key = _compile(shape.key, scalars, building)
    value_of = _compile(shape.value, scalars, building)
    if key is None:
        if value_of is None:
            return dict

        def convert_values(value: Any) -> dict[Any, Any]:
            return {k: value_of(v) for k, v in value.items()}

        return convert_values
    to_value: Convert = value_of if value_of is not None else _same

    def convert(value: Any) -> dict[Any, Any]:
        return {key(k): to_value(v) for k, v in value.items()}

    return convert


def _same(value: Any) -> Any:
    return value


# The in-place converter of a shape with nothing to convert (no timestamp, no blob):
# a caller may skip calling it.
UNCHANGED: Convert = _same


# -- replies built fresh by their operation: converted where they stand -----------------------

_IN_PLACE = "_stubtags_in_place"  # the kind of converter, for `_shared`


def in_place_converter(shape: StructureShape) -> Convert | None:
    """The converter of a reply its operation built for this call alone (`fresh_reply`),
    for botocore's default scalars: the body is made back from what it makes.

    Such a reply already has the parsed form's containers, member order and members
    (no None, nothing unmodeled): only its timestamps and blobs differ, so they are
    converted where they stand and every container is kept. For a ListSecrets page
    that skips rebuilding every entry, tag and map, most of the reply's cost.
    `tests/test_fresh_replies.py` proves it equal to the rebuilding walk. None when
    the shape holds what the walk does not model. Kept as an attribute of the shape
    (botocore's shapes have no slots), whose read Python specializes: no `__dict__`
    getter and no dict.get call per reply.
    """
    held: Any = shape
    try:
        convert: Convert | None = held._stubtags_in_place
    except AttributeError:  # once per shape
        convert = held._stubtags_in_place = _in_place_for_source(shape)
    return convert


def fresh_converter(shape: StructureShape, factory: object) -> Convert | None:
    """`in_place_converter(shape)` when the parser `factory` makes now reads the reply
    as botocore's defaults do (`scalars_for` gives DEFAULT), or when the shape holds
    no timestamp or blob (UNCHANGED: every parser reads it alike); None otherwise,
    and the caller rebuilds the reply with its scalars.

    Asked for every fresh reply, so the usual case (no parser defaults set, botocore's
    own DEFAULT_TIMESTAMP_PARSER, the local zone's names unchanged) is told apart here,
    without the two calls of `scalars_for`; anything else asks it, which also notices
    a zone changed by tzset.
    """
    held: Any = shape  # as in `in_place_converter`, written out
    try:
        convert: Convert | None = held._stubtags_in_place
    except AttributeError:
        convert = held._stubtags_in_place = _in_place_for_source(shape)
    if (
        convert is not UNCHANGED
        and (
            getattr(factory, "_defaults", None)
            or parsers.DEFAULT_TIMESTAMP_PARSER is not timestamps.BOTOCORE
            or time.tzname is not timestamps.zone_names
        )
        and scalars_for(factory) is not DEFAULT
    ):
        return None
    return convert


def _in_place_for_source(shape: StructureShape) -> Convert | None:
    return _shared(shape, _IN_PLACE, DEFAULT, _in_place_building)


def _in_place_building(shape: StructureShape, scalars: Scalars) -> Convert:
    plan = _in_place(shape, scalars, set())
    return UNCHANGED if plan is None else _in_place_function(plan)


# What converts a value in place: a scalar's converter, or, for a container,
# (kind, what converts its parts): ("structure", ((member, plan), ...)), ("list", plan)
# for its items, ("map", plan) for its values. Hashable, so equal shapes share one code.
Plan = Any


def _in_place(shape: Shape, scalars: Scalars, building: set[str]) -> Plan | None:
    """What converts a value of `shape` in place, or None when nothing in it changes type."""
    kind = shape.type_name
    if kind == "timestamp":
        return scalars.timestamp
    if kind == "blob":
        return scalars.blob
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if (
            shape.is_document_type
            or shape.is_tagged_union
            or shape.event_stream_name
            or shape.serialization.get("eventstream")
            or shape.name in building  # recursive: the rebuilding walk handles those
        ):
            raise NotModeled(shape.name)
        building.add(shape.name)
        members = []
        for name, member in shape.members.items():
            if member.serialization.get("name", name) != name:
                raise NotModeled(shape.name)  # the parsed name is not the wire name
            plan = _in_place(member, scalars, building)
            if plan is not None:
                members.append((name, plan))
        building.discard(shape.name)
        return ("structure", tuple(members)) if members else None
    if kind == "list":
        assert isinstance(shape, ListShape)
        item = _in_place(shape.member, scalars, building)
        return None if item is None else ("list", item)
    if kind == "map":
        assert isinstance(shape, MapShape)
        if _in_place(shape.key, scalars, building) is not None:
            raise NotModeled(shape.name)
        value = _in_place(shape.value, scalars, building)
        return None if value is None else ("map", value)
    return None


@functools.lru_cache(maxsize=256)
def _in_place_function(plan: Plan) -> Convert:
    """A reply's whole in-place conversion as one generated function, with one straight
    test per member (as `_unrolled`) and its lists' and maps' loops written out.

    One function for the whole reply, not one per structure and container: a call
    and a code object fewer for each, and a ListSecrets page would otherwise call a
    structure's converter for every entry. Only `repr()` of the model's member names
    and numbered converters go in. Shared by equal plans: it holds no client's state.
    """
    namespace: dict[str, Any] = {}
    lines = ["def convert(value):"]
    _emit(plan, "value", 1, lines, namespace)
    lines.append("    return value")
    exec(compile("\n".join(lines), "<stubtags in-place converter>", "exec"), namespace)
    convert: Convert = namespace["convert"]
    return convert


def _emit(plan: Plan, held: str, depth: int, lines: list[str], namespace: dict[str, Any]) -> None:
    """The lines that convert, in place, the container in variable `held` (not None).

    Variables are numbered by `depth`, the indentation, so nested ones never clash.
    A scalar is stored back where it was (an existing key keeps its place); a
    container is converted where it stands, so nothing is stored back.
    """
    pad = "    " * depth
    kind, inner = plan
    if kind == "structure":
        get = f"{held}.get"
        if len(inner) > 2:  # bound once: a lookup less for each member
            lines.append(f"{pad}get{depth} = {get}")
            get = f"get{depth}"
        for name, member in inner:
            lines += [f"{pad}raw{depth} = {get}({name!r})", f"{pad}if raw{depth} is not None:"]
            _emit_part(member, f"{held}[{name!r}]", f"raw{depth}", depth + 1, lines, namespace)
        return
    if kind == "list":
        if callable(inner):
            lines.append(f"{pad}for index{depth}, item{depth} in enumerate({held}):")
        else:
            lines.append(f"{pad}for item{depth} in {held}:")
        place = f"{held}[index{depth}]"
    else:  # a map; its keys stay: no resize while iterating
        if callable(inner):
            lines.append(f"{pad}for key{depth}, item{depth} in {held}.items():")
        else:
            lines.append(f"{pad}for item{depth} in {held}.values():")
        place = f"{held}[key{depth}]"
    lines.append(f"{pad}    if item{depth} is not None:")
    _emit_part(inner, place, f"item{depth}", depth + 2, lines, namespace)


def _emit_part(
    plan: Plan, place: str, held: str, depth: int, lines: list[str], namespace: dict[str, Any]
) -> None:
    """The lines for one member, item or value, in `held`, found at `place`."""
    if callable(plan):
        name = f"c{len(namespace)}"
        namespace[name] = plan
        lines.append(f"{'    ' * depth}{place} = {name}({held})")
    else:
        _emit(plan, held, depth, lines, namespace)
