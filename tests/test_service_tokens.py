"""Unit tests of the signed page tokens (stubtags.service.tokens), shared by both listings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stubtags.service import tokens
from stubtags.service.errors import InvalidNextTokenException
from stubtags.service.listing import Query, list_page
from stubtags.service.model import Secret


def _secret(name: str, seq: int) -> Secret:
    return Secret(
        arn=f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}-AbCdEf",
        name=name,
        account="123456789012",
        region="us-east-1",
        created=1000.0 + seq,
        seq=seq,
        last_changed=1000.0 + seq,
    )


def test_a_sealed_payload_comes_back_only_for_its_kind() -> None:
    token = tokens.seal("demo", {"n": 3})
    assert tokens.unseal(token, "demo") == {"kind": "demo", "n": 3}
    with pytest.raises(InvalidNextTokenException, match="another kind of listing"):
        tokens.unseal(token, "offset")


def test_offset_tokens() -> None:
    assert tokens.decode_offset(tokens.encode_offset(0)) == 0
    assert tokens.decode_offset(tokens.encode_offset(250)) == 250
    _, list_token = list_page([_secret("a", 0), _secret("b", 1)], Query(), 1, None)
    assert list_token is not None
    with pytest.raises(InvalidNextTokenException):
        tokens.decode_offset(list_token)  # a ListSecrets token is not an offset
    with pytest.raises(InvalidNextTokenException):
        list_page([_secret("a", 0)], Query(), 1, tokens.encode_offset(1))
    with pytest.raises(InvalidNextTokenException):
        tokens.decode_offset("garbage")


@pytest.mark.parametrize("payload", [{"offset": -1}, {"offset": True}, {"offset": "3"}, {}])
def test_a_signed_but_impossible_offset_is_refused(payload: dict[str, object]) -> None:
    with pytest.raises(InvalidNextTokenException, match="not issued by this service"):
        tokens.decode_offset(tokens.seal("offset", payload))


def test_a_token_of_another_process_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    token = tokens.encode_offset(5)
    monkeypatch.setattr(tokens, "_TOKEN_KEY", b"another process" * 2)
    with pytest.raises(InvalidNextTokenException):
        tokens.decode_offset(token)


def test_a_non_string_token_is_refused() -> None:
    with pytest.raises(InvalidNextTokenException, match="not a string"):
        tokens.unseal(5, "offset")


@given(token=st.text(max_size=80))
def test_any_other_string_is_refused(token: str) -> None:
    with pytest.raises(InvalidNextTokenException):
        tokens.decode_offset(token)
