"""TagResources and UntagResources over secrets, through real boto3 clients: each secret
gets Secrets Manager's own rules, a refused secret becomes a FailedResourcesMap entry while
the others are still tagged, and one store answers both APIs and the backend handle."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from stubtags import Backend

REGION = "us-east-1"
SYSTEM_KEY = "aws:cloudformation:stack-name"


@pytest.fixture
def tagging(stubtags: Backend) -> Any:
    return boto3.client("resourcegroupstaggingapi", region_name=REGION)


def failures(reply: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {
        arn: (entry["StatusCode"], entry["ErrorCode"])
        for arn, entry in reply["FailedResourcesMap"].items()
    }


# --- one store, two APIs --------------------------------------------------------------------


def test_a_tag_written_through_either_api_is_seen_by_both_and_the_handle(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    tagging.tag_resources(ResourceARNList=[arn], Tags={"team": "core"})
    assert stubtags.tags("db") == {"team": "core"}
    assert secretsmanager.describe_secret(SecretId="db")["Tags"] == [
        {"Key": "team", "Value": "core"}
    ]

    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "env", "Value": "prod"}])
    mapping = tagging.get_resources(ResourceARNList=[arn])["ResourceTagMappingList"]
    assert mapping == [
        {
            "ResourceARN": arn,
            "Tags": [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "prod"}],
        }
    ]
    assert tagging.get_tag_values(Key="env")["TagValues"] == ["prod"]

    tagging.untag_resources(ResourceARNList=[arn], TagKeys=["team"])
    assert stubtags.tags("db") == {"env": "prod"}
    listed = secretsmanager.list_secrets(Filters=[{"Key": "tag-key", "Values": ["team"]}])
    assert listed["SecretList"] == []

    stubtags.add_system_tag("db", SYSTEM_KEY, "stack")
    assert tagging.get_tag_keys()["TagKeys"] == [SYSTEM_KEY, "env"]


def test_a_successful_call_answers_an_empty_map(secretsmanager: Any, tagging: Any) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    reply = tagging.tag_resources(ResourceARNList=[arn], Tags={"k": "v"})
    assert reply["FailedResourcesMap"] == {}
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    reply = tagging.untag_resources(ResourceARNList=[arn], TagKeys=["k", "absent"])
    assert reply["FailedResourcesMap"] == {}


def test_upsert_order_and_last_changed_date_as_tag_resource(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(Name="db", Tags=[{"Key": "a", "Value": "1"}])["ARN"]
    before = secretsmanager.describe_secret(SecretId="db")["LastChangedDate"]
    tagging.tag_resources(ResourceARNList=[arn], Tags={"b": "2", "a": "3"})
    assert list(stubtags.tags("db").items()) == [("a", "3"), ("b", "2")]
    assert secretsmanager.describe_secret(SecretId="db")["LastChangedDate"] >= before


def test_many_secrets_at_once_and_a_repeated_arn(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arns = [secretsmanager.create_secret(Name=f"s{i}")["ARN"] for i in range(20)]
    reply = tagging.tag_resources(ResourceARNList=arns, Tags={"fleet": "yes"})
    assert reply["FailedResourcesMap"] == {}
    assert all(stubtags.tags(f"s{i}") == {"fleet": "yes"} for i in range(20))
    assert (
        tagging.tag_resources(ResourceARNList=[arns[0]] * 3, Tags={"k": "v"})["FailedResourcesMap"]
        == {}
    )
    assert stubtags.tags("s0") == {"fleet": "yes", "k": "v"}


# --- per-secret refusals: FailedResourcesMap ----------------------------------------------------


def test_a_missing_secret_is_an_entry_and_the_others_are_still_tagged(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    good = secretsmanager.create_secret(Name="good")["ARN"]
    missing = good.replace(":secret:good-", ":secret:missing-")
    reply = tagging.tag_resources(ResourceARNList=[missing, good], Tags={"k": "v"})
    assert reply["FailedResourcesMap"] == {
        missing: {
            "StatusCode": 400,
            "ErrorCode": "ResourceNotFoundException",
            "ErrorMessage": "Secrets Manager can't find the specified secret.",
        }
    }
    assert stubtags.tags("good") == {"k": "v"}


def test_each_secret_gets_secrets_managers_own_errors(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    full = stubtags.create_secret("full", tags={f"n{i}": "x" for i in range(50)}, region=REGION)
    near = stubtags.create_secret("near", tags={f"n{i}": "y" for i in range(49)}, region=REGION)
    gone = secretsmanager.create_secret(Name="gone")["ARN"]
    secretsmanager.delete_secret(SecretId="gone")
    system = stubtags.create_secret("sys", system_tags={SYSTEM_KEY: "s"}, region=REGION)
    ok = secretsmanager.create_secret(Name="ok")["ARN"]
    other_account = ok.replace(":123456789012:", ":999999999999:")

    reply = tagging.tag_resources(
        ResourceARNList=[full, near, gone, ok, other_account], Tags={"new": "1"}
    )
    assert failures(reply) == {
        full: (400, "InvalidParameterException"),
        gone: (400, "InvalidRequestException"),
        other_account: (400, "ResourceNotFoundException"),
    }
    # The messages are Secrets Manager's, word for word.
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException) as limit:
        secretsmanager.tag_resource(SecretId=full, Tags=[{"Key": "new", "Value": "1"}])
    assert reply["FailedResourcesMap"][full]["ErrorMessage"] == str(
        limit.value.response["Error"]["Message"]
    )
    assert "marked for deletion" in reply["FailedResourcesMap"][gone]["ErrorMessage"]
    assert stubtags.tags("near")["new"] == "1" and stubtags.tags("ok") == {"new": "1"}
    assert "new" not in stubtags.tags("full")

    reply = tagging.tag_resources(ResourceARNList=[system, ok], Tags={SYSTEM_KEY: "mine"})
    assert failures(reply) == {
        system: (400, "InvalidParameterException"),
        ok: (400, "InvalidParameterException"),
    }
    assert reply["FailedResourcesMap"][system]["ErrorMessage"] == (
        f"You can't modify system tags. Tag key: '{SYSTEM_KEY}'."
    )
    assert stubtags.tags("sys") == {SYSTEM_KEY: "s"}

    reply = tagging.tag_resources(ResourceARNList=[ok], Tags={"k": "aws:reserved"})
    assert failures(reply) == {ok: (400, "InvalidParameterException")}
    reply = tagging.untag_resources(ResourceARNList=[system, gone, ok], TagKeys=[SYSTEM_KEY])
    assert failures(reply) == {
        system: (400, "InvalidParameterException"),
        gone: (400, "InvalidRequestException"),
        ok: (400, "InvalidParameterException"),
    }


def test_secrets_managers_sizes_apply_per_secret(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    """The tagging API's model allows 128 / 256 characters; Secrets Manager 127 / 255."""
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    reply = tagging.tag_resources(ResourceARNList=[arn], Tags={"k" * 128: "v"})
    assert failures(reply) == {arn: (400, "ValidationException")}
    assert (
        "Member must have length less than or equal to 127"
        in (reply["FailedResourcesMap"][arn]["ErrorMessage"])
    )
    reply = tagging.tag_resources(ResourceARNList=[arn], Tags={"k": "v" * 256})
    assert failures(reply) == {arn: (400, "ValidationException")}
    reply = tagging.untag_resources(ResourceARNList=[arn], TagKeys=["k" * 128])
    assert failures(reply) == {arn: (400, "ValidationException")}
    assert (
        tagging.tag_resources(ResourceARNList=[arn], Tags={"k" * 127: "v" * 255})[
            "FailedResourcesMap"
        ]
        == {}
    )
    assert stubtags.tags("db") == {"k" * 127: "v" * 255}


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:s3:::bucket",
        "arn:aws:secretsmanager:us-east-1:123456789012:rotation:x",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
        "db",
        "arn:aws:ssm:us-east-1:123456789012:parameter/db",
    ],
)
def test_a_non_secret_arn_is_an_invalid_parameter_entry(
    secretsmanager: Any, tagging: Any, stubtags: Backend, arn: str
) -> None:
    secretsmanager.create_secret(Name="db")
    ok = secretsmanager.create_secret(Name="ok")["ARN"]
    reply = tagging.tag_resources(ResourceARNList=[arn, ok], Tags={"k": "v"})
    assert failures(reply) == {arn: (400, "InvalidParameterException")}
    assert stubtags.tags("ok") == {"k": "v"} and stubtags.tags("db") == {}


def test_a_secret_of_another_region_or_partition_is_an_entry(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    there = boto3.client("secretsmanager", region_name="eu-west-1").create_secret(Name="x")["ARN"]
    here = secretsmanager.create_secret(Name="x")["ARN"]
    china = here.replace("arn:aws:", "arn:aws-cn:")
    reply = tagging.tag_resources(ResourceARNList=[there, china, here], Tags={"k": "v"})
    assert failures(reply) == {
        there: (400, "InvalidParameterException"),
        china: (400, "InvalidParameterException"),
    }
    assert "us-east-1" in reply["FailedResourcesMap"][there]["ErrorMessage"]
    assert stubtags.tags("x", region="eu-west-1") == {}
    assert stubtags.tags("x") == {"k": "v"}


def test_a_partial_arn_is_resolved_as_secrets_manager_does(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    partial = arn.rsplit("-", 1)[0]
    assert (
        tagging.tag_resources(ResourceARNList=[partial], Tags={"k": "v"})["FailedResourcesMap"]
        == {}
    )
    assert stubtags.tags("db") == {"k": "v"}


# --- call-level refusals --------------------------------------------------------------------


TOO_MANY_ARNS = [f"arn:aws:s3:::b{i}" for i in range(20)]  # with the secret's: 21


@pytest.mark.parametrize(
    ("extra_arns", "tags", "where"),
    [
        (TOO_MANY_ARNS, {"k": "v"}, "resourceARNList"),
        ([], {f"k{i}": "v" for i in range(51)}, "tags"),
        ([], {"k" * 129: "v"}, "tags.key"),
        ([], {"k": "v" * 257}, "tags.value"),
        (["a" * 1012], {"k": "v"}, "resourceARNList.2.member"),
    ],
)
def test_tag_resources_limits_fail_the_whole_call(
    secretsmanager: Any,
    tagging: Any,
    stubtags: Backend,
    extra_arns: list[str],
    tags: dict[str, str],
    where: str,
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    with pytest.raises(tagging.exceptions.InvalidParameterException) as error:
        tagging.tag_resources(ResourceARNList=[arn, *extra_arns], Tags=tags)
    assert f"at '{where}'" in error.value.response["Error"]["Message"]
    assert stubtags.tags("db") == {}


@pytest.mark.parametrize(
    ("extra_arns", "keys", "where"),
    [
        (TOO_MANY_ARNS, ["k"], "resourceARNList"),
        ([], [f"k{i}" for i in range(51)], "tagKeys"),
        ([], ["k" * 129], "tagKeys.1.member"),
    ],
)
def test_untag_resources_limits_fail_the_whole_call(
    secretsmanager: Any,
    tagging: Any,
    stubtags: Backend,
    extra_arns: list[str],
    keys: list[str],
    where: str,
) -> None:
    arn = secretsmanager.create_secret(Name="db", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    params = {"ResourceARNList": [arn, *extra_arns], "TagKeys": keys}
    with pytest.raises(tagging.exceptions.InvalidParameterException) as error:
        tagging.untag_resources(**params)
    assert f"at '{where}'" in error.value.response["Error"]["Message"]
    assert stubtags.tags("db") == {"k": "v"}


def test_fifty_tags_in_one_call_are_allowed(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    tags = {f"k{i}": "v" for i in range(50)}
    assert tagging.tag_resources(ResourceARNList=[arn], Tags=tags)["FailedResourcesMap"] == {}
    assert stubtags.tags("db") == tags
    reply = tagging.untag_resources(ResourceARNList=[arn], TagKeys=list(tags))
    assert reply["FailedResourcesMap"] == {}
    assert stubtags.tags("db") == {}
    assert tagging.get_resources()["ResourceTagMappingList"] == [{"ResourceARN": arn, "Tags": []}]


def test_the_51st_tag_through_the_tagging_api_is_refused(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(
        Name="db", Tags=[{"Key": f"a{i}", "Value": "v"} for i in range(30)]
    )["ARN"]
    reply = tagging.tag_resources(ResourceARNList=[arn], Tags={f"b{i}": "v" for i in range(21)})
    assert failures(reply) == {arn: (400, "InvalidParameterException")}
    assert "51 tags" in reply["FailedResourcesMap"][arn]["ErrorMessage"]
    assert len(stubtags.tags("db")) == 30


# --- replicas and the call record -----------------------------------------------------------


def test_a_replica_is_refused_as_tag_resource_refuses_it_and_listed_with_its_primarys_tags(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    primary = secretsmanager.create_secret(Name="db", Tags=[{"Key": "team", "Value": "core"}])[
        "ARN"
    ]
    secretsmanager.replicate_secret_to_regions(
        SecretId="db", AddReplicaRegions=[{"Region": "eu-west-1"}]
    )
    replica = primary.replace(":us-east-1:", ":eu-west-1:")
    eu = boto3.client("resourcegroupstaggingapi", region_name="eu-west-1")
    reply = eu.tag_resources(ResourceARNList=[replica], Tags={"k": "v"})
    assert failures(reply) == {replica: (400, "InvalidParameterException")}
    sm_eu = boto3.client("secretsmanager", region_name="eu-west-1")
    with pytest.raises(sm_eu.exceptions.InvalidParameterException) as direct:
        sm_eu.tag_resource(SecretId=replica, Tags=[{"Key": "k", "Value": "v"}])
    assert (
        reply["FailedResourcesMap"][replica]["ErrorMessage"]
        == (direct.value.response["Error"]["Message"])
    )
    # Tagged on the primary through the tagging API, the replica shows it in its region.
    assert (
        tagging.tag_resources(ResourceARNList=[primary], Tags={"env": "prod"})["FailedResourcesMap"]
        == {}
    )
    listed = eu.get_resources()["ResourceTagMappingList"]
    assert listed == [
        {
            "ResourceARN": replica,
            "Tags": [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "prod"}],
        }
    ]


def test_the_call_record_names_the_tagging_api_as_event_source(
    secretsmanager: Any, tagging: Any, stubtags: Backend
) -> None:
    arn = secretsmanager.create_secret(Name="db")["ARN"]
    reply = tagging.tag_resources(ResourceARNList=[arn], Tags={"k": "v"})
    records = stubtags.events.named("TagResources")
    assert len(records) == 1
    assert records[0]["eventSource"] == "tagging.amazonaws.com"
    assert records[0]["requestID"] == reply["ResponseMetadata"]["RequestId"]
    assert stubtags.events.named("CreateSecret")[0]["eventSource"] == (
        "secretsmanager.amazonaws.com"
    )
