"""BatchGetSecretValue end to end through boto3: by id list (missing ids become errors) or by
filters (paged, without secrets scheduled for deletion), never both.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.helpers import (
    error_code,
)


def test_batch_by_id_list_reports_missing_ids_as_errors(secretsmanager: Any) -> None:
    a = secretsmanager.create_secret(Name="a", SecretString="va")["ARN"]
    secretsmanager.create_secret(Name="b", SecretString="vb")
    reply = secretsmanager.batch_get_secret_value(SecretIdList=[a, "b", "missing"])
    values = {v["Name"]: v["SecretString"] for v in reply["SecretValues"]}
    assert values == {"a": "va", "b": "vb"}
    assert len(reply["Errors"]) == 1
    error = reply["Errors"][0]
    assert error["SecretId"] == "missing"
    assert error["ErrorCode"] == "ResourceNotFoundException"
    assert error["Message"]
    for value in reply["SecretValues"]:
        assert value["VersionStages"] == ["AWSCURRENT"]


def test_batch_by_filters_pages_through_matches(secretsmanager: Any) -> None:
    wanted = {f"app/{n}": f"value-{n}" for n in range(5)}
    for name, value in wanted.items():
        secretsmanager.create_secret(Name=name, SecretString=value)
    secretsmanager.create_secret(Name="other", SecretString="x")
    seen: dict[str, str] = {}
    kwargs: dict[str, Any] = {"Filters": [{"Key": "name", "Values": ["app/"]}], "MaxResults": 2}
    pages = 0
    while True:
        page = secretsmanager.batch_get_secret_value(**kwargs)
        pages += 1
        assert len(page["SecretValues"]) <= 2
        for value in page["SecretValues"]:
            assert value["Name"] not in seen
            seen[value["Name"]] = value["SecretString"]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == wanted
    assert pages == 3


def test_batch_by_filters_leaves_out_secrets_scheduled_for_deletion(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="app-live", SecretString="a")
    secretsmanager.create_secret(Name="app-gone", SecretString="b")
    secretsmanager.delete_secret(SecretId="app-gone")
    reply = secretsmanager.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["app-"]}])
    assert [v["Name"] for v in reply["SecretValues"]] == ["app-live"]
    assert reply["Errors"] == []


def test_batch_with_both_or_neither_selector_is_refused(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="a", SecretString="va")
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.batch_get_secret_value(
            SecretIdList=["a"], Filters=[{"Key": "name", "Values": ["a"]}]
        )
    with pytest.raises(secretsmanager.exceptions.InvalidParameterException):
        secretsmanager.batch_get_secret_value()


def test_batch_max_results_over_20_is_a_validation_error(secretsmanager: Any) -> None:
    with pytest.raises(ClientError) as error:
        secretsmanager.batch_get_secret_value(
            Filters=[{"Key": "name", "Values": ["a"]}], MaxResults=21
        )
    assert error_code(error) == "ValidationException"


def test_batch_read_counts_as_an_access(secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="a", SecretString="va")
    secretsmanager.batch_get_secret_value(SecretIdList=["a"])
    assert "LastAccessedDate" in secretsmanager.describe_secret(SecretId="a")
