"""Unit tests of ListSecrets' request reading (stubtags.operations.listing.parse_query).

The wire checks of Filters, SortBy, SortOrder, MaxResults and NextToken, which
BatchGetSecretValue's Filters share; the messages are the service's validation wording.
"""

from __future__ import annotations

from typing import Any

import pytest

from stubtags.operations.listing import parse_query
from stubtags.service.errors import (
    InvalidParameterException,
    ValidationException,
    violation,
)
from stubtags.service.listing import FILTER_KEYS, Filter, Query

ENUM_KEYS = (
    "Member must satisfy enum value set: "
    "[description, name, tag-key, tag-value, primary-region, owning-service, all]"
)
PATTERN = r"Member must satisfy regular expression pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$"


def one_error(value: object, where: str, constraint: str) -> str:
    """A single violation as the service words a whole message."""
    return "1 validation error detected: " + violation(value, where, constraint)


def validation_message(params: dict[str, Any], **kwargs: Any) -> str:
    with pytest.raises(ValidationException) as caught:
        parse_query(params, **kwargs)
    return caught.value.message


def test_parse_defaults() -> None:
    query, max_results, token = parse_query({})
    assert query == Query((), "created-date", "asc", False)
    assert (max_results, token) == (100, None)


def test_parse_full_request() -> None:
    query, max_results, token = parse_query(
        {
            "Filters": [
                {"Key": "tag-key", "Values": ["Env", "!Owner"]},
                {"Key": "name", "Values": ["p"]},
            ],
            "SortBy": "name",
            "SortOrder": "desc",
            "IncludePlannedDeletion": True,
            "MaxResults": 7,
            "NextToken": "abc",
        }
    )
    assert query == Query(
        (Filter("tag-key", ("Env", "!Owner")), Filter("name", ("p",))), "name", "desc", True
    )
    assert (max_results, token) == (7, "abc")


@pytest.mark.parametrize("value", [1, 100])
def test_max_results_bounds_accepted(value: int) -> None:
    assert parse_query({"MaxResults": value})[1] == value


def test_max_results_over_100() -> None:
    expected = one_error(101, "maxResults", "Member must have value less than or equal to 100")
    assert validation_message({"MaxResults": 101}) == expected


def test_max_results_under_1() -> None:
    expected = one_error(0, "maxResults", "Member must have value greater than or equal to 1")
    assert validation_message({"MaxResults": 0}) == expected


def test_max_results_limit_for_batch_get() -> None:
    assert parse_query({}, max_results_limit=20)[1] == 20
    assert parse_query({"MaxResults": 20}, max_results_limit=20)[1] == 20
    expected = one_error(21, "maxResults", "Member must have value less than or equal to 20")
    assert validation_message({"MaxResults": 21}, max_results_limit=20) == expected


def test_at_most_ten_filters() -> None:
    ten = [{"Key": "name", "Values": [str(i)]} for i in range(10)]
    assert len(parse_query({"Filters": ten})[0].filters) == 10
    message = validation_message({"Filters": [*ten, {"Key": "name", "Values": ["x"]}]})
    assert message.startswith("1 validation error detected: Value '[{Key: name,Values: [0]}, ")
    assert message.endswith(
        "' at 'filters' failed to satisfy constraint: "
        "Member must have length less than or equal to 10"
    )


def test_ten_values_accepted_eleven_refused() -> None:
    ten = [str(i) for i in range(10)]
    assert parse_query({"Filters": [{"Key": "name", "Values": ten}]})[0].filters[0].values == tuple(
        ten
    )
    expected = one_error(
        "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
        "filters.1.member.values",
        "Member must have length less than or equal to 10",
    )
    params = {"Filters": [{"Key": "name", "Values": [*ten, "10"]}]}
    assert validation_message(params) == expected


def test_empty_values_refused() -> None:
    expected = one_error(
        "[]", "filters.2.member.values", "Member must have length greater than or equal to 1"
    )
    params = {"Filters": [{"Key": "name", "Values": ["a"]}, {"Key": "name", "Values": []}]}
    assert validation_message(params) == expected


def test_missing_values_refused() -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_query({"Filters": [{"Key": "description"}]})
    assert caught.value.message == "Invalid filter values for key: description"


def test_missing_key_refused() -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_query({"Filters": [{"Values": ["foo"]}]})
    assert caught.value.message == "Invalid filter key"


def test_unknown_key_refused_with_its_position() -> None:
    params = {"Filters": [{"Key": "name", "Values": ["a"]}, {"Key": "bogus", "Values": ["a"]}]}
    expected = one_error("bogus", "filters.2.member.key", ENUM_KEYS)
    assert validation_message(params) == expected


@pytest.mark.parametrize("key", FILTER_KEYS)
def test_every_documented_key_accepted(key: str) -> None:
    assert parse_query({"Filters": [{"Key": key, "Values": ["a"]}]})[0].filters == (
        Filter(key, ("a",)),
    )


def test_value_length() -> None:
    longest = "a" * 512
    assert parse_query({"Filters": [{"Key": "name", "Values": [longest]}]})[0].filters
    too_long = "a" * 513
    expected = one_error(
        too_long,
        "filters.1.member.values.1.member",
        "Member must have length less than or equal to 512",
    )
    assert validation_message({"Filters": [{"Key": "name", "Values": [too_long]}]}) == expected


@pytest.mark.parametrize("value", ["", "!", "a b", "!x!y", "!!x", "a:b_c@d/e+f=g.h-i", "Z9"])
def test_value_pattern_accepts(value: str) -> None:
    assert parse_query({"Filters": [{"Key": "name", "Values": [value]}]})[0].filters


@pytest.mark.parametrize("value", ["a*b", "a\nb", "x\n", "é", "a#", "(a)"])
def test_value_pattern_refuses(value: str) -> None:
    params = {"Filters": [{"Key": "name", "Values": ["ok", value]}]}
    expected = one_error(value, "filters.1.member.values.2.member", PATTERN)
    assert validation_message(params) == expected


def test_sort_by_and_order_enums() -> None:
    assert validation_message({"SortBy": "size"}) == one_error(
        "size",
        "sortBy",
        "Member must satisfy enum value set: "
        "[created-date, last-accessed-date, last-changed-date, name]",
    )
    assert validation_message({"SortOrder": "up"}) == one_error(
        "up", "sortOrder", "Member must satisfy enum value set: [asc, desc]"
    )


def test_every_violation_reported_at_once() -> None:
    message = validation_message(
        {"MaxResults": 500, "Filters": [{"Key": "bogus", "Values": ["a*"]}], "SortBy": "x"}
    )
    assert message.startswith("4 validation errors detected: Value '500' at 'maxResults'")
    assert message.count("; ") == 3
    assert "at 'filters.1.member.key'" in message
    assert "at 'filters.1.member.values.1.member'" in message
    assert message.endswith(
        "at 'sortBy' failed to satisfy constraint: Member must satisfy enum "
        "value set: [created-date, last-accessed-date, last-changed-date, name]"
    )


def test_next_token_length() -> None:
    assert "at 'nextToken'" in validation_message({"NextToken": ""})
    assert "less than or equal to 4096" in validation_message({"NextToken": "a" * 4097})
    assert parse_query({"NextToken": "a" * 4096})[2] == "a" * 4096
