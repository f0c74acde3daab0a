"""ListSecrets end to end through boto3: filters, negation, limits, sorting and paging.

The matching rules, as AWS documents ListSecrets filters: `name`, `tag-key`,
`tag-value`, `primary-region` and `owning-service` are case-sensitive prefixes;
`description` matches each word as a case-insensitive word prefix; `all` looks at name,
description, tag keys and tag values, ignoring case and
special characters; `!` negates one value.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from stubtags import Backend
from tests.helpers import (
    REGION,
    error_code,
    listed_names,
    sm_client,
    tag_list,
)

SORTS = [
    (by, order)
    for by in ("created-date", "last-accessed-date", "last-changed-date", "name")
    for order in ("asc", "desc")
]


def all_entries(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every entry of a listing, following NextToken to the end."""
    entries: list[dict[str, Any]] = []
    while True:
        page = client.list_secrets(**kwargs)
        entries += page["SecretList"]
        if "NextToken" not in page:
            return entries
        kwargs["NextToken"] = page["NextToken"]


def listed(client: Any, *filters: tuple[str, list[str]], **kwargs: Any) -> set[str]:
    """The names a filtered listing returns."""
    if filters:
        kwargs["Filters"] = [{"Key": key, "Values": values} for key, values in filters]
    return {entry["Name"] for entry in all_entries(client, **kwargs)}


def make(client: Any, name: str, description: str | None = None, **tags: str) -> None:
    kwargs: dict[str, Any] = {"Name": name, "SecretString": "v"}
    if description is not None:
        kwargs["Description"] = description
    if tags:
        kwargs["Tags"] = tag_list(tags)
    client.create_secret(**kwargs)


# --- filters ----------------------------------------------------------------------------------


def test_name_is_a_case_sensitive_prefix(secretsmanager: Any) -> None:
    for name in ("Production", "Prod1", "prod", "myProd", "Pro", "Prod"):
        make(secretsmanager, name)
    assert listed(secretsmanager, ("name", ["Prod"])) == {"Production", "Prod1", "Prod"}
    assert listed(secretsmanager, ("name", ["prod"])) == {"prod"}
    assert listed(secretsmanager, ("name", ["Production"])) == {"Production"}
    assert listed(secretsmanager, ("name", ["Productions"])) == set()


def test_name_prefix_may_contain_path_characters(secretsmanager: Any) -> None:
    for name in ("app/db/password", "app/api-key", "apple", "other/app"):
        make(secretsmanager, name)
    assert listed(secretsmanager, ("name", ["app/"])) == {"app/db/password", "app/api-key"}
    assert listed(secretsmanager, ("name", ["app/db"])) == {"app/db/password"}


def test_description_matches_word_prefixes_ignoring_case(secretsmanager: Any) -> None:
    make(secretsmanager, "db", description="Database password for Production")
    make(secretsmanager, "api", description="API key of the payments service")
    make(secretsmanager, "bare")
    assert listed(secretsmanager, ("description", ["data"])) == {"db"}
    assert listed(secretsmanager, ("description", ["PASS"])) == {"db"}
    assert listed(secretsmanager, ("description", ["data prod"])) == {"db"}
    assert listed(secretsmanager, ("description", ["prod data"])) == {"db"}
    assert listed(secretsmanager, ("description", ["base"])) == set()  # not the start of a word
    assert listed(secretsmanager, ("description", ["data xyz"])) == set()
    assert listed(secretsmanager, ("description", ["key"])) == {"api"}
    assert listed(secretsmanager, ("description", ["payments SERVICE"])) == {"api"}


def test_tag_key_is_a_case_sensitive_prefix_of_any_key(secretsmanager: Any) -> None:
    make(secretsmanager, "tagged", Environment="prod", Team="core")
    make(secretsmanager, "lower", env="prod")
    make(secretsmanager, "value-only", Owner="Environment")
    make(secretsmanager, "untagged")
    assert listed(secretsmanager, ("tag-key", ["Env"])) == {"tagged"}
    assert listed(secretsmanager, ("tag-key", ["Team"])) == {"tagged"}
    assert listed(secretsmanager, ("tag-key", ["env"])) == {"lower"}
    assert listed(secretsmanager, ("tag-key", ["Environments"])) == set()


def test_tag_value_is_a_case_sensitive_prefix_of_any_value(secretsmanager: Any) -> None:
    make(secretsmanager, "a", Env="production")
    make(secretsmanager, "b", Stage="prod")
    make(secretsmanager, "c", Env="Prod")
    make(secretsmanager, "d", prod="x")
    assert listed(secretsmanager, ("tag-value", ["prod"])) == {"a", "b"}
    assert listed(secretsmanager, ("tag-value", ["Prod"])) == {"c"}
    assert listed(secretsmanager, ("tag-value", ["production"])) == {"a"}


def test_all_looks_at_name_description_and_tags_ignoring_case(secretsmanager: Any) -> None:
    make(secretsmanager, "alpha-db")
    make(secretsmanager, "second", description="Payments service")
    make(secretsmanager, "third", Team="x")
    make(secretsmanager, "fourth", Colour="Blue")
    make(secretsmanager, "fifth")
    assert listed(secretsmanager, ("all", ["ALPHA"])) == {"alpha-db"}
    assert listed(secretsmanager, ("all", ["db"])) == {"alpha-db"}  # `-` separates words
    assert listed(secretsmanager, ("all", ["payments"])) == {"second"}
    assert listed(secretsmanager, ("all", ["team"])) == {"third"}
    assert listed(secretsmanager, ("all", ["blue"])) == {"fourth"}
    assert listed(secretsmanager, ("all", ["colour"])) == {"fourth"}
    assert listed(secretsmanager, ("all", ["lph"])) == set()  # a prefix, not a substring


def test_all_words_may_come_from_different_attributes(secretsmanager: Any) -> None:
    make(secretsmanager, "alpha", description="Payments", Colour="Blue")
    make(secretsmanager, "beta", Colour="Blue")
    assert listed(secretsmanager, ("all", ["alpha blue"])) == {"alpha"}
    assert listed(secretsmanager, ("all", ["payments colour"])) == {"alpha"}
    assert listed(secretsmanager, ("all", ["blue"])) == {"alpha", "beta"}


def _record(backend: Backend, name: str) -> Any:
    """The backend's record of a secret.

    Neither boto3 (no replica or managed-secret operations) nor the handle can set a
    secret's primary region or owning service, so these two tests write the record.
    """
    return backend.store.secrets_of(backend.account_id, REGION)[name]


def test_primary_region_is_a_case_sensitive_prefix(secretsmanager: Any, stubtags: Backend) -> None:
    make(secretsmanager, "replicated")
    make(secretsmanager, "eu")
    make(secretsmanager, "local")
    _record(stubtags, "replicated").primary_region = "us-west-2"
    _record(stubtags, "eu").primary_region = "eu-west-1"
    assert listed(secretsmanager, ("primary-region", ["us-west"])) == {"replicated"}
    assert listed(secretsmanager, ("primary-region", ["us", "eu"])) == {"replicated", "eu"}
    assert listed(secretsmanager, ("primary-region", ["US"])) == set()
    assert listed(secretsmanager, ("primary-region", ["!us"])) == {"eu", "local"}
    entry = next(e for e in all_entries(secretsmanager) if e["Name"] == "replicated")
    assert entry["PrimaryRegion"] == "us-west-2"


def test_owning_service_is_a_case_sensitive_prefix(secretsmanager: Any, stubtags: Backend) -> None:
    make(secretsmanager, "managed")
    make(secretsmanager, "mine")
    _record(stubtags, "managed").owning_service = "rds"
    assert listed(secretsmanager, ("owning-service", ["rd"])) == {"managed"}
    assert listed(secretsmanager, ("owning-service", ["RDS"])) == set()
    assert listed(secretsmanager, ("owning-service", ["!rds"])) == {"mine"}
    entry = next(e for e in all_entries(secretsmanager) if e["Name"] == "managed")
    assert entry["OwningService"] == "rds"


def test_primary_region_and_owning_service_of_plain_secrets(secretsmanager: Any) -> None:
    make(secretsmanager, "plain")
    assert listed(secretsmanager, ("primary-region", ["us"])) == set()
    assert listed(secretsmanager, ("owning-service", ["a"])) == set()
    assert listed(secretsmanager, ("primary-region", ["!us"])) == {"plain"}
    assert listed(secretsmanager, ("owning-service", ["!a"])) == {"plain"}


# --- negation ---------------------------------------------------------------------------------


def test_negated_tag_key_keeps_untagged_and_other_keys(secretsmanager: Any) -> None:
    make(secretsmanager, "env", Environment="prod")
    make(secretsmanager, "env-and-team", Env="x", Team="core")
    make(secretsmanager, "team", Team="core")
    make(secretsmanager, "lower", env="x")
    make(secretsmanager, "untagged")
    assert listed(secretsmanager, ("tag-key", ["!Env"])) == {"team", "lower", "untagged"}


def test_negated_tag_key_keeps_a_secret_whose_tags_were_all_removed(secretsmanager: Any) -> None:
    make(secretsmanager, "was-tagged", Env="x")
    secretsmanager.untag_resource(SecretId="was-tagged", TagKeys=["Env"])
    assert listed(secretsmanager, ("tag-key", ["!Env"])) == {"was-tagged"}


def test_negated_name_and_description(secretsmanager: Any) -> None:
    make(secretsmanager, "prod-db", description="Production database")
    make(secretsmanager, "dev-db", description="Development database")
    make(secretsmanager, "bare")
    assert listed(secretsmanager, ("name", ["!prod"])) == {"dev-db", "bare"}
    assert listed(secretsmanager, ("description", ["!production"])) == {"dev-db", "bare"}
    assert listed(secretsmanager, ("description", ["!database"])) == {"bare"}


def test_negated_tag_value_and_all(secretsmanager: Any) -> None:
    make(secretsmanager, "a", Env="prod")
    make(secretsmanager, "b", Env="dev")
    make(secretsmanager, "c")
    assert listed(secretsmanager, ("tag-value", ["!prod"])) == {"b", "c"}
    assert listed(secretsmanager, ("all", ["!prod"])) == {"b", "c"}


# --- combining filters ------------------------------------------------------------------------


def test_filters_combine_with_and(secretsmanager: Any) -> None:
    make(secretsmanager, "app/db", description="database", Env="prod")
    make(secretsmanager, "app/cache", Env="dev")
    make(secretsmanager, "web/db", description="database", Env="prod")
    assert listed(secretsmanager, ("name", ["app/"]), ("tag-value", ["prod"])) == {"app/db"}
    assert listed(
        secretsmanager, ("name", ["app/", "web/"]), ("description", ["data"]), ("tag-key", ["Env"])
    ) == {"app/db", "web/db"}
    assert listed(secretsmanager, ("name", ["app/"]), ("tag-key", ["!Env"])) == set()


def test_values_of_one_filter_combine_with_or(secretsmanager: Any) -> None:
    for name in ("alpha", "beta", "gamma"):
        make(secretsmanager, name)
    assert listed(secretsmanager, ("name", ["alpha", "beta"])) == {"alpha", "beta"}
    assert listed(secretsmanager, ("name", ["alpha", "zzz"])) == {"alpha"}


def test_no_filters_lists_every_live_secret_of_the_region(secretsmanager: Any) -> None:
    for name in ("a", "b", "c"):
        make(secretsmanager, name)
    other = sm_client("eu-west-1")
    other.create_secret(Name="elsewhere", SecretString="v")
    assert listed(secretsmanager) == {"a", "b", "c"}
    assert listed(other) == {"elsewhere"}


# --- planned deletion -------------------------------------------------------------------------


def test_scheduled_secrets_listed_only_on_request(secretsmanager: Any) -> None:
    make(secretsmanager, "live")
    make(secretsmanager, "scheduled")
    make(secretsmanager, "gone")
    secretsmanager.delete_secret(SecretId="scheduled", RecoveryWindowInDays=7)
    secretsmanager.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True)
    assert listed(secretsmanager) == {"live"}
    assert listed(secretsmanager, IncludePlannedDeletion=False) == {"live"}
    entries = all_entries(secretsmanager, IncludePlannedDeletion=True)
    assert {e["Name"] for e in entries} == {"live", "scheduled"}
    by_name = {e["Name"]: e for e in entries}
    assert "DeletedDate" in by_name["scheduled"]
    assert "DeletedDate" not in by_name["live"]
    secretsmanager.restore_secret(SecretId="scheduled")
    assert listed(secretsmanager) == {"live", "scheduled"}


def test_filters_apply_to_scheduled_secrets_too(secretsmanager: Any) -> None:
    make(secretsmanager, "app/one")
    make(secretsmanager, "app/two")
    make(secretsmanager, "web/one")
    secretsmanager.delete_secret(SecretId="app/two")
    secretsmanager.delete_secret(SecretId="web/one")
    assert listed(secretsmanager, ("name", ["app/"]), IncludePlannedDeletion=True) == {
        "app/one",
        "app/two",
    }


# --- limits -----------------------------------------------------------------------------------


def test_max_results_zero_is_refused_by_botocore(secretsmanager: Any) -> None:
    with pytest.raises(ParamValidationError):
        secretsmanager.list_secrets(MaxResults=0)


def test_max_results_over_100_is_a_validation_error(secretsmanager: Any) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(MaxResults=101)
    assert error_code(error) == "ValidationException"
    assert "maxResults" in error.value.response["Error"]["Message"]


def test_max_results_bounds_are_accepted(secretsmanager: Any) -> None:
    make(secretsmanager, "a")
    make(secretsmanager, "b")
    assert len(secretsmanager.list_secrets(MaxResults=1)["SecretList"]) == 1
    assert len(secretsmanager.list_secrets(MaxResults=100)["SecretList"]) == 2


def test_eleven_filters_are_refused_ten_accepted(secretsmanager: Any) -> None:
    make(secretsmanager, "a")
    ten = [{"Key": "name", "Values": ["a"]}] * 10
    assert [e["Name"] for e in secretsmanager.list_secrets(Filters=ten)["SecretList"]] == ["a"]
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(Filters=[*ten, {"Key": "name", "Values": ["a"]}])
    assert error_code(error) == "ValidationException"


def test_eleven_values_are_refused_ten_accepted(secretsmanager: Any) -> None:
    make(secretsmanager, "v9")
    values = [f"v{n}" for n in range(10)]
    assert listed(secretsmanager, ("name", values)) == {"v9"}
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(Filters=[{"Key": "name", "Values": [*values, "v10"]}])
    assert error_code(error) == "ValidationException"


def test_value_over_512_chars_is_refused(secretsmanager: Any) -> None:
    make(secretsmanager, "a")
    assert listed(secretsmanager, ("name", ["a" * 512])) == set()
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(Filters=[{"Key": "name", "Values": ["a" * 513]}])
    assert error_code(error) == "ValidationException"


@pytest.mark.parametrize("value", ["#", "a#b", "tab\there", "semi;colon", "star*", "!!ok#"])
def test_value_with_a_forbidden_character_is_refused(secretsmanager: Any, value: str) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(Filters=[{"Key": "name", "Values": [value]}])
    assert error_code(error) == "ValidationException"


@pytest.mark.parametrize("value", ["a b", "x:y", "u_v@w", "p/q+r=s.t-u", "!neg"])
def test_value_with_allowed_characters_is_accepted(secretsmanager: Any, value: str) -> None:
    assert (
        secretsmanager.list_secrets(Filters=[{"Key": "name", "Values": [value]}])["SecretList"]
        == []
    )


@pytest.mark.parametrize("key", ["colour", "Name", "tag_key", "tags"])
def test_unknown_filter_key_is_refused(secretsmanager: Any, key: str) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(Filters=[{"Key": key, "Values": ["a"]}])
    assert error_code(error) == "ValidationException"


@pytest.mark.parametrize(("member", "value"), [("SortBy", "size"), ("SortOrder", "up")])
def test_unknown_sort_is_refused(secretsmanager: Any, member: str, value: str) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.list_secrets(**{member: value})
    assert error_code(error) == "ValidationException"


# --- sorting ----------------------------------------------------------------------------------


def test_sort_by_created_date(secretsmanager: Any) -> None:
    for name in ("m", "z", "a"):
        make(secretsmanager, name)
    assert listed_names(secretsmanager, SortBy="created-date", SortOrder="asc") == ["m", "z", "a"]
    assert listed_names(secretsmanager, SortBy="created-date", SortOrder="desc") == ["a", "z", "m"]


def test_default_order_is_oldest_first(secretsmanager: Any) -> None:
    """Inferred: AWS documents created-date as the default key but no direction."""
    for name in ("m", "z", "a"):
        make(secretsmanager, name)
    assert listed_names(secretsmanager) == ["m", "z", "a"]


def test_sort_by_name(secretsmanager: Any) -> None:
    for name in ("m", "z", "a", "b"):
        make(secretsmanager, name)
    assert listed_names(secretsmanager, SortBy="name", SortOrder="asc") == ["a", "b", "m", "z"]
    assert listed_names(secretsmanager, SortBy="name", SortOrder="desc") == ["z", "m", "b", "a"]


def test_sort_by_last_changed_date(secretsmanager: Any) -> None:
    for name in ("a", "b", "c"):
        make(secretsmanager, name)
    secretsmanager.update_secret(SecretId="a", Description="changed last")
    secretsmanager.tag_resource(SecretId="b", Tags=[{"Key": "k", "Value": "v"}])
    secretsmanager.tag_resource(SecretId="a", Tags=[{"Key": "k", "Value": "v"}])
    assert listed_names(secretsmanager, SortBy="last-changed-date", SortOrder="asc") == [
        "c",
        "b",
        "a",
    ]
    assert listed_names(secretsmanager, SortBy="last-changed-date", SortOrder="desc") == [
        "a",
        "b",
        "c",
    ]


def test_sort_by_last_accessed_date(secretsmanager: Any) -> None:
    for name in ("a", "b", "c"):
        make(secretsmanager, name)
    secretsmanager.get_secret_value(SecretId="b")
    asc = listed_names(secretsmanager, SortBy="last-accessed-date", SortOrder="asc")
    desc = listed_names(secretsmanager, SortBy="last-accessed-date", SortOrder="desc")
    # Never-read secrets sort as the oldest access.
    assert asc == ["a", "c", "b"]
    assert desc == ["b", "c", "a"]


@pytest.mark.parametrize(("sort_by", "order"), SORTS)
def test_each_sort_reverses_exactly(secretsmanager: Any, sort_by: str, order: str) -> None:
    for name in ("q", "w", "e", "r", "t"):
        make(secretsmanager, name)
    secretsmanager.get_secret_value(SecretId="e")
    secretsmanager.update_secret(SecretId="w", Description="d")
    forward = listed_names(secretsmanager, SortBy=sort_by, SortOrder=order)
    backward = listed_names(
        secretsmanager, SortBy=sort_by, SortOrder="desc" if order == "asc" else "asc"
    )
    assert sorted(forward) == ["e", "q", "r", "t", "w"]
    assert backward == forward[::-1]


# --- paging -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("sort_by", "order"), SORTS)
def test_pages_of_two_equal_the_unpaged_list(secretsmanager: Any, sort_by: str, order: str) -> None:
    names = [f"s{n:02d}" for n in range(9)]
    random.Random(7).shuffle(names)
    for index, name in enumerate(names):
        make(secretsmanager, name, Parity="even" if index % 2 == 0 else "odd")
        if index % 3 == 0:
            secretsmanager.get_secret_value(SecretId=name)
    options = {"SortBy": sort_by, "SortOrder": order}
    unpaged = secretsmanager.list_secrets(**options)
    assert "NextToken" not in unpaged
    pages: list[list[str]] = []
    kwargs: dict[str, Any] = {**options, "MaxResults": 2}
    while True:
        page = secretsmanager.list_secrets(**kwargs)
        pages.append([e["Name"] for e in page["SecretList"]])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert [n for page in pages for n in page] == [e["Name"] for e in unpaged["SecretList"]]
    assert [len(p) for p in pages] == [2, 2, 2, 2, 1]

    filtered = {**options, "Filters": [{"Key": "tag-value", "Values": ["even"]}]}
    assert listed_names(secretsmanager, MaxResults=2, **filtered) == [
        e["Name"] for e in secretsmanager.list_secrets(**filtered)["SecretList"]
    ]


def test_last_page_carries_no_token_when_results_fill_it_exactly(secretsmanager: Any) -> None:
    for name in ("a", "b", "c", "d"):
        make(secretsmanager, name)
    first = secretsmanager.list_secrets(MaxResults=2)
    second = secretsmanager.list_secrets(MaxResults=2, NextToken=first["NextToken"])
    assert [e["Name"] for e in second["SecretList"]] == ["c", "d"]
    assert "NextToken" not in second


@pytest.mark.parametrize(
    ("sort_by", "order"),
    [("created-date", "asc"), ("created-date", "desc"), ("name", "asc"), ("name", "desc")],
)
def test_changes_between_pages_neither_repeat_nor_skip(
    secretsmanager: Any, sort_by: str, order: str
) -> None:
    names = [f"k{n:02d}" for n in range(10)]
    random.Random(3).shuffle(names)
    for name in names:
        make(secretsmanager, name)
    options = {"SortBy": sort_by, "SortOrder": order}
    first = secretsmanager.list_secrets(MaxResults=3, **options)
    seen = [e["Name"] for e in first["SecretList"]]
    not_yet = [n for n in listed_names(secretsmanager, **options) if n not in seen]

    # Between pages: delete one secret already returned and one still to come, create
    # secrets whose names and dates land before, between and after the cursor.
    removed = {seen[0], not_yet[2]}
    secretsmanager.delete_secret(SecretId=seen[0], ForceDeleteWithoutRecovery=True)
    secretsmanager.delete_secret(SecretId=not_yet[2], RecoveryWindowInDays=7)
    for name in ("a-new", "k045", "z-new"):
        make(secretsmanager, name)

    token = first["NextToken"]
    while token:
        page = secretsmanager.list_secrets(MaxResults=3, NextToken=token, **options)
        seen += [e["Name"] for e in page["SecretList"]]
        token = page.get("NextToken")

    assert len(seen) == len(set(seen)), f"repeated: {seen}"
    survivors = set(names) - removed
    assert survivors <= set(seen), f"skipped: {survivors - set(seen)}"
    assert not_yet[2] not in seen
    assert set(seen) <= set(names) | {"a-new", "k045", "z-new"}


def test_garbage_next_token_is_refused(secretsmanager: Any) -> None:
    make(secretsmanager, "a")
    for garbage in ("garbage", "eyJ9", "a.b", "x" * 100):
        with pytest.raises(secretsmanager.exceptions.InvalidNextTokenException):
            secretsmanager.list_secrets(NextToken=garbage)


def test_tampered_next_token_is_refused(secretsmanager: Any) -> None:
    for name in ("a", "b", "c"):
        make(secretsmanager, name)
    real = secretsmanager.list_secrets(MaxResults=1)["NextToken"]
    assert [e["Name"] for e in secretsmanager.list_secrets(NextToken=real)["SecretList"]] == [
        "b",
        "c",
    ]
    middle = len(real) // 2
    replacement = "A" if real[middle] != "A" else "B"
    tampered = real[:middle] + replacement + real[middle + 1 :]
    with pytest.raises(secretsmanager.exceptions.InvalidNextTokenException):
        secretsmanager.list_secrets(NextToken=tampered)
    with pytest.raises(secretsmanager.exceptions.InvalidNextTokenException):
        secretsmanager.list_secrets(NextToken=real[:-3])
    with pytest.raises(secretsmanager.exceptions.InvalidNextTokenException):
        secretsmanager.list_secrets(NextToken=real + "x")


# --- entries ----------------------------------------------------------------------------------


def test_entries_carry_tags_by_describe_secret_rules(secretsmanager: Any) -> None:
    make(secretsmanager, "never")
    make(secretsmanager, "tagged", Team="core", Env="prod")
    make(secretsmanager, "cleared", Team="core")
    secretsmanager.untag_resource(SecretId="cleared", TagKeys=["Team"])
    by_name = {e["Name"]: e for e in all_entries(secretsmanager)}
    assert "Tags" not in by_name["never"]
    assert by_name["tagged"]["Tags"] == [
        {"Key": "Team", "Value": "core"},
        {"Key": "Env", "Value": "prod"},
    ]
    assert by_name["cleared"]["Tags"] == []
    for name, entry in by_name.items():
        described = secretsmanager.describe_secret(SecretId=name)
        assert entry.get("Tags") == described.get("Tags")


def test_entries_carry_versions_to_stages_and_metadata(secretsmanager: Any) -> None:
    first = secretsmanager.create_secret(
        Name="s", SecretString="one", Description="d", KmsKeyId="alias/k"
    )
    second = secretsmanager.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    (entry,) = secretsmanager.list_secrets()["SecretList"]
    assert entry["SecretVersionsToStages"] == {
        first["VersionId"]: ["AWSPREVIOUS"],
        second: ["AWSCURRENT"],
    }
    assert entry["ARN"] == first["ARN"]
    assert entry["Description"] == "d"
    assert entry["KmsKeyId"] == "alias/k"
    described = secretsmanager.describe_secret(SecretId="s")
    assert entry["CreatedDate"] == described["CreatedDate"]
    assert entry["LastChangedDate"] == described["LastChangedDate"]
    assert "VersionIdsToStages" not in entry
