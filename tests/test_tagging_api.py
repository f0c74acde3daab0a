"""The Resource Groups Tagging API's reads over secrets, through real boto3 clients:
GetResources (filters, ARN list, paging, the paginators), GetTagKeys, GetTagValues,
and what is intercepted (every call answered in memory, others refused loudly)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError

import stubtags
from stubtags import Backend, mock_tags
from stubtags.services import SERVICES
from tests.helpers import stubtags_handlers

REGION = "us-east-1"


@pytest.fixture
def tagging(stubtags: Backend) -> Any:
    """A Resource Groups Tagging API client in us-east-1, with the mock on."""
    return boto3.client("resourcegroupstaggingapi", region_name=REGION)


def tags_of(mapping: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in mapping["Tags"]}


def listing(tagging: Any, **params: Any) -> dict[str, dict[str, str]]:
    """GetResources' answer as {ARN: tags}, in order, after checking it is one page."""
    reply = tagging.get_resources(**params)
    assert reply["PaginationToken"] == ""
    return {m["ResourceARN"]: tags_of(m) for m in reply["ResourceTagMappingList"]}


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


# --- GetResources: which secrets ----------------------------------------------------------


def test_lists_secrets_that_have_or_had_tags_never_the_never_tagged(
    secretsmanager: Any, tagging: Any
) -> None:
    never = secretsmanager.create_secret(Name="never")["ARN"]
    tagged = secretsmanager.create_secret(Name="tagged", Tags=[{"Key": "team", "Value": "core"}])[
        "ARN"
    ]
    emptied = secretsmanager.create_secret(Name="emptied", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    secretsmanager.untag_resource(SecretId="emptied", TagKeys=["k"])
    found = listing(tagging)
    assert found == {tagged: {"team": "core"}, emptied: {}}
    assert never not in found
    # The emptied secret comes back with an explicit empty list, as DescribeSecret shows.
    reply = tagging.get_resources(ResourceARNList=[emptied])
    assert reply["ResourceTagMappingList"] == [{"ResourceARN": emptied, "Tags": []}]


def test_a_secret_created_with_an_empty_tag_list_is_listed_without_tags(
    secretsmanager: Any, tagging: Any
) -> None:
    arn = secretsmanager.create_secret(Name="empty", Tags=[])["ARN"]
    assert listing(tagging) == {arn: {}}


def test_order_is_creation_order_and_tags_keep_their_order(
    secretsmanager: Any, tagging: Any
) -> None:
    arns = [
        secretsmanager.create_secret(
            Name=f"s{i}", Tags=[{"Key": "b", "Value": "1"}, {"Key": "a", "Value": "2"}]
        )["ARN"]
        for i in (3, 1, 2)
    ]
    reply = tagging.get_resources()
    assert [m["ResourceARN"] for m in reply["ResourceTagMappingList"]] == arns
    assert [t["Key"] for t in reply["ResourceTagMappingList"][0]["Tags"]] == ["b", "a"]


def test_only_the_clients_region(secretsmanager: Any, tagging: Any) -> None:
    here = secretsmanager.create_secret(Name="here", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    other = boto3.client("secretsmanager", region_name="eu-west-1")
    there = other.create_secret(Name="there", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    assert list(listing(tagging)) == [here]
    eu = boto3.client("resourcegroupstaggingapi", region_name="eu-west-1")
    assert list(listing(eu)) == [there]
    # An ARN of another region is not found from here either.
    assert listing(tagging, ResourceARNList=[there]) == {}


def test_system_tags_are_listed_and_secrets_scheduled_for_deletion_too(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = stubtags.create_secret("stack", system_tags={"aws:cloudformation:stack-name": "s"})
    gone = secretsmanager.create_secret(Name="gone", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    secretsmanager.delete_secret(SecretId="gone")
    assert listing(tagging) == {arn: {"aws:cloudformation:stack-name": "s"}, gone: {"k": "v"}}


def test_force_deleted_secrets_are_gone(secretsmanager: Any, tagging: Any) -> None:
    secretsmanager.create_secret(Name="gone", Tags=[{"Key": "k", "Value": "v"}])
    secretsmanager.delete_secret(SecretId="gone", ForceDeleteWithoutRecovery=True)
    assert listing(tagging) == {}


# --- GetResources: filters ------------------------------------------------------------------


@pytest.fixture
def fleet(secretsmanager: Any) -> dict[str, str]:
    """Four tagged secrets and one never tagged, by name -> ARN."""
    specs = {
        "api-prod": {"team": "api", "env": "prod"},
        "api-dev": {"team": "api", "env": "dev"},
        "web-prod": {"team": "web", "env": "prod", "cost": ""},
        "bare": {"owner": "nobody"},
    }
    arns = {}
    for name, tags in specs.items():
        wire = [{"Key": k, "Value": v} for k, v in tags.items()]
        arns[name] = secretsmanager.create_secret(Name=name, Tags=wire)["ARN"]
    arns["untagged"] = secretsmanager.create_secret(Name="untagged")["ARN"]
    return arns


def names(found: dict[str, Any], fleet: dict[str, str]) -> list[str]:
    by_arn = {arn: name for name, arn in fleet.items()}
    return [by_arn[arn] for arn in found]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([{"Key": "team", "Values": ["api"]}], ["api-prod", "api-dev"]),
        ([{"Key": "team", "Values": ["api", "web"]}], ["api-prod", "api-dev", "web-prod"]),
        ([{"Key": "team", "Values": ["api"]}, {"Key": "env", "Values": ["prod"]}], ["api-prod"]),
        ([{"Key": "env"}], ["api-prod", "api-dev", "web-prod"]),
        ([{"Key": "env", "Values": []}], ["api-prod", "api-dev", "web-prod"]),
        ([{"Key": "cost"}], ["web-prod"]),
        ([{"Key": "cost", "Values": [""]}], ["web-prod"]),
        ([{"Key": "Team", "Values": ["api"]}], []),
        ([{"Key": "team", "Values": ["API"]}], []),
        ([{"Key": "team", "Values": ["ap"]}], []),
        ([{"Key": "team"}, {"Key": "owner"}], []),
        ([], ["api-prod", "api-dev", "web-prod", "bare"]),
    ],
)
def test_tag_filters_and_across_or_within(
    tagging: Any, fleet: dict[str, str], filters: list[dict[str, Any]], expected: list[str]
) -> None:
    assert names(listing(tagging, TagFilters=filters), fleet) == expected


@pytest.mark.parametrize(
    ("types", "matches"),
    [
        (["secretsmanager"], True),
        (["secretsmanager:secret"], True),
        (["s3", "secretsmanager:secret"], True),
        (["s3"], False),
        (["ec2:instance"], False),
        (["SecretsManager"], False),
        (["secretsmanager:replica"], False),
        ([], False),
    ],
)
def test_resource_type_filters(
    tagging: Any, fleet: dict[str, str], types: list[str], matches: bool
) -> None:
    found = listing(tagging, ResourceTypeFilters=types, TagFilters=[{"Key": "team"}])
    assert names(found, fleet) == (["api-prod", "api-dev", "web-prod"] if matches else [])


def test_resource_arn_list_keeps_order_and_omits_what_is_not_there(
    tagging: Any, fleet: dict[str, str], secretsmanager: Any
) -> None:
    missing = fleet["api-prod"][:-6] + "zzzzzz"
    partial = fleet["web-prod"].rsplit("-", 1)[0]
    arns = [
        fleet["web-prod"],
        missing,
        fleet["untagged"],
        "arn:aws:s3:::bucket",
        partial,
        fleet["api-dev"],
        fleet["web-prod"],
    ]
    assert names(listing(tagging, ResourceARNList=arns), fleet) == ["web-prod", "api-dev"]


@pytest.mark.parametrize(
    "extra",
    [
        {"TagFilters": [{"Key": "team"}]},
        {"TagFilters": []},
        {"ResourceTypeFilters": ["secretsmanager"]},
        {"ResourcesPerPage": 10},
        {"TagsPerPage": 100},
        {"PaginationToken": "x"},
    ],
)
def test_resource_arn_list_cannot_be_combined(
    tagging: Any, fleet: dict[str, str], extra: dict[str, Any]
) -> None:
    with pytest.raises(tagging.exceptions.InvalidParameterException) as error:
        tagging.get_resources(ResourceARNList=[fleet["api-prod"]], **extra)
    assert "ResourceARNList" in error.value.response["Error"]["Message"]
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_an_empty_pagination_token_is_no_token(tagging: Any, fleet: dict[str, str]) -> None:
    reply = tagging.get_resources(ResourceARNList=[fleet["api-prod"]], PaginationToken="")
    assert len(reply["ResourceTagMappingList"]) == 1


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"ResourcesPerPage": 0}, "resourcesPerPage"),
        ({"ResourcesPerPage": 101}, "resourcesPerPage"),
        ({"TagsPerPage": 99}, "tagsPerPage"),
        ({"TagsPerPage": 501}, "tagsPerPage"),
        ({"TagFilters": [{"Key": f"k{i}"} for i in range(51)]}, "tagFilters"),
        ({"TagFilters": [{"Key": "k", "Values": [str(i) for i in range(21)]}]}, "values"),
        ({"TagFilters": [{"Key": "k" * 129}]}, "tagFilters.1.member.key"),
        ({"TagFilters": [{"Key": "k", "Values": ["v" * 257]}]}, "values.1.member"),
        ({"TagFilters": [{"Values": ["v"]}]}, "tagFilters.1.member.key"),
        ({"ResourceTypeFilters": ["s3"] * 101}, "resourceTypeFilters"),
        ({"ResourceARNList": ["arn:aws:s3:::b"] * 101}, "resourceARNList"),
        ({"ResourceARNList": ["a" * 1012]}, "resourceARNList.1.member"),
        ({"PaginationToken": "t" * 2049}, "paginationToken"),
    ],
)
def test_out_of_range_members_are_invalid_parameters(
    tagging: Any, params: dict[str, Any], where: str
) -> None:
    with pytest.raises(tagging.exceptions.InvalidParameterException) as error:
        tagging.get_resources(**params)
    assert "at '" in error.value.response["Error"]["Message"]
    assert where in error.value.response["Error"]["Message"]


def test_every_violation_is_reported_at_once(tagging: Any) -> None:
    with pytest.raises(tagging.exceptions.InvalidParameterException) as error:
        tagging.get_resources(ResourcesPerPage=0, TagsPerPage=9999)
    assert error.value.response["Error"]["Message"].startswith("2 validation errors detected")


# --- GetResources: paging ---------------------------------------------------------------------


def seed_tagged(stubtags: Backend, count: int, tags: int = 1) -> list[str]:
    return [
        stubtags.create_secret(
            f"s{i:03d}", tags={f"k{j}": str(i) for j in range(tags)}, region=REGION
        )
        for i in range(count)
    ]


def test_pages_walk_every_secret_once_ending_with_an_empty_token(
    tagging: Any, stubtags: Backend
) -> None:
    arns = seed_tagged(stubtags, 7)
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        reply = tagging.get_resources(ResourcesPerPage=3, PaginationToken=token)
        pages += 1
        seen += [m["ResourceARN"] for m in reply["ResourceTagMappingList"]]
        token = reply["PaginationToken"]
        if token == "":
            break
    assert seen == arns
    assert pages == 3


def test_a_full_last_page_ends_the_listing(tagging: Any, stubtags: Backend) -> None:
    seed_tagged(stubtags, 4)
    first = tagging.get_resources(ResourcesPerPage=2)
    second = tagging.get_resources(ResourcesPerPage=2, PaginationToken=first["PaginationToken"])
    assert len(second["ResourceTagMappingList"]) == 2
    assert second["PaginationToken"] == ""


def test_the_default_page_holds_100(tagging: Any, stubtags: Backend) -> None:
    seed_tagged(stubtags, 101)
    first = tagging.get_resources()
    assert len(first["ResourceTagMappingList"]) == 100
    rest = tagging.get_resources(PaginationToken=first["PaginationToken"])
    assert len(rest["ResourceTagMappingList"]) == 1


def test_the_paginator_with_filters(tagging: Any, stubtags: Backend) -> None:
    arns = seed_tagged(stubtags, 25)
    stubtags.create_secret("other", tags={"x": "y"}, region=REGION)
    paginator = tagging.get_paginator("get_resources")
    pages = list(paginator.paginate(TagFilters=[{"Key": "k0"}], PaginationConfig={"PageSize": 10}))
    assert [len(p["ResourceTagMappingList"]) for p in pages] == [10, 10, 5]
    found = [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]]
    assert found == arns
    items = list(
        paginator.paginate(PaginationConfig={"MaxItems": 12, "PageSize": 5}).search(
            "ResourceTagMappingList[].ResourceARN"
        )
    )
    assert items == arns[:12]


def test_paging_survives_secrets_created_and_deleted_between_pages(
    tagging: Any, stubtags: Backend, secretsmanager: Any
) -> None:
    arns = seed_tagged(stubtags, 6)
    first = tagging.get_resources(ResourcesPerPage=3)
    secretsmanager.delete_secret(SecretId=arns[0], ForceDeleteWithoutRecovery=True)
    secretsmanager.delete_secret(SecretId=arns[4], ForceDeleteWithoutRecovery=True)
    late = secretsmanager.create_secret(Name="late", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    rest = tagging.get_resources(ResourcesPerPage=3, PaginationToken=first["PaginationToken"])
    assert [m["ResourceARN"] for m in rest["ResourceTagMappingList"]] == [arns[3], arns[5], late]


def test_tags_per_page_never_splits_a_secrets_tags(tagging: Any, stubtags: Backend) -> None:
    arns = seed_tagged(stubtags, 5, tags=40)  # 40 tags each: two fit in 100, not three
    stubtags.create_secret("emptied", tags={}, region=REGION)  # counts as one tag
    paginator = tagging.get_paginator("get_resources")
    pages = list(paginator.paginate(TagsPerPage=100))
    assert [len(p["ResourceTagMappingList"]) for p in pages] == [2, 2, 2]
    found = [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]]
    assert found[:5] == arns
    assert all(len(m["Tags"]) == 40 for p in pages for m in p["ResourceTagMappingList"][:1])


def test_resources_per_page_and_tags_per_page_together(tagging: Any, stubtags: Backend) -> None:
    seed_tagged(stubtags, 6, tags=30)
    reply = tagging.get_resources(ResourcesPerPage=2, TagsPerPage=100)
    assert len(reply["ResourceTagMappingList"]) == 2  # the smaller limit wins
    reply = tagging.get_resources(ResourcesPerPage=10, TagsPerPage=100)
    assert len(reply["ResourceTagMappingList"]) == 3


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b", "eyJraW5kIjoidGFnZ2luZy1yZXNvdXJjZXMiLCJzZXEiOjB9.forged", "\u00e9.x"],
)
def test_a_bad_pagination_token_is_an_invalid_parameter(tagging: Any, token: str) -> None:
    with pytest.raises(tagging.exceptions.InvalidParameterException) as error:
        tagging.get_resources(PaginationToken=token)
    assert "PaginationToken" in error.value.response["Error"]["Message"]


def test_tokens_are_of_one_listing_each(
    tagging: Any, stubtags: Backend, secretsmanager: Any
) -> None:
    seed_tagged(stubtags, 3)
    resources_token = tagging.get_resources(ResourcesPerPage=1)["PaginationToken"]
    with pytest.raises(tagging.exceptions.InvalidParameterException):
        tagging.get_tag_keys(PaginationToken=resources_token)
    # Nor is a ListSecrets NextToken a PaginationToken (or the other way round).
    stubtags.create_secret("x", region=REGION)
    next_token = secretsmanager.list_secrets(MaxResults=1)["NextToken"]
    with pytest.raises(tagging.exceptions.InvalidParameterException):
        tagging.get_resources(PaginationToken=next_token)
    with pytest.raises(secretsmanager.exceptions.InvalidNextTokenException):
        secretsmanager.list_secrets(MaxResults=1, NextToken=resources_token)


def test_tokens_are_stateless_across_mocks(stubtags: Backend) -> None:
    """A token carries its position: it works in another mock with the same secrets."""
    seed_tagged(stubtags, 3)
    tagging = boto3.client("resourcegroupstaggingapi", region_name=REGION)
    token = tagging.get_resources(ResourcesPerPage=2)["PaginationToken"]
    snapshot = stubtags.snapshot()
    stubtags.reset()
    stubtags.restore(snapshot)
    rest = tagging.get_resources(ResourcesPerPage=2, PaginationToken=token)
    assert [m["ResourceARN"].split(":")[-1][:4] for m in rest["ResourceTagMappingList"]] == ["s002"]


# --- GetTagKeys / GetTagValues ----------------------------------------------------------------


def test_tag_keys_and_values_each_once(tagging: Any, fleet: dict[str, str]) -> None:
    assert tagging.get_tag_keys()["TagKeys"] == ["cost", "env", "owner", "team"]
    assert tagging.get_tag_values(Key="env")["TagValues"] == ["dev", "prod"]
    assert tagging.get_tag_values(Key="cost")["TagValues"] == [""]
    assert tagging.get_tag_values(Key="absent")["TagValues"] == []
    reply = tagging.get_tag_keys()
    assert reply["PaginationToken"] == ""


def test_tag_keys_of_the_region_only_and_after_untagging(secretsmanager: Any, tagging: Any) -> None:
    secretsmanager.create_secret(Name="a", Tags=[{"Key": "gone", "Value": "1"}])
    boto3.client("secretsmanager", region_name="eu-west-1").create_secret(
        Name="b", Tags=[{"Key": "elsewhere", "Value": "1"}]
    )
    assert tagging.get_tag_keys()["TagKeys"] == ["gone"]
    secretsmanager.untag_resource(SecretId="a", TagKeys=["gone"])
    assert tagging.get_tag_keys()["TagKeys"] == []
    assert tagging.get_tag_values(Key="gone")["TagValues"] == []


def test_tag_keys_and_values_page_through_their_paginators(tagging: Any, stubtags: Backend) -> None:
    for i in range(5):  # 5 x 50 = 250 distinct keys; value of k0 differs per secret
        stubtags.create_secret(
            f"s{i}", tags={f"k{i:01d}-{j:02d}": f"v{i}" for j in range(50)}, region=REGION
        )
    for i in range(230):
        stubtags.create_secret(f"v{i}", tags={"shared": f"value-{i:03d}"}, region=REGION)
    first = tagging.get_tag_keys()
    assert len(first["TagKeys"]) == 100 and first["PaginationToken"] != ""
    keys = list(tagging.get_paginator("get_tag_keys").paginate().search("TagKeys"))
    assert len(keys) == 251 and keys == sorted(set(keys))
    pages = list(tagging.get_paginator("get_tag_values").paginate(Key="shared"))
    assert [len(p["TagValues"]) for p in pages] == [100, 100, 30]
    values = [v for p in pages for v in p["TagValues"]]
    assert values == [f"value-{i:03d}" for i in range(230)]


def test_get_tag_values_key_too_long(tagging: Any) -> None:
    with pytest.raises(tagging.exceptions.InvalidParameterException):
        tagging.get_tag_values(Key="k" * 129)


# --- interception ---------------------------------------------------------------------------


def test_unsupported_tagging_operation_is_refused_naming_the_service(tagging: Any) -> None:
    with pytest.raises(stubtags.UnsupportedOperationError) as excinfo:
        tagging.get_compliance_summary()
    assert excinfo.value.operation == "GetComplianceSummary"
    assert excinfo.value.service == "Resource Groups Tagging API"
    message = str(excinfo.value)
    assert "Resource Groups Tagging API operation 'GetComplianceSummary'" in message
    assert "GetResources" in message and "TagResources" in message


def tagging_handlers(client: Any) -> list[Any]:
    """Handlers from stubtags on the client's emitter for a tagging API before-call."""
    return stubtags_handlers(client, "before-call.resource-groups-tagging-api.GetResources")


def test_a_client_made_before_the_mock_is_answered_and_released_after() -> None:
    early = boto3.client(
        "resourcegroupstaggingapi",
        region_name=REGION,
        config=Config(retries={"max_attempts": 0}, connect_timeout=0.1, read_timeout=0.1),
        endpoint_url="http://127.0.0.1:9",
    )
    with mock_tags() as backend:
        arn = backend.create_secret("db", tags={"k": "v"}, region=REGION)
        assert [m["ResourceARN"] for m in early.get_resources()["ResourceTagMappingList"]] == [arn]
        assert len(tagging_handlers(early)) == 1
        early.get_tag_keys()
        assert len(tagging_handlers(early)) == 1  # once per client, not per call
    assert tagging_handlers(early) == []
    # Without the mock, the request goes to botocore's normal path (and fails offline).
    with pytest.raises(Exception) as error:
        early.get_resources()
    assert not isinstance(error.value, stubtags.StubtagsError)


def test_a_client_without_client_side_validation_gets_the_services_checks() -> None:
    with mock_tags():
        loose = boto3.client(
            "resourcegroupstaggingapi",
            region_name=REGION,
            config=Config(parameter_validation=False),
        )
        with pytest.raises(ClientError) as error:
            loose.get_resources(ResourcesPerPage="ten")
        assert error_code(error) == "ValidationException"


def test_the_table_of_answered_services() -> None:
    assert set(SERVICES) == {"secretsmanager", "resourcegroupstaggingapi"}
    model = boto3.session.Session().client("resourcegroupstaggingapi", region_name=REGION)
    for name, service in SERVICES.items():
        client_model = boto3.session.Session().client(name, region_name=REGION).meta.service_model
        assert service.event == f"before-call.{client_model.service_id.hyphenize()}"
        assert set(service.operations) <= set(client_model.operation_names)
    assert SERVICES["resourcegroupstaggingapi"].event_source == "tagging.amazonaws.com"
    assert model.meta.service_model.service_name == "resourcegroupstaggingapi"


def test_replies_parse_against_the_model(tagging: Any, fleet: dict[str, str]) -> None:
    """Every member of every reply is one the output shape declares (botocore would have
    dropped an unknown one silently)."""
    model = tagging.meta.service_model
    replies = {
        "GetResources": tagging.get_resources(),
        "GetTagKeys": tagging.get_tag_keys(),
        "GetTagValues": tagging.get_tag_values(Key="team"),
        "TagResources": tagging.tag_resources(ResourceARNList=[fleet["bare"]], Tags={"k": "v"}),
        "UntagResources": tagging.untag_resources(ResourceARNList=[fleet["bare"]], TagKeys=["k"]),
    }
    for operation, reply in replies.items():
        declared = set(model.operation_model(operation).output_shape.members)
        assert set(reply) - {"ResponseMetadata"} == declared, operation


def test_the_readme_example() -> None:
    with mock_tags() as backend:
        sm = boto3.client("secretsmanager", region_name="us-east-1")
        tagging = boto3.client("resourcegroupstaggingapi", region_name="us-east-1")
        arn = sm.create_secret(Name="db")["ARN"]
        reply = tagging.tag_resources(ResourceARNList=[arn], Tags={"team": "core"})
        assert reply["FailedResourcesMap"] == {}
        assert backend.tags("db") == {"team": "core"}
        pages = tagging.get_paginator("get_resources").paginate(
            TagFilters=[{"Key": "team", "Values": ["core"]}]
        )
        assert [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]] == [arn]


def test_the_benchmark_script_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("benchmark_tagging_api.py")
    spec = importlib.util.spec_from_file_location("benchmark_tagging_api", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "paginator walk of the common filter: 100 resources" in out
    assert "VERDICT GetResources page:" in out and "quick mode" in out


@pytest.mark.parametrize("member", ["IncludeComplianceDetails", "ExcludeCompliantResources"])
def test_asking_for_tag_policy_compliance_is_refused_loudly(tagging: Any, member: str) -> None:
    with pytest.raises(stubtags.UnsupportedMemberError) as caught:
        tagging.get_resources(**{member: True})
    assert member in str(caught.value)
    assert tagging.get_resources(IncludeComplianceDetails=False)["ResourceTagMappingList"] == []


# --- PaginationToken: 15 minutes --------------------------------------------------------------


def test_a_pagination_token_is_good_for_15_minutes(secretsmanager: Any, tagging: Any) -> None:
    """Documented: "A PaginationToken is valid for a maximum of 15 minutes", for
    GetResources, GetTagKeys and GetTagValues alike; the clock a test moves counts."""
    with time_machine.travel("2026-03-01T10:00:00Z", tick=False) as traveller:
        for group in range(3):  # 120 keys: GetTagKeys pages at 100
            tags = [{"Key": f"k{group}-{i:02d}", "Value": f"v{group}-{i}"} for i in range(40)]
            secretsmanager.create_secret(Name=f"s{group}", Tags=tags)
        for i in range(101):  # 101 values of one key: GetTagValues pages at 100
            secretsmanager.create_secret(Name=f"v{i}", Tags=[{"Key": "shared", "Value": str(i)}])
        tokens = {
            "get_resources": tagging.get_resources(ResourcesPerPage=1)["PaginationToken"],
            "get_tag_keys": tagging.get_tag_keys()["PaginationToken"],
            "get_tag_values": tagging.get_tag_values(Key="shared")["PaginationToken"],
        }
        assert all(tokens.values())
        extra = {"get_tag_values": {"Key": "shared"}}

        def next_page(operation: str) -> dict[str, Any]:
            call = getattr(tagging, operation)
            reply: dict[str, Any] = call(
                PaginationToken=tokens[operation], **extra.get(operation, {})
            )
            return reply

        traveller.shift(15 * 60)  # the 15 minutes to the second: still good
        for operation in tokens:
            next_page(operation)
        traveller.shift(1)
        for operation in tokens:
            with pytest.raises(tagging.exceptions.PaginationTokenExpiredException) as expired:
                next_page(operation)
            assert "valid for a maximum of 15 minutes" in str(expired.value)
        # A new listing starts over with a new token.
        assert tagging.get_resources(ResourcesPerPage=1)["PaginationToken"]
