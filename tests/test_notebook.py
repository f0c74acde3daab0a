"""How a backend and its calls show in a notebook: repr, `_repr_html_`, and a real notebook.

The notebook under conftest_examples/notebook/ runs in a real Jupyter kernel (the
`python3` kernel of this very interpreter, through nbclient) and the test reads the
HTML it displayed, as a notebook user's browser would get it.
"""

from __future__ import annotations

import os
import re
from datetime import timezone
from pathlib import Path
from typing import Any

import boto3
import nbformat
import pytest
from nbclient import NotebookClient

from stubtags import Backend, mock_tags
from stubtags.notebook import ROW_LIMIT, backend_html, events_html

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "conftest_examples" / "notebook" / "calls.ipynb"
REGION = "us-east-1"


def new_client(region: str = REGION) -> Any:
    return boto3.client("secretsmanager", region_name=region)


# -- repr ---------------------------------------------------------------------------------


def test_repr_is_one_line_about_its_own_account() -> None:
    with mock_tags() as outer:
        new_client().create_secret(Name="a")
        new_client("eu-west-1").create_secret(Name="b")
        with mock_tags(account_id="111122223333") as inner:
            new_client().create_secret(Name="c")
            assert repr(inner) == (
                "<stubtags Backend account=111122223333 regions=us-east-1 secrets=1>"
            )
        assert repr(outer) == (
            "<stubtags Backend account=123456789012 regions=eu-west-1,us-east-1 secrets=2>"
        )
    with mock_tags() as empty:
        assert repr(empty) == "<stubtags Backend account=123456789012 regions=none secrets=0>"


# -- the backend's table ------------------------------------------------------------------


def test_backend_table_shows_tags_deletion_and_dates_escaped(
    stubtags: Backend, secretsmanager: Any
) -> None:
    secretsmanager.create_secret(
        Name="db",
        Tags=[
            {"Key": "team", "Value": "core"},
            {"Key": "a&b", "Value": "<script>alert('x')</script>"},
        ],
    )
    secretsmanager.create_secret(Name="old")
    secretsmanager.delete_secret(SecretId="old")
    changed = secretsmanager.describe_secret(SecretId="db")["LastChangedDate"].astimezone(
        timezone.utc
    )
    deleted = secretsmanager.describe_secret(SecretId="old")["DeletedDate"].astimezone(timezone.utc)

    html = stubtags._repr_html_()
    assert "<script>" not in html
    assert "a&amp;b = &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "team = core<br>a&amp;b" in html
    assert "account 123456789012 · 2 secrets in 1 region" in html
    assert f"<strong>{REGION}</strong>" in html
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert rows[0][0] == "db"
    assert rows[0][2:] == ("", f"{changed:%Y-%m-%d}")
    assert rows[1] == ("old", "", f"scheduled since {deleted:%Y-%m-%d}", f"{deleted:%Y-%m-%d}")


def test_backend_table_is_cut_past_the_limit(stubtags: Backend, secretsmanager: Any) -> None:
    for n in range(ROW_LIMIT + 3):
        secretsmanager.create_secret(Name=f"s{n:03}")
    new_client("eu-west-1").create_secret(Name="far")
    html = stubtags._repr_html_()
    assert html.count("<tr><td>s0") == ROW_LIMIT
    assert "… 3 more not shown" in html
    assert "<tr><td>far</td>" in html  # each region has its own table
    assert "… 51 more not shown" in backend_html(stubtags, limit=2)


def test_an_empty_backend_says_so(stubtags: Backend) -> None:
    assert "0 secrets" in stubtags._repr_html_()
    assert "<table" not in stubtags._repr_html_()


# -- the calls' table ---------------------------------------------------------------------


def test_events_table(stubtags: Backend, secretsmanager: Any) -> None:
    secretsmanager.create_secret(Name="db")
    secretsmanager.tag_resource(SecretId="db", Tags=[{"Key": "k", "Value": "v"}])
    with pytest.raises(secretsmanager.exceptions.ResourceNotFoundException):
        secretsmanager.describe_secret(SecretId="missing")
    html = stubtags.events._repr_html_()
    assert "3 recorded" in html
    names = re.findall(r"<tr><td>[^<]*</td><td>(\w+)</td>", html)
    assert names == ["CreateSecret", "TagResource", "DescribeSecret"]
    assert "<td>ResourceNotFoundException</td>" in html
    assert "<td>arn:aws:iam::123456789012:root</td>" in html
    assert "1 recorded" in stubtags.events.named("TagResource")._repr_html_()


def test_events_table_is_cut_and_counts_drops() -> None:
    with mock_tags(max_events=ROW_LIMIT + 5) as backend:
        client = new_client()
        for _ in range(ROW_LIMIT + 7):
            client.list_secrets()
        html = backend.events._repr_html_()
        assert f"{ROW_LIMIT + 5} recorded, 2 dropped" in html
        assert "… 5 earlier not shown" in html
        assert html.count("<td>ListSecrets</td>") == ROW_LIMIT
        assert "… 1 earlier not shown" in events_html(backend.events[-3:], None, limit=2)


# -- a real notebook ----------------------------------------------------------------------


def test_the_example_notebook_runs_and_shows_html(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    env = dict(os.environ)
    # The kernel imports this checkout's stubtags, whatever is installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    runner = NotebookClient(
        notebook,
        kernel_name="python3",  # ipykernel's own spec: this interpreter (sys.executable)
        timeout=60,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    runner.execute(env=env)

    outputs = [cell.get("outputs", []) for cell in notebook.cells]
    html = [
        output["data"]["text/html"]
        for cell_outputs in outputs
        for output in cell_outputs
        if output.get("output_type") == "execute_result" and "text/html" in output["data"]
    ]
    assert len(html) == 2
    backend_view, events_view = html
    assert "<strong>stubtags Backend</strong>" in backend_view
    assert "team = core" in backend_view
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in backend_view
    assert "<script>" not in backend_view
    assert "scheduled since" in backend_view
    assert "5 recorded" in events_view
    for name in ("CreateSecret", "TagResource", "DeleteSecret", "UntagResource"):
        assert f"<td>{name}</td>" in events_view
    assert "<td>ResourceNotFoundException</td>" in events_view
    everything = str(outputs)
    assert "refused: ResourceNotFoundException" in everything
    assert "correct-horse-battery" not in everything  # the secret value is never shown
    assert "Traceback" not in everything
