"""Unit tests of GetRandomPassword: the typed generator (stubtags.service.passwords) and,
through the operation, how a request's members reach it (defaults, the model's ranges)."""

from __future__ import annotations

import math
import os
import string
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stubtags.operations.passwords import get_random_password
from stubtags.service import passwords
from stubtags.service.errors import InvalidParameterException, ValidationException
from stubtags.service.passwords import PUNCTUATION
from stubtags.service.store import Store

REGION = Store().account_region("123456789012", "us-east-1")

# The 32 characters the AWS documentation lists, written out independently of the module.
AWS_PUNCTUATION = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def random_password(params: dict[str, Any]) -> str:
    """GetRandomPassword's answer to a request with these members."""
    return str(get_random_password(REGION, params)["RandomPassword"])


# --- the typed generator -------------------------------------------------------------------


def test_generator_takes_typed_options() -> None:
    password = passwords.random_password(
        6, "a", exclude_uppercase=True, exclude_numbers=True, exclude_punctuation=True
    )
    assert len(password) == 6
    assert set(password) <= set(string.ascii_lowercase) - {"a"}


def test_generator_applies_the_service_rules_not_the_wire_ranges() -> None:
    with pytest.raises(InvalidParameterException, match="too short"):
        passwords.random_password(1, include_space=True)
    assert len(passwords.random_password(5000, require_each=False)) == 5000


# --- through the operation: fixed examples -------------------------------------------------


def test_punctuation_is_the_documented_32_characters() -> None:
    assert len(PUNCTUATION) == 32
    assert sorted(PUNCTUATION) == sorted(AWS_PUNCTUATION)


def test_default_password_has_32_characters_of_every_default_type() -> None:
    password = random_password({})
    assert len(password) == 32
    assert any(c in string.ascii_uppercase for c in password)
    assert any(c in string.ascii_lowercase for c in password)
    assert any(c in string.digits for c in password)
    assert any(c in PUNCTUATION for c in password)
    assert " " not in password


def test_members_given_as_none_take_their_defaults() -> None:
    password = random_password(
        {
            "PasswordLength": None,
            "IncludeSpace": None,
            "RequireEachIncludedType": None,
            "ExcludeCharacters": None,
        }
    )
    assert len(password) == 32
    assert " " not in password
    assert any(c in string.digits for c in password)


@pytest.mark.parametrize("length", [1, 4, 4096])
def test_length_bounds_are_accepted(length: int) -> None:
    params = {"PasswordLength": length, "RequireEachIncludedType": length >= 4}
    assert len(random_password(params)) == length


@pytest.mark.parametrize(
    ("length", "constraint"),
    [
        (0, "Member must have value greater than or equal to 1"),
        (-7, "Member must have value greater than or equal to 1"),
        (4097, "Member must have value less than or equal to 4096"),
    ],
)
def test_length_out_of_range_is_a_validation_error(length: int, constraint: str) -> None:
    with pytest.raises(ValidationException) as caught:
        random_password({"PasswordLength": length})
    assert f"Value '{length}' at 'passwordLength'" in caught.value.message
    assert constraint in caught.value.message


def test_exclude_characters_longer_than_4096_is_a_validation_error() -> None:
    with pytest.raises(ValidationException, match="excludeCharacters"):
        random_password({"ExcludeCharacters": "a" * 4097})


def test_each_type_switch_removes_its_type() -> None:
    switches = {
        "ExcludeUppercase": string.ascii_uppercase,
        "ExcludeLowercase": string.ascii_lowercase,
        "ExcludeNumbers": string.digits,
        "ExcludePunctuation": PUNCTUATION,
    }
    for switch, chars in switches.items():
        password = random_password({switch: True, "PasswordLength": 400})
        assert not set(password) & set(chars), switch
        for other, other_chars in switches.items():
            if other != switch:
                assert set(password) & set(other_chars), (switch, other)


def test_include_space_is_not_a_required_type() -> None:
    for _ in range(20):
        password = random_password({"IncludeSpace": True, "PasswordLength": 4})
        assert " " not in password


def test_exclude_characters_wins_over_include_space() -> None:
    password = random_password(
        {"IncludeSpace": True, "ExcludeCharacters": " ", "PasswordLength": 300}
    )
    assert " " not in password


def test_exclude_characters_are_never_used() -> None:
    excluded = "abcdefXYZ0123!@#"
    password = random_password({"ExcludeCharacters": excluded, "PasswordLength": 2000})
    assert not set(password) & set(excluded)


def test_type_emptied_by_exclude_characters_is_not_required() -> None:
    password = random_password(
        {"ExcludeCharacters": string.digits, "ExcludePunctuation": True, "PasswordLength": 2}
    )
    assert len(password) == 2
    assert set(password) <= set(string.ascii_letters)
    assert set(password) & set(string.ascii_uppercase)
    assert set(password) & set(string.ascii_lowercase)


def test_length_shorter_than_required_types_is_invalid() -> None:
    with pytest.raises(InvalidParameterException, match="too short"):
        random_password({"PasswordLength": 3})


def test_without_required_types_a_short_password_is_fine() -> None:
    password = random_password({"PasswordLength": 1, "RequireEachIncludedType": False})
    assert len(password) == 1


@pytest.mark.parametrize("require", [True, False])
def test_everything_excluded_is_invalid(require: bool) -> None:
    params: dict[str, Any] = {
        "ExcludeUppercase": True,
        "ExcludeLowercase": True,
        "ExcludeNumbers": True,
        "ExcludePunctuation": True,
        "RequireEachIncludedType": require,
    }
    with pytest.raises(InvalidParameterException, match="every character is excluded"):
        random_password(params)
    with pytest.raises(InvalidParameterException, match="every character is excluded"):
        random_password(
            {
                "ExcludeCharacters": string.ascii_letters + string.digits + PUNCTUATION + " ",
                "IncludeSpace": True,
                "RequireEachIncludedType": require,
            }
        )


def test_only_space_left_gives_spaces() -> None:
    params = {
        "ExcludeUppercase": True,
        "ExcludeLowercase": True,
        "ExcludeNumbers": True,
        "ExcludePunctuation": True,
        "IncludeSpace": True,
        "PasswordLength": 3,
    }
    assert random_password(params) == "   "


def test_required_characters_are_placed_at_random() -> None:
    # Two required types in two positions: both orders must show up (failure odds 2**-199).
    params = {"ExcludeNumbers": True, "ExcludePunctuation": True, "PasswordLength": 2}
    first_is_upper = {random_password(params)[0].isupper() for _ in range(200)}
    assert first_is_upper == {True, False}


def test_passwords_differ() -> None:
    assert len({random_password({}) for _ in range(50)}) == 50


# --- the randomness: uniform and unbiased, checked over every possible byte ------------------


@pytest.fixture
def one_password_a_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each os.urandom read makes one password (no plan, so none drawn ahead), as the
    byte-level tests below lay the reads out."""
    monkeypatch.setattr(passwords, "POOL_READ", 0)
    monkeypatch.setattr(passwords, "_PLANS", {})


def _reads(monkeypatch: pytest.MonkeyPatch, *chunks: bytes) -> list[int]:
    """Make os.urandom hand out `chunks`, each cut or padded with 0xff bytes (rejected by
    every draw below) to the size asked; returns the sizes asked, as they come."""
    supply: Iterator[bytes] = iter(chunks)
    asked: list[int] = []

    def urandom(size: int) -> bytes:
        asked.append(size)
        return next(supply)[:size].ljust(size, b"\xff")

    monkeypatch.setattr(os, "urandom", urandom)
    return asked


@pytest.mark.parametrize("size", range(1, 96))
def test_every_character_is_as_likely_from_a_random_byte(size: int) -> None:
    alphabet = (string.ascii_letters + string.digits + PUNCTUATION + " ")[:size]
    table, rejected = passwords._byte_table(alphabet)
    made = Counter(bytes(range(256)).translate(table, rejected).decode("ascii"))
    assert set(made) == set(alphabet)
    assert set(made.values()) == {256 // size}


@pytest.mark.usefixtures("one_password_a_read")
def test_characters_drawn_again_when_bytes_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    # The types' order; 94 characters: bytes 188-255 rejected.
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + PUNCTUATION
    asked = _reads(monkeypatch, bytes([255, 0, 200]), bytes([1, 189, 93]))
    assert passwords.random_password(3, require_each=False) == "AB" + alphabet[93]
    assert asked == [2 * 3 + 8, 2 * 2 + 8]


@pytest.mark.usefixtures("one_password_a_read")
@pytest.mark.parametrize(
    ("kept", "width"),
    [(("AB", "abc"), 1), (("AB", "abc", "01", "!"), 2), (("ABCDEFG",), 1)],
)
def test_every_arrangement_of_the_required_characters_is_as_likely(
    kept: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every value of the integer's bytes, none spare: each order of one character of each
    required type comes as often, and the values that would favour some are drawn again."""
    monkeypatch.setattr(passwords, "SPARE_BYTES", 0)
    supply: list[bytes] = []
    monkeypatch.setattr(os, "urandom", lambda size: supply.pop())
    excluded = "".join(sorted(set(_ALL_CHARS) - set("".join(kept))))
    made: Counter[str] = Counter()
    for value in range(256**width):
        supply[:] = [bytes(width), value.to_bytes(width, "little")]  # popped from the end
        password = passwords.random_password(len(kept), excluded)
        made[password if supply else "redrawn"] += 1
    outcomes = math.factorial(len(kept)) * math.prod(map(len, kept))
    redrawn = made.pop("redrawn", 0)  # a redraw empties the supply
    assert redrawn == 256**width % outcomes
    assert len(made) == outcomes
    assert set(made.values()) == {256**width // outcomes}
    assert all(sorted(map(set(p).isdisjoint, kept)) == [False] * len(kept) for p in made)


@pytest.mark.usefixtures("one_password_a_read")
def test_a_rejected_integer_alone_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + PUNCTUATION
    first = passwords.random_password()  # the plan, outside the patched reads
    assert len(first) == 32
    reads: list[int] = []

    def urandom(size: int) -> bytes:
        reads.append(size)
        if len(reads) == 1:  # the integer's bytes all 0xff, then the characters' (none rejected)
            return b"\xff" * (size - 64) + bytes(range(64))
        return bytes(size)  # the integer 0: each required character into the first slot

    monkeypatch.setattr(os, "urandom", urandom)
    assert passwords.random_password() == "!0aA" + alphabet[:28]
    assert reads == [reads[1] + 2 * 28 + 8, reads[1]]


def test_one_read_makes_the_next_passwords_each_from_bytes_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three passwords from one read, in the order made: each its own integer byte and
    its own free character (none rejected here), as three reads of one would give."""
    monkeypatch.setattr(passwords, "SPARE_BYTES", 0)
    monkeypatch.setattr(passwords, "POOL_READ", 9)  # 3 bytes a password: 1 integer, 2 free
    monkeypatch.setattr(passwords, "FIRST_READ", 3)
    monkeypatch.setattr(passwords, "_PLANS", {})
    excluded = "".join(sorted(set(_ALL_CHARS) - set("ABabc")))  # alphabet "ABabc"
    first, second = bytes([0, 1, 35, 0, 1, 2, 3, 4, 5]), bytes([4, 0, 0, 4, 0, 0, 0, 0, 0])
    asked = _reads(monkeypatch, first, second)
    made = [passwords.random_password(3, excluded) for _ in range(3)]
    # 0: "A", then "A" into slot 0 of 2 and "a" into slot 0 of 3. 1: "B", then "A" into
    # slot 1 and "a" into slot 0. 35 = 1 + 2 * (1 + 2 * (2 + 3 * 2)): "a", "B" into slot 1,
    # "c" into slot 2.
    assert made == ["aAA", "aBA", "aBc"]
    assert asked == [9]
    # The next read's first: "c", then "A" into slot 0 and "a" into slot 1 (4 = 0 + 2 * (0
    # + 2 * (1 + 3 * 0))).
    assert passwords.random_password(3, excluded) == "Aac"
    assert asked == [9, 9]


def test_a_request_asked_again_draws_more_passwords_a_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new request's first read makes one password, each later one twice as many as
    the one before, up to a read's worth (here four): asked once, a request draws no
    more than it needs."""
    monkeypatch.setattr(passwords, "SPARE_BYTES", 0)
    monkeypatch.setattr(passwords, "POOL_READ", 12)  # 3 bytes a password: 4 a read
    monkeypatch.setattr(passwords, "_PLANS", {})
    excluded = "".join(sorted(set(_ALL_CHARS) - set("ABabc")))
    asked = _reads(monkeypatch, *[bytes(12)] * 6)
    made = [passwords.random_password(3, excluded) for _ in range(1 + 2 + 4 + 4)]
    assert asked == [3, 6, 12, 12]
    assert len(made) == 11


_FORKED = """
import os
from stubtags.service import passwords
passwords.random_password(20)
passwords.random_password(20)  # the second read makes two passwords: one is left ready
assert [len(plan.ready) for plan in passwords._PLANS.values()] == [1]
reader, writer = os.pipe()
child = os.fork()
if child == 0:
    os.write(writer, passwords.random_password(20).encode())
    os._exit(0)
os.close(writer)
os.waitpid(child, 0)
theirs = os.read(reader, 100).decode()
print(len(theirs), passwords.random_password(20) != theirs)
"""


def test_a_forked_child_draws_its_own_passwords() -> None:
    """The parent's passwords drawn ahead are not the child's: both would otherwise hand
    out the same next one. Forked from a fresh interpreter: forking this multi-threaded
    test process could deadlock the child (Python 3.12 warns)."""
    forked = subprocess.run(
        [sys.executable, "-c", _FORKED], capture_output=True, text=True, check=True
    )
    assert forked.stdout.split() == ["20", "True"]


# --- through the operation: properties -------------------------------------------------

_TYPE_SWITCHES = {
    "ExcludeUppercase": string.ascii_uppercase,
    "ExcludeLowercase": string.ascii_lowercase,
    "ExcludeNumbers": string.digits,
    "ExcludePunctuation": "".join(AWS_PUNCTUATION),
}
_ALL_CHARS = string.ascii_letters + string.digits + "".join(AWS_PUNCTUATION) + " "


@st.composite
def password_requests(draw: st.DrawFn) -> dict[str, Any]:
    params: dict[str, Any] = {}
    length = draw(
        st.one_of(
            st.none(),
            st.integers(-3, 40),
            st.integers(4090, 4100),
        )
    )
    if length is not None:
        params["PasswordLength"] = length
    for member in [*_TYPE_SWITCHES, "IncludeSpace", "RequireEachIncludedType"]:
        value = draw(st.sampled_from([None, True, False]))
        if value is not None:
            params[member] = value
    excluded = draw(
        st.one_of(
            st.none(),
            st.text(st.sampled_from(_ALL_CHARS), max_size=40),
            st.sampled_from(
                [string.digits, string.ascii_letters, _ALL_CHARS, "".join(AWS_PUNCTUATION)]
            ),
        )
    )
    if excluded is not None:
        params["ExcludeCharacters"] = excluded
    return params


def _expected_types(params: dict[str, Any]) -> list[set[str]]:
    """An independent reading of which types the request leaves included."""
    excluded = set(params.get("ExcludeCharacters") or "")
    groups = [chars for switch, chars in _TYPE_SWITCHES.items() if not params.get(switch)]
    if params.get("IncludeSpace"):
        groups.append(" ")
    return [left for chars in groups if (left := set(chars) - excluded)]


@given(password_requests())
def test_password_respects_every_option(params: dict[str, Any]) -> None:
    length = params.get("PasswordLength", 32)
    types = _expected_types(params)
    require = params.get("RequireEachIncludedType", True)
    if not 1 <= length <= 4096:
        with pytest.raises(ValidationException):
            random_password(params)
        return
    required = [chars for chars in types if chars != {" "}]  # the space is never required
    if not types or (require and length < len(required)):
        with pytest.raises(InvalidParameterException):
            random_password(params)
        return
    password = random_password(params)
    assert isinstance(password, str)
    assert len(password) == length
    assert set(password) <= set().union(*types)
    if require:
        for chars in required:
            assert set(password) & chars


@given(password_requests())
def test_password_errors_are_only_the_documented_ones(params: dict[str, Any]) -> None:
    try:
        random_password(params)
    except (ValidationException, InvalidParameterException) as exc:
        assert exc.message
    # Any other exception type propagates and fails the test.
