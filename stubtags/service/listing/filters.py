"""Filter matching of ListSecrets (and BatchGetSecretValue's Filters) over `Secret` records.

The readable reference implementation of these rules, written the slow, literal way,
is `_reference` in tests/test_service_listing.py; the property tests hold this module to it.

- `name`, `tag-key`, `tag-value`, `primary-region`, `owning-service`: case-sensitive
  prefix match. `tag-key`/`tag-value` match when ANY tag key/value has the prefix; an
  absent `primary_region`/`owning_service` never matches a positive value.
- `description`: the value and the description are split on whitespace; every word of
  the value must be a case-insensitive prefix of some word of the description. A secret
  without a description never matches a positive value.
- `all`: the value and the secret's name, description, tag keys and tag values are split
  into words as the user guide's "Find secrets in AWS Secrets Manager" says: at every
  character that is not a letter or digit, between letters and digits, and where the
  case changes: before an upper-case letter that follows a lower-case one, and before
  the last upper-case letter of a run that a lower-case letter follows (`credsDatabase#892`
  gives `creds`, `Database`, `892`; `COMPANYthings` gives `COMPAN`, `Ythings`). Every
  word of the value must be a case-insensitive prefix of some word; the words may come
  from different attributes.
- Negation: a value `!v` matches a secret exactly when `v` would not match it (only the
  first `!` is an operator). So `tag-key` `!Env` keeps the secrets with no tag key
  starting with `Env`, untagged ones included, and `description` `!foo` keeps the ones
  without a description.
- The values of one filter are OR-ed, filters are AND-ed; `!` applies to one value only,
  so `["a", "!b"]` means "a, or anything that is not b".
- Secrets scheduled for deletion are left out unless `IncludePlannedDeletion` is true.

Inferred (no document or recording found): several values of one filter are OR-ed,
negated values included; `all` matches words drawn from different attributes and
searches only name, description, tag keys and tag values; for `all`, letters without
case (and title-case ones) count as lower case and numeric characters other than
digits as digits; a value with no words (e.g. `""`, or `"-"` for `all`) matches every
secret it is tested against; an empty description is a description without words,
unlike an absent one; words are split on whitespace for `description`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from stubtags.service.model import Secret

FILTER_KEYS: Final = (
    "description",
    "name",
    "tag-key",
    "tag-value",
    "primary-region",
    "owning-service",
    "all",
)

_RUN_RE = re.compile(r"[^\W_]+")  # runs of letters and digits, any script
# The words of a run of ASCII letters and digits; `A`/`a`/`0` stand for the three classes.
_CASE_WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def split_words(text: str) -> list[str]:
    """The words of a text for the `all` filter, in their original case.

    ASCII text is split by one regular expression; a run with other characters is
    mapped character by character to its classes first, and the same expression
    cuts it (Python's `re` has no upper/lower-case classes beyond ASCII).
    """
    if text.isascii():
        return _CASE_WORD_RE.findall(text)
    words: list[str] = []
    for run in _RUN_RE.findall(text):
        if run.isascii():
            words += _CASE_WORD_RE.findall(run)
            continue
        classes = "".join(_class_of(c) for c in run)
        words += [run[m.start() : m.end()] for m in _CASE_WORD_RE.finditer(classes)]
    return words


def _class_of(char: str) -> str:
    if char.isalpha():
        return "A" if char.isupper() else "a"
    return "0"  # a digit or another numeric character


def _lower_words(text: str) -> list[str]:
    return [word.lower() for word in split_words(text)]


def _no_final_sigma(text: str) -> str:
    # str.lower() is per character except for the Greek final sigma, which depends on
    # what follows: a word lowered alone and the same word lowered inside its text can
    # differ there, and only there.
    return text.replace("\u03c2", "\u03c3")


@dataclass(frozen=True, slots=True)
class Filter:
    """One request filter: a key of `FILTER_KEYS` and its values (`!` still attached)."""

    key: str
    values: tuple[str, ...]


Test = Callable[[Secret], bool]
_WordTest = Callable[[str], bool]
_SEP: Final = "\x00"


def _name_test(prefixes: tuple[str, ...]) -> Test:
    def test(secret: Secret) -> bool:
        return secret.name.startswith(prefixes)

    return test


def _tags_test(prefixes: tuple[str, ...], *, of_values: bool) -> Test:
    """Any tag key (or value) starts with one of the prefixes.

    A key starts with a prefix exactly when NUL + prefix occurs in NUL + the keys joined
    by NUL, as long as no key holds a NUL itself (counted; checked key by key if one
    does). One join and one search in C: a filter that matches few secrets has to test
    them all, and this is about 1.5x faster than a Python loop over the tags there.
    """
    needles = tuple(_SEP + p for p in prefixes)

    def test(secret: Secret) -> bool:
        tags = secret.tags
        if not tags:
            return False
        words = tags.values() if of_values else tags
        haystack = _SEP + _SEP.join(words)
        for needle in needles:
            if needle in haystack:
                if haystack.count(_SEP) == len(tags):
                    return True
                return any(word.startswith(prefixes) for word in words)
        return False

    return test


def _tag_key_test(prefixes: tuple[str, ...]) -> Test:
    return _tags_test(prefixes, of_values=False)


def _tag_value_test(prefixes: tuple[str, ...]) -> Test:
    return _tags_test(prefixes, of_values=True)


def _primary_region_test(prefixes: tuple[str, ...]) -> Test:
    def test(secret: Secret) -> bool:
        region = secret.primary_region
        return region is not None and region.startswith(prefixes)

    return test


def _owning_service_test(prefixes: tuple[str, ...]) -> Test:
    def test(secret: Secret) -> bool:
        service = secret.owning_service
        return service is not None and service.startswith(prefixes)

    return test


def _word_needles(words: Iterable[str]) -> tuple[str, ...]:
    # A space before each word: found in the space-joined words of the haystack exactly
    # when it starts one of them, since neither side contains spaces within a word.
    return tuple(" " + word for word in words)


def _words_test(value_words: list[list[str]], split: Callable[[str], list[str]]) -> _WordTest:
    """Whether, for some value, each of its words starts a word of a lower-cased text."""
    needle_sets = [_word_needles(words) for words in value_words]

    def test(text: str) -> bool:
        # Every word of a match is at least a substring of the text: a cheap rejection
        # before the text is split into words.
        if not any(all(w in text for w in words) for words in value_words):
            return False
        haystack = " " + " ".join(split(text))
        return any(all(n in haystack for n in needles) for needles in needle_sets)

    return test


def _description_test(values: tuple[str, ...]) -> Test:
    words_match = _words_test([v.lower().split() for v in values], str.split)

    def test(secret: Secret) -> bool:
        description = secret.description
        return description is not None and words_match(description.lower())

    return test


def _all_test(values: tuple[str, ...]) -> Test:
    value_words = [_lower_words(v) for v in values]
    needle_sets = [_word_needles(words) for words in value_words]
    # Every word of a match is a substring of the lowered text: a cheap rejection before
    # the text is split into words (which needs its original case).
    parts_sets = [[_no_final_sigma(w) for w in words] for words in value_words]

    def test(secret: Secret) -> bool:
        parts = [secret.name]
        if secret.description:
            parts.append(secret.description)
        if secret.tags:
            parts.extend(secret.tags)
            parts.extend(secret.tags.values())
        # NUL joins the attributes so that no word runs across two of them.
        text = _SEP.join(parts)
        lowered = _no_final_sigma(text.lower())
        if not any(all(w in lowered for w in words) for words in parts_sets):
            return False
        haystack = " " + " ".join(_lower_words(text))
        return any(all(n in haystack for n in needles) for needles in needle_sets)

    return test


# Each builder takes the positive values of a filter and returns a test that is true when
# any of them matches.
_TEST_BUILDERS: Final[dict[str, Callable[[tuple[str, ...]], Test]]] = {
    "name": _name_test,
    "tag-key": _tag_key_test,
    "tag-value": _tag_value_test,
    "primary-region": _primary_region_test,
    "owning-service": _owning_service_test,
    "description": _description_test,
    "all": _all_test,
}


def _negate(test: Test) -> Test:
    def negated(secret: Secret) -> bool:
        return not test(secret)

    return negated


def _compile_filter(flt: Filter) -> Test:
    """One filter as a test: its plain values OR-ed with each of its negated values."""
    try:
        build = _TEST_BUILDERS[flt.key]
    except KeyError:
        raise ValueError(f"unknown filter key {flt.key!r}; requests are checked for it") from None
    plain = tuple(v for v in flt.values if not v.startswith("!"))
    tests = [_negate(build((v[1:],))) for v in flt.values if v.startswith("!")]
    if plain:
        tests.insert(0, build(plain))
    if not tests:
        return _never
    if len(tests) == 1:
        return tests[0]

    def any_value(secret: Secret) -> bool:
        return any(value_test(secret) for value_test in tests)

    return any_value


def _never(secret: Secret) -> bool:
    return False


def compile_filters(filters: Sequence[Filter]) -> list[Test]:
    """The tests a listed secret must all pass, one per filter."""
    return [_compile_filter(f) for f in filters]


def passing(
    tests: list[Test], secrets: Iterable[Secret], include_planned_deletion: bool
) -> Iterator[Secret]:
    """The secrets that pass every test, lazily, in the order given.

    Each test is one C-level `filter`: a per-secret generator would cost more than a
    simple test itself.
    """
    passing: Iterator[Secret] = iter(secrets)
    if not include_planned_deletion:
        passing = filter(_not_deleted, passing)
    for test in tests:
        passing = filter(test, passing)
    return passing


def _not_deleted(secret: Secret) -> bool:
    return secret.deleted_date is None  # `scheduled_for_deletion`, without a property call


def matches(secret: Secret, filters: Sequence[Filter]) -> bool:
    """Whether a secret passes every filter (deletion state is not considered here)."""
    return all(test(secret) for test in compile_filters(filters))
