"""How a backend and its call record show themselves: one line for repr, tables for Jupyter.

A notebook user wants the state at a glance, not `<Backend object at 0x...>`: the
backend renders one compact table per region of its own account (name, tags, the
deletion state, the last change as a date), the call record one table of calls.
Both stop at a row limit and say how many rows they left out, so a store of ten
thousand secrets doesn't freeze the browser. Every piece of text goes through
`html.escape`: names, tags and error messages are data, and a tag value
`<script>` must show as text.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stubtags.backend import Backend
    from stubtags.service.model import Secret

ROW_LIMIT = 50  # rows per table before the rest is summarised as a count
_STYLE = "border-collapse:collapse;text-align:left"


def _date(when: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(when))


def _own_secrets(backend: Backend) -> dict[str, list[Secret]]:
    """The backend's account's secrets by region (regions sorted, secrets in creation order)."""
    by_region: dict[str, list[Secret]] = {}
    with backend.store.lock:
        for secret in backend.store.secrets_of_account(backend.account_id):
            by_region.setdefault(secret.region, []).append(secret)
    return {region: by_region[region] for region in sorted(by_region)}


def summary(backend: Backend) -> str:
    """One line: the account, the regions it has secrets in, how many secrets."""
    by_region = _own_secrets(backend)
    count = sum(len(secrets) for secrets in by_region.values())
    regions = ",".join(by_region) or "none"
    return f"<stubtags Backend account={backend.account_id} regions={regions} secrets={count}>"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], note: str, first: bool) -> str:
    """An HTML table of already-escaped cells; `note` (what was left out) as a row."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if note:
        row = f'<tr><td colspan="{len(headers)}"><em>{note}</em></td></tr>'
        body = row + body if first else body + row
    return f'<table style="{_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _more(everything: Sequence[Any], shown: Sequence[Any], which: str = "more") -> str:
    left_out = len(everything) - len(shown)
    return f"… {left_out} {which} not shown" if left_out else ""


def _regions(count: int) -> str:
    return f" in {count} region{'' if count == 1 else 's'}" if count else ""


def backend_html(backend: Backend, limit: int = ROW_LIMIT) -> str:
    """The backend's account, one table per region; past `limit` rows, a count."""
    by_region = _own_secrets(backend)
    count = sum(len(secrets) for secrets in by_region.values())
    parts = [
        f"<div><p><strong>stubtags Backend</strong> · account "
        f"{escape(backend.account_id)} · {count} secret{'' if count == 1 else 's'}"
        f"{_regions(len(by_region))}</p>"
    ]
    for region, secrets in by_region.items():
        rows = [_secret_row(secret) for secret in secrets[:limit]]
        parts.append(f"<p><strong>{escape(region)}</strong></p>")
        parts.append(
            _table(("name", "tags", "deletion", "last changed"), rows, _more(secrets, rows), False)
        )
    parts.append("</div>")
    return "".join(parts)


def _secret_row(secret: Secret) -> list[str]:
    tags = "<br>".join(f"{escape(k)} = {escape(v)}" for k, v in (secret.tags or {}).items())
    deletion = (
        f"scheduled since {_date(secret.deleted_date)}" if secret.deleted_date is not None else ""
    )
    return [escape(secret.name), tags, deletion, _date(secret.last_changed)]


def events_html(
    events: Sequence[dict[str, Any]], dropped: int | None, limit: int = ROW_LIMIT
) -> str:
    """The last `limit` calls, newest last: time, call, region, secret, caller, outcome."""
    from stubtags.events import secret_ids

    shown = list(events[-limit:]) if limit else []
    rows = [
        [
            escape(e["eventTime"].replace("T", " ").rstrip("Z")),
            escape(e["eventName"]),
            escape(e["awsRegion"]),
            escape(", ".join(secret_ids(e))),
            escape(str(e["userIdentity"].get("arn", ""))),
            escape(e.get("errorCode", "OK")),
        ]
        for e in shown
    ]
    lost = f", {dropped} dropped" if dropped else ""
    header = f"<p><strong>stubtags events</strong> · {len(events)} recorded{lost}</p>"
    table = _table(
        ("time (UTC)", "event", "region", "secret", "caller", "outcome"),
        rows,
        _more(events, rows, "earlier"),
        True,
    )
    return f"<div>{header}{table}</div>"
