"""ListSecrets through boto3: filters, negation, limits, sorting and paging.

The matching rules come from the project's facts page: `name`, `tag-key`, `tag-value`,
`primary-region` and `owning-service` are case-sensitive prefixes; `description` matches
each word as a case-insensitive word prefix; `all` looks at name, description, tag keys
and tag values, ignoring case and special characters; `!` negates one value.
"""

from __future__ import annotations

import random
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from stubtags import Backend

REGION = "us-east-1"
SORTS = [
    (by, order)
    for by in ("created-date", "last-accessed-date", "last-changed-date", "name")
    for order in ("asc", "desc")
]


def code_of(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


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
        kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    client.create_secret(**kwargs)


# ------------------------------------------------------------------------------------ filters


def test_name_is_a_case_sensitive_prefix(client: Any) -> None:
    for name in ("Production", "Prod1", "prod", "myProd", "Pro", "Prod"):
        make(client, name)
    assert listed(client, ("name", ["Prod"])) == {"Production", "Prod1", "Prod"}
    assert listed(client, ("name", ["prod"])) == {"prod"}
    assert listed(client, ("name", ["Production"])) == {"Production"}
    assert listed(client, ("name", ["Productions"])) == set()


def test_name_prefix_may_contain_path_characters(client: Any) -> None:
    for name in ("app/db/password", "app/api-key", "apple", "other/app"):
        make(client, name)
    assert listed(client, ("name", ["app/"])) == {"app/db/password", "app/api-key"}
    assert listed(client, ("name", ["app/db"])) == {"app/db/password"}


def test_description_matches_word_prefixes_ignoring_case(client: Any) -> None:
    make(client, "db", description="Database password for Production")
    make(client, "api", description="API key of the payments service")
    make(client, "bare")
    assert listed(client, ("description", ["data"])) == {"db"}
    assert listed(client, ("description", ["PASS"])) == {"db"}
    assert listed(client, ("description", ["data prod"])) == {"db"}
    assert listed(client, ("description", ["prod data"])) == {"db"}
    assert listed(client, ("description", ["base"])) == set()  # not the start of a word
    assert listed(client, ("description", ["data xyz"])) == set()
    assert listed(client, ("description", ["key"])) == {"api"}
    assert listed(client, ("description", ["payments SERVICE"])) == {"api"}


def test_tag_key_is_a_case_sensitive_prefix_of_any_key(client: Any) -> None:
    make(client, "tagged", Environment="prod", Team="core")
    make(client, "lower", env="prod")
    make(client, "value-only", Owner="Environment")
    make(client, "untagged")
    assert listed(client, ("tag-key", ["Env"])) == {"tagged"}
    assert listed(client, ("tag-key", ["Team"])) == {"tagged"}
    assert listed(client, ("tag-key", ["env"])) == {"lower"}
    assert listed(client, ("tag-key", ["Environments"])) == set()


def test_tag_value_is_a_case_sensitive_prefix_of_any_value(client: Any) -> None:
    make(client, "a", Env="production")
    make(client, "b", Stage="prod")
    make(client, "c", Env="Prod")
    make(client, "d", prod="x")
    assert listed(client, ("tag-value", ["prod"])) == {"a", "b"}
    assert listed(client, ("tag-value", ["Prod"])) == {"c"}
    assert listed(client, ("tag-value", ["production"])) == {"a"}


def test_all_looks_at_name_description_and_tags_ignoring_case(client: Any) -> None:
    make(client, "alpha-db")
    make(client, "second", description="Payments service")
    make(client, "third", Team="x")
    make(client, "fourth", Colour="Blue")
    make(client, "fifth")
    assert listed(client, ("all", ["ALPHA"])) == {"alpha-db"}
    assert listed(client, ("all", ["db"])) == {"alpha-db"}  # `-` separates words
    assert listed(client, ("all", ["payments"])) == {"second"}
    assert listed(client, ("all", ["team"])) == {"third"}
    assert listed(client, ("all", ["blue"])) == {"fourth"}
    assert listed(client, ("all", ["colour"])) == {"fourth"}
    assert listed(client, ("all", ["lph"])) == set()  # a prefix, not a substring


def test_all_words_may_come_from_different_attributes(client: Any) -> None:
    make(client, "alpha", description="Payments", Colour="Blue")
    make(client, "beta", Colour="Blue")
    assert listed(client, ("all", ["alpha blue"])) == {"alpha"}
    assert listed(client, ("all", ["payments colour"])) == {"alpha"}
    assert listed(client, ("all", ["blue"])) == {"alpha", "beta"}


def _record(backend: Backend, name: str) -> Any:
    """The backend's record of a secret.

    Neither boto3 (no replica or managed-secret operations) nor the handle can set a
    secret's primary region or owning service, so these two tests write the record.
    """
    return backend.store.secrets_of(backend.account_id, REGION)[name]


def test_primary_region_is_a_case_sensitive_prefix(client: Any, stubtags: Backend) -> None:
    make(client, "replicated")
    make(client, "eu")
    make(client, "local")
    _record(stubtags, "replicated").primary_region = "us-west-2"
    _record(stubtags, "eu").primary_region = "eu-west-1"
    assert listed(client, ("primary-region", ["us-west"])) == {"replicated"}
    assert listed(client, ("primary-region", ["us", "eu"])) == {"replicated", "eu"}
    assert listed(client, ("primary-region", ["US"])) == set()
    assert listed(client, ("primary-region", ["!us"])) == {"eu", "local"}
    entry = next(e for e in all_entries(client) if e["Name"] == "replicated")
    assert entry["PrimaryRegion"] == "us-west-2"


def test_owning_service_is_a_case_sensitive_prefix(client: Any, stubtags: Backend) -> None:
    make(client, "managed")
    make(client, "mine")
    _record(stubtags, "managed").owning_service = "rds"
    assert listed(client, ("owning-service", ["rd"])) == {"managed"}
    assert listed(client, ("owning-service", ["RDS"])) == set()
    assert listed(client, ("owning-service", ["!rds"])) == {"mine"}
    entry = next(e for e in all_entries(client) if e["Name"] == "managed")
    assert entry["OwningService"] == "rds"


def test_primary_region_and_owning_service_of_plain_secrets(client: Any) -> None:
    make(client, "plain")
    assert listed(client, ("primary-region", ["us"])) == set()
    assert listed(client, ("owning-service", ["a"])) == set()
    assert listed(client, ("primary-region", ["!us"])) == {"plain"}
    assert listed(client, ("owning-service", ["!a"])) == {"plain"}


# --------------------------------------------------------------------------------- negation


def test_negated_tag_key_keeps_untagged_and_other_keys(client: Any) -> None:
    make(client, "env", Environment="prod")
    make(client, "env-and-team", Env="x", Team="core")
    make(client, "team", Team="core")
    make(client, "lower", env="x")
    make(client, "untagged")
    assert listed(client, ("tag-key", ["!Env"])) == {"team", "lower", "untagged"}


def test_negated_tag_key_keeps_a_secret_whose_tags_were_all_removed(client: Any) -> None:
    make(client, "was-tagged", Env="x")
    client.untag_resource(SecretId="was-tagged", TagKeys=["Env"])
    assert listed(client, ("tag-key", ["!Env"])) == {"was-tagged"}


def test_negated_name_and_description(client: Any) -> None:
    make(client, "prod-db", description="Production database")
    make(client, "dev-db", description="Development database")
    make(client, "bare")
    assert listed(client, ("name", ["!prod"])) == {"dev-db", "bare"}
    assert listed(client, ("description", ["!production"])) == {"dev-db", "bare"}
    assert listed(client, ("description", ["!database"])) == {"bare"}


def test_negated_tag_value_and_all(client: Any) -> None:
    make(client, "a", Env="prod")
    make(client, "b", Env="dev")
    make(client, "c")
    assert listed(client, ("tag-value", ["!prod"])) == {"b", "c"}
    assert listed(client, ("all", ["!prod"])) == {"b", "c"}


# ------------------------------------------------------------------------ combining filters


def test_filters_combine_with_and(client: Any) -> None:
    make(client, "app/db", description="database", Env="prod")
    make(client, "app/cache", Env="dev")
    make(client, "web/db", description="database", Env="prod")
    assert listed(client, ("name", ["app/"]), ("tag-value", ["prod"])) == {"app/db"}
    assert listed(
        client, ("name", ["app/", "web/"]), ("description", ["data"]), ("tag-key", ["Env"])
    ) == {"app/db", "web/db"}
    assert listed(client, ("name", ["app/"]), ("tag-key", ["!Env"])) == set()


def test_values_of_one_filter_combine_with_or(client: Any) -> None:
    for name in ("alpha", "beta", "gamma"):
        make(client, name)
    assert listed(client, ("name", ["alpha", "beta"])) == {"alpha", "beta"}
    assert listed(client, ("name", ["alpha", "zzz"])) == {"alpha"}


def test_no_filters_lists_every_live_secret_of_the_region(client: Any) -> None:
    for name in ("a", "b", "c"):
        make(client, name)
    other = boto3.client("secretsmanager", region_name="eu-west-1")
    other.create_secret(Name="elsewhere", SecretString="v")
    assert listed(client) == {"a", "b", "c"}
    assert listed(other) == {"elsewhere"}


# ------------------------------------------------------------------------ planned deletion


def test_scheduled_secrets_listed_only_on_request(client: Any) -> None:
    make(client, "live")
    make(client, "scheduled")
    make(client, "gone")
    client.delete_secret(SecretId="scheduled", RecoveryWindowInDays=7)
    client.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True)
    assert listed(client) == {"live"}
    assert listed(client, IncludePlannedDeletion=False) == {"live"}
    entries = all_entries(client, IncludePlannedDeletion=True)
    assert {e["Name"] for e in entries} == {"live", "scheduled"}
    by_name = {e["Name"]: e for e in entries}
    assert "DeletedDate" in by_name["scheduled"]
    assert "DeletedDate" not in by_name["live"]
    client.restore_secret(SecretId="scheduled")
    assert listed(client) == {"live", "scheduled"}


def test_filters_apply_to_scheduled_secrets_too(client: Any) -> None:
    make(client, "app/one")
    make(client, "app/two")
    make(client, "web/one")
    client.delete_secret(SecretId="app/two")
    client.delete_secret(SecretId="web/one")
    assert listed(client, ("name", ["app/"]), IncludePlannedDeletion=True) == {
        "app/one",
        "app/two",
    }


# ---------------------------------------------------------------------------------- limits


def test_max_results_zero_is_refused_by_botocore(client: Any) -> None:
    with pytest.raises(ParamValidationError):
        client.list_secrets(MaxResults=0)


def test_max_results_over_100_is_a_validation_error(client: Any) -> None:
    with pytest.raises(ClientError) as error:
        client.list_secrets(MaxResults=101)
    assert code_of(error) == "ValidationException"
    assert "maxResults" in error.value.response["Error"]["Message"]


def test_max_results_bounds_are_accepted(client: Any) -> None:
    make(client, "a")
    make(client, "b")
    assert len(client.list_secrets(MaxResults=1)["SecretList"]) == 1
    assert len(client.list_secrets(MaxResults=100)["SecretList"]) == 2


def test_eleven_filters_are_refused_ten_accepted(client: Any) -> None:
    make(client, "a")
    ten = [{"Key": "name", "Values": ["a"]}] * 10
    assert [e["Name"] for e in client.list_secrets(Filters=ten)["SecretList"]] == ["a"]
    with pytest.raises(ClientError) as error:
        client.list_secrets(Filters=[*ten, {"Key": "name", "Values": ["a"]}])
    assert code_of(error) == "ValidationException"


def test_eleven_values_are_refused_ten_accepted(client: Any) -> None:
    make(client, "v9")
    values = [f"v{n}" for n in range(10)]
    assert listed(client, ("name", values)) == {"v9"}
    with pytest.raises(ClientError) as error:
        client.list_secrets(Filters=[{"Key": "name", "Values": [*values, "v10"]}])
    assert code_of(error) == "ValidationException"


def test_value_over_512_chars_is_refused(client: Any) -> None:
    make(client, "a")
    assert listed(client, ("name", ["a" * 512])) == set()
    with pytest.raises(ClientError) as error:
        client.list_secrets(Filters=[{"Key": "name", "Values": ["a" * 513]}])
    assert code_of(error) == "ValidationException"


@pytest.mark.parametrize("value", ["#", "a#b", "tab\there", "semi;colon", "star*", "!!ok#"])
def test_value_with_a_forbidden_character_is_refused(client: Any, value: str) -> None:
    with pytest.raises(ClientError) as error:
        client.list_secrets(Filters=[{"Key": "name", "Values": [value]}])
    assert code_of(error) == "ValidationException"


@pytest.mark.parametrize("value", ["a b", "x:y", "u_v@w", "p/q+r=s.t-u", "!neg"])
def test_value_with_allowed_characters_is_accepted(client: Any, value: str) -> None:
    assert client.list_secrets(Filters=[{"Key": "name", "Values": [value]}])["SecretList"] == []


@pytest.mark.parametrize("key", ["colour", "Name", "tag_key", "tags"])
def test_unknown_filter_key_is_refused(client: Any, key: str) -> None:
    with pytest.raises(ClientError) as error:
        client.list_secrets(Filters=[{"Key": key, "Values": ["a"]}])
    assert code_of(error) == "ValidationException"


@pytest.mark.parametrize(("member", "value"), [("SortBy", "size"), ("SortOrder", "up")])
def test_unknown_sort_is_refused(client: Any, member: str, value: str) -> None:
    with pytest.raises(ClientError) as error:
        client.list_secrets(**{member: value})
    assert code_of(error) == "ValidationException"


# --------------------------------------------------------------------------------- sorting


def names_in_order(client: Any, **kwargs: Any) -> list[str]:
    return [entry["Name"] for entry in all_entries(client, **kwargs)]


def test_sort_by_created_date(client: Any) -> None:
    for name in ("m", "z", "a"):
        make(client, name)
    assert names_in_order(client, SortBy="created-date", SortOrder="asc") == ["m", "z", "a"]
    assert names_in_order(client, SortBy="created-date", SortOrder="desc") == ["a", "z", "m"]


def test_default_order_is_oldest_first(client: Any) -> None:
    """Inferred: AWS documents created-date as the default key but no direction."""
    for name in ("m", "z", "a"):
        make(client, name)
    assert names_in_order(client) == ["m", "z", "a"]


def test_sort_by_name(client: Any) -> None:
    for name in ("m", "z", "a", "b"):
        make(client, name)
    assert names_in_order(client, SortBy="name", SortOrder="asc") == ["a", "b", "m", "z"]
    assert names_in_order(client, SortBy="name", SortOrder="desc") == ["z", "m", "b", "a"]


def test_sort_by_last_changed_date(client: Any) -> None:
    for name in ("a", "b", "c"):
        make(client, name)
    client.update_secret(SecretId="a", Description="changed last")
    client.tag_resource(SecretId="b", Tags=[{"Key": "k", "Value": "v"}])
    client.tag_resource(SecretId="a", Tags=[{"Key": "k", "Value": "v"}])
    assert names_in_order(client, SortBy="last-changed-date", SortOrder="asc") == ["c", "b", "a"]
    assert names_in_order(client, SortBy="last-changed-date", SortOrder="desc") == [
        "a",
        "b",
        "c",
    ]


def test_sort_by_last_accessed_date(client: Any) -> None:
    for name in ("a", "b", "c"):
        make(client, name)
    client.get_secret_value(SecretId="b")
    asc = names_in_order(client, SortBy="last-accessed-date", SortOrder="asc")
    desc = names_in_order(client, SortBy="last-accessed-date", SortOrder="desc")
    # Never-read secrets sort as the oldest access.
    assert asc == ["a", "c", "b"]
    assert desc == ["b", "c", "a"]


@pytest.mark.parametrize(("sort_by", "order"), SORTS)
def test_each_sort_reverses_exactly(client: Any, sort_by: str, order: str) -> None:
    for name in ("q", "w", "e", "r", "t"):
        make(client, name)
    client.get_secret_value(SecretId="e")
    client.update_secret(SecretId="w", Description="d")
    forward = names_in_order(client, SortBy=sort_by, SortOrder=order)
    backward = names_in_order(client, SortBy=sort_by, SortOrder="desc" if order == "asc" else "asc")
    assert sorted(forward) == ["e", "q", "r", "t", "w"]
    assert backward == forward[::-1]


# ---------------------------------------------------------------------------------- paging


@pytest.mark.parametrize(("sort_by", "order"), SORTS)
def test_pages_of_two_equal_the_unpaged_list(client: Any, sort_by: str, order: str) -> None:
    names = [f"s{n:02d}" for n in range(9)]
    random.Random(7).shuffle(names)
    for index, name in enumerate(names):
        make(client, name, Parity="even" if index % 2 == 0 else "odd")
        if index % 3 == 0:
            client.get_secret_value(SecretId=name)
    options = {"SortBy": sort_by, "SortOrder": order}
    unpaged = client.list_secrets(**options)
    assert "NextToken" not in unpaged
    pages: list[list[str]] = []
    kwargs: dict[str, Any] = {**options, "MaxResults": 2}
    while True:
        page = client.list_secrets(**kwargs)
        pages.append([e["Name"] for e in page["SecretList"]])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert [n for page in pages for n in page] == [e["Name"] for e in unpaged["SecretList"]]
    assert [len(p) for p in pages] == [2, 2, 2, 2, 1]

    filtered = {**options, "Filters": [{"Key": "tag-value", "Values": ["even"]}]}
    assert names_in_order(client, MaxResults=2, **filtered) == [
        e["Name"] for e in client.list_secrets(**filtered)["SecretList"]
    ]


def test_last_page_carries_no_token_when_results_fill_it_exactly(client: Any) -> None:
    for name in ("a", "b", "c", "d"):
        make(client, name)
    first = client.list_secrets(MaxResults=2)
    second = client.list_secrets(MaxResults=2, NextToken=first["NextToken"])
    assert [e["Name"] for e in second["SecretList"]] == ["c", "d"]
    assert "NextToken" not in second


@pytest.mark.parametrize(
    ("sort_by", "order"),
    [("created-date", "asc"), ("created-date", "desc"), ("name", "asc"), ("name", "desc")],
)
def test_changes_between_pages_neither_repeat_nor_skip(
    client: Any, sort_by: str, order: str
) -> None:
    names = [f"k{n:02d}" for n in range(10)]
    random.Random(3).shuffle(names)
    for name in names:
        make(client, name)
    options = {"SortBy": sort_by, "SortOrder": order}
    first = client.list_secrets(MaxResults=3, **options)
    seen = [e["Name"] for e in first["SecretList"]]
    not_yet = [n for n in names_in_order(client, **options) if n not in seen]

    # Between pages: delete one secret already returned and one still to come, create
    # secrets whose names and dates land before, between and after the cursor.
    removed = {seen[0], not_yet[2]}
    client.delete_secret(SecretId=seen[0], ForceDeleteWithoutRecovery=True)
    client.delete_secret(SecretId=not_yet[2], RecoveryWindowInDays=7)
    for name in ("a-new", "k045", "z-new"):
        make(client, name)

    token = first["NextToken"]
    while token:
        page = client.list_secrets(MaxResults=3, NextToken=token, **options)
        seen += [e["Name"] for e in page["SecretList"]]
        token = page.get("NextToken")

    assert len(seen) == len(set(seen)), f"repeated: {seen}"
    survivors = set(names) - removed
    assert survivors <= set(seen), f"skipped: {survivors - set(seen)}"
    assert not_yet[2] not in seen
    assert set(seen) <= set(names) | {"a-new", "k045", "z-new"}


def test_garbage_next_token_is_refused(client: Any) -> None:
    make(client, "a")
    for garbage in ("garbage", "eyJ9", "a.b", "x" * 100):
        with pytest.raises(client.exceptions.InvalidNextTokenException):
            client.list_secrets(NextToken=garbage)


def test_tampered_next_token_is_refused(client: Any) -> None:
    for name in ("a", "b", "c"):
        make(client, name)
    real = client.list_secrets(MaxResults=1)["NextToken"]
    assert [e["Name"] for e in client.list_secrets(NextToken=real)["SecretList"]] == ["b", "c"]
    middle = len(real) // 2
    replacement = "A" if real[middle] != "A" else "B"
    tampered = real[:middle] + replacement + real[middle + 1 :]
    with pytest.raises(client.exceptions.InvalidNextTokenException):
        client.list_secrets(NextToken=tampered)
    with pytest.raises(client.exceptions.InvalidNextTokenException):
        client.list_secrets(NextToken=real[:-3])
    with pytest.raises(client.exceptions.InvalidNextTokenException):
        client.list_secrets(NextToken=real + "x")


# -------------------------------------------------------------------------------- entries


def test_entries_carry_tags_by_describe_secret_rules(client: Any) -> None:
    make(client, "never")
    make(client, "tagged", Team="core", Env="prod")
    make(client, "cleared", Team="core")
    client.untag_resource(SecretId="cleared", TagKeys=["Team"])
    by_name = {e["Name"]: e for e in all_entries(client)}
    assert "Tags" not in by_name["never"]
    assert by_name["tagged"]["Tags"] == [
        {"Key": "Team", "Value": "core"},
        {"Key": "Env", "Value": "prod"},
    ]
    assert by_name["cleared"]["Tags"] == []
    for name, entry in by_name.items():
        described = client.describe_secret(SecretId=name)
        assert entry.get("Tags") == described.get("Tags")


def test_entries_carry_versions_to_stages_and_metadata(client: Any) -> None:
    first = client.create_secret(Name="s", SecretString="one", Description="d", KmsKeyId="alias/k")
    second = client.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    (entry,) = client.list_secrets()["SecretList"]
    assert entry["SecretVersionsToStages"] == {
        first["VersionId"]: ["AWSPREVIOUS"],
        second: ["AWSCURRENT"],
    }
    assert entry["ARN"] == first["ARN"]
    assert entry["Description"] == "d"
    assert entry["KmsKeyId"] == "alias/k"
    described = client.describe_secret(SecretId="s")
    assert entry["CreatedDate"] == described["CreatedDate"]
    assert entry["LastChangedDate"] == described["LastChangedDate"]
    assert "VersionIdsToStages" not in entry
