"""Unit tests of the GetRandomPassword generator and the resource policy checks."""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stubtags.service.errors import (
    InvalidParameterException,
    MalformedPolicyDocumentException,
    ServiceError,
    ValidationException,
)
from stubtags.service.passwords import PUNCTUATION, random_password
from stubtags.service.policies import (
    POLICY_MAX,
    PublicPolicyException,
    check_put_policy,
    validate_policy_document,
)

# The 32 characters the AWS documentation lists, written out independently of the module.
AWS_PUNCTUATION = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# --- passwords: fixed examples -------------------------------------------------------------


def test_punctuation_is_the_documented_32_characters() -> None:
    assert len(PUNCTUATION) == 32
    assert sorted(PUNCTUATION) == sorted(AWS_PUNCTUATION)


def test_default_password_has_32_characters_of_every_default_type() -> None:
    password = random_password({})
    assert len(password) == 32
    assert any(c in string.ascii_uppercase for c in password)
    assert any(c in string.ascii_lowercase for c in password)
    assert any(c in string.digits for c in password)
    assert any(c in PUNCTUATION for c in password)
    assert " " not in password


def test_members_given_as_none_take_their_defaults() -> None:
    password = random_password(
        {
            "PasswordLength": None,
            "IncludeSpace": None,
            "RequireEachIncludedType": None,
            "ExcludeCharacters": None,
        }
    )
    assert len(password) == 32
    assert " " not in password
    assert any(c in string.digits for c in password)


@pytest.mark.parametrize("length", [1, 4, 4096])
def test_length_bounds_are_accepted(length: int) -> None:
    params = {"PasswordLength": length, "RequireEachIncludedType": length >= 4}
    assert len(random_password(params)) == length


@pytest.mark.parametrize(
    ("length", "constraint"),
    [
        (0, "Member must have value greater than or equal to 1"),
        (-7, "Member must have value greater than or equal to 1"),
        (4097, "Member must have value less than or equal to 4096"),
    ],
)
def test_length_out_of_range_is_a_validation_error(length: int, constraint: str) -> None:
    with pytest.raises(ValidationException) as caught:
        random_password({"PasswordLength": length})
    assert f"Value '{length}' at 'passwordLength'" in caught.value.message
    assert constraint in caught.value.message


def test_exclude_characters_longer_than_4096_is_a_validation_error() -> None:
    with pytest.raises(ValidationException, match="excludeCharacters"):
        random_password({"ExcludeCharacters": "a" * 4097})


def test_each_type_switch_removes_its_type() -> None:
    switches = {
        "ExcludeUppercase": string.ascii_uppercase,
        "ExcludeLowercase": string.ascii_lowercase,
        "ExcludeNumbers": string.digits,
        "ExcludePunctuation": PUNCTUATION,
    }
    for switch, chars in switches.items():
        password = random_password({switch: True, "PasswordLength": 400})
        assert not set(password) & set(chars), switch
        for other, other_chars in switches.items():
            if other != switch:
                assert set(password) & set(other_chars), (switch, other)


def test_include_space_puts_a_space_in_a_required_password() -> None:
    for _ in range(20):
        assert " " in random_password({"IncludeSpace": True, "PasswordLength": 5})


def test_exclude_characters_wins_over_include_space() -> None:
    password = random_password(
        {"IncludeSpace": True, "ExcludeCharacters": " ", "PasswordLength": 300}
    )
    assert " " not in password


def test_exclude_characters_are_never_used() -> None:
    excluded = "abcdefXYZ0123!@#"
    password = random_password({"ExcludeCharacters": excluded, "PasswordLength": 2000})
    assert not set(password) & set(excluded)


def test_type_emptied_by_exclude_characters_is_not_required() -> None:
    password = random_password(
        {"ExcludeCharacters": string.digits, "ExcludePunctuation": True, "PasswordLength": 2}
    )
    assert len(password) == 2
    assert set(password) <= set(string.ascii_letters)
    assert set(password) & set(string.ascii_uppercase)
    assert set(password) & set(string.ascii_lowercase)


def test_length_shorter_than_required_types_is_invalid() -> None:
    with pytest.raises(InvalidParameterException, match="too short"):
        random_password({"PasswordLength": 3})
    with pytest.raises(InvalidParameterException, match="too short"):
        random_password({"PasswordLength": 4, "IncludeSpace": True})


def test_without_required_types_a_short_password_is_fine() -> None:
    password = random_password({"PasswordLength": 1, "RequireEachIncludedType": False})
    assert len(password) == 1


@pytest.mark.parametrize("require", [True, False])
def test_everything_excluded_is_invalid(require: bool) -> None:
    params: dict[str, Any] = {
        "ExcludeUppercase": True,
        "ExcludeLowercase": True,
        "ExcludeNumbers": True,
        "ExcludePunctuation": True,
        "RequireEachIncludedType": require,
    }
    with pytest.raises(InvalidParameterException, match="every character is excluded"):
        random_password(params)
    with pytest.raises(InvalidParameterException, match="every character is excluded"):
        random_password(
            {
                "ExcludeCharacters": string.ascii_letters + string.digits + PUNCTUATION + " ",
                "IncludeSpace": True,
                "RequireEachIncludedType": require,
            }
        )


def test_only_space_left_gives_spaces() -> None:
    params = {
        "ExcludeUppercase": True,
        "ExcludeLowercase": True,
        "ExcludeNumbers": True,
        "ExcludePunctuation": True,
        "IncludeSpace": True,
        "PasswordLength": 3,
    }
    assert random_password(params) == "   "


def test_required_characters_are_placed_at_random() -> None:
    # Two required types in two positions: both orders must show up (failure odds 2**-199).
    params = {"ExcludeNumbers": True, "ExcludePunctuation": True, "PasswordLength": 2}
    first_is_upper = {random_password(params)[0].isupper() for _ in range(200)}
    assert first_is_upper == {True, False}


def test_passwords_differ() -> None:
    assert len({random_password({}) for _ in range(50)}) == 50


# --- passwords: properties -----------------------------------------------------------------

_TYPE_SWITCHES = {
    "ExcludeUppercase": string.ascii_uppercase,
    "ExcludeLowercase": string.ascii_lowercase,
    "ExcludeNumbers": string.digits,
    "ExcludePunctuation": "".join(AWS_PUNCTUATION),
}
_ALL_CHARS = string.ascii_letters + string.digits + "".join(AWS_PUNCTUATION) + " "


@st.composite
def password_requests(draw: st.DrawFn) -> dict[str, Any]:
    params: dict[str, Any] = {}
    length = draw(
        st.one_of(
            st.none(),
            st.integers(-3, 40),
            st.integers(4090, 4100),
        )
    )
    if length is not None:
        params["PasswordLength"] = length
    for member in [*_TYPE_SWITCHES, "IncludeSpace", "RequireEachIncludedType"]:
        value = draw(st.sampled_from([None, True, False]))
        if value is not None:
            params[member] = value
    excluded = draw(
        st.one_of(
            st.none(),
            st.text(st.sampled_from(_ALL_CHARS), max_size=40),
            st.sampled_from(
                [string.digits, string.ascii_letters, _ALL_CHARS, "".join(AWS_PUNCTUATION)]
            ),
        )
    )
    if excluded is not None:
        params["ExcludeCharacters"] = excluded
    return params


def _expected_types(params: dict[str, Any]) -> list[set[str]]:
    """An independent reading of which types the request leaves included."""
    excluded = set(params.get("ExcludeCharacters") or "")
    groups = [chars for switch, chars in _TYPE_SWITCHES.items() if not params.get(switch)]
    if params.get("IncludeSpace"):
        groups.append(" ")
    return [left for chars in groups if (left := set(chars) - excluded)]


@settings(max_examples=400, deadline=None)
@given(password_requests())
def test_password_respects_every_option(params: dict[str, Any]) -> None:
    length = params.get("PasswordLength", 32)
    types = _expected_types(params)
    require = params.get("RequireEachIncludedType", True)
    if not 1 <= length <= 4096:
        with pytest.raises(ValidationException):
            random_password(params)
        return
    if not types or (require and length < len(types)):
        with pytest.raises(InvalidParameterException):
            random_password(params)
        return
    password = random_password(params)
    assert isinstance(password, str)
    assert len(password) == length
    assert set(password) <= set().union(*types)
    if require:
        for chars in types:
            assert set(password) & chars


@settings(max_examples=200, deadline=None)
@given(password_requests())
def test_password_errors_are_only_the_documented_ones(params: dict[str, Any]) -> None:
    try:
        random_password(params)
    except (ValidationException, InvalidParameterException) as exc:
        assert exc.message
    # Any other exception type propagates and fails the test.


# --- policies: ValidateResourcePolicy ------------------------------------------------------

ACCOUNT_ROOT = "arn:aws:iam::123456789012:root"


def _policy(*statements: Any, **top: Any) -> str:
    document: dict[str, Any] = {"Version": "2012-10-17", **top}
    if statements:
        document["Statement"] = list(statements)
    return json.dumps(document)


def _statement(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": ACCOUNT_ROOT},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def _messages(policy: str) -> list[str]:
    errors = validate_policy_document(policy)
    for error in errors:
        assert set(error) == {"CheckName", "ErrorMessage"}
        assert error["CheckName"] == "SYNTAX_CHECK"
        assert isinstance(error["ErrorMessage"], str)
        assert error["ErrorMessage"]
    return [error["ErrorMessage"] for error in errors]


@pytest.mark.parametrize(
    "policy",
    [
        _policy(_statement()),
        _policy(_statement(), Version="2008-10-17"),
        json.dumps({"Statement": _statement()}),
        _policy(_statement(Sid="ReadIt", Principal="*")),
        _policy(_statement(Action=["secretsmanager:GetSecretValue", "secretsmanager:List*"])),
        _policy(_statement(Action=None, NotAction="secretsmanager:DeleteSecret")),
        _policy(_statement(Resource=None, NotResource=["arn:aws:secretsmanager:*:*:secret:x"])),
        _policy(_statement(Resource=None)),
        _policy(_statement(Principal=None)),
        _policy(_statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}, Effect="Deny")),
        _policy(
            _statement(
                Principal={
                    "AWS": [ACCOUNT_ROOT, "*"],
                    "Service": "lambda.amazonaws.com",
                    "Federated": "cognito-identity.amazonaws.com",
                    "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d9",
                }
            )
        ),
        _policy(
            _statement(
                Condition={
                    "StringEquals": {"aws:PrincipalOrgID": ["o-123"], "aws:SourceAccount": "1"},
                    "Bool": {"aws:SecureTransport": False},
                    "NumericLessThan": {"secretsmanager:RecoveryWindowInDays": 10},
                }
            )
        ),
        _policy(_statement(), _statement(Effect="Deny"), Id="my-policy"),
    ],
)
def test_valid_policies_have_no_errors(policy: str) -> None:
    assert validate_policy_document(policy) == []


@pytest.mark.parametrize(
    ("policy", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ('{"Statement": NaN}', "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('"text"', "must be a JSON object"),
        (_policy(_statement(), Version="2020-01-01"), "Version must be one of"),
        (_policy(_statement(), Version=20121017), "Version must be one of"),
        (_policy(_statement(), Id=5), "Id must be a string"),
        (_policy(_statement(), Extra=1), 'unsupported key "Extra"'),
        (_policy(), "missing Statement"),
        (json.dumps({"Statement": []}), "non-empty list"),
        (json.dumps({"Statement": "Allow"}), "non-empty list"),
        (_policy(_statement(), "nope"), "Statement[1] must be a JSON object"),
        (_policy(_statement(Colour="red")), 'Statement[0] has unsupported key "Colour"'),
        (_policy(_statement(effect="Allow")), 'unsupported key "effect"'),
        (_policy(_statement(Sid=3)), "Statement[0].Sid must be a string"),
        (_policy(_statement(Effect=None)), "Statement[0] is missing Effect"),
        (_policy(_statement(Effect="allow")), 'Statement[0].Effect must be "Allow" or "Deny"'),
        (_policy(_statement(Action=None)), "must contain Action or NotAction"),
        (_policy(_statement(NotAction="x:y")), "must not contain both Action and NotAction"),
        (_policy(_statement(Action=[])), "Statement[0].Action must be a string or a non-empty"),
        (_policy(_statement(Action=["a:b", 3])), "Statement[0].Action must be a string"),
        (_policy(_statement(Action={"a": "b"})), "Statement[0].Action must be a string"),
        (_policy(_statement(NotResource="*")), "must not contain both Resource and NotResource"),
        (_policy(_statement(Resource=7)), "Statement[0].Resource must be a string"),
        (_policy(_statement(NotPrincipal="*")), "must not contain both Principal and NotPrincipal"),
        (_policy(_statement(Principal=ACCOUNT_ROOT)), 'Statement[0].Principal must be "*"'),
        (_policy(_statement(Principal={})), 'Statement[0].Principal must be "*"'),
        (_policy(_statement(Principal=["*"])), 'Statement[0].Principal must be "*"'),
        (_policy(_statement(Principal={"User": "bob"})), 'unsupported principal type "User"'),
        (_policy(_statement(Principal={"AWS": []})), "Statement[0].Principal.AWS must be"),
        (_policy(_statement(Principal={"Service": 1})), "Statement[0].Principal.Service must"),
        (
            _policy(_statement(Principal=None, NotPrincipal={"AWS": 1})),
            "Statement[0].NotPrincipal.AWS must",
        ),
        (_policy(_statement(Condition="x")), "Statement[0].Condition must be a JSON object"),
        (_policy(_statement(Condition={"Bool": True})), "Condition.Bool must be a JSON object"),
        (
            _policy(_statement(Condition={"StringEquals": {"k": {"a": 1}}})),
            "Condition.StringEquals.k must be",
        ),
        (
            _policy(_statement(Condition={"StringEquals": {"k": []}})),
            "Condition.StringEquals.k must be",
        ),
        (json.dumps({"Statement": {"Effect": "Deny"}}), "Statement must contain Action"),
    ],
)
def test_syntax_errors_are_reported(policy: str, fragment: str) -> None:
    messages = _messages(policy)
    assert any(fragment in m for m in messages), messages


def test_every_problem_is_reported_separately() -> None:
    policy = _policy(_statement(Effect="Maybe", Action=None, Extra=1), Version="1999")
    messages = _messages(policy)
    assert len(messages) == 4, messages


def test_deeply_nested_json_is_a_syntax_error_not_a_crash() -> None:
    messages = _messages("[" * 10000 + "]" * 10000)
    assert messages
    assert any("JSON" in m for m in messages)


def test_policy_of_the_maximum_size_is_checked() -> None:
    policy = _policy(_statement())
    policy = policy + " " * (POLICY_MAX - len(policy))
    assert len(policy) == POLICY_MAX
    assert validate_policy_document(policy) == []
    check_put_policy(policy, block_public_policy=True)


def test_oversized_policy_is_malformed() -> None:
    policy = _policy(_statement())
    policy = policy + " " * (POLICY_MAX + 1 - len(policy))
    with pytest.raises(MalformedPolicyDocumentException, match=str(POLICY_MAX)):
        validate_policy_document(policy)
    with pytest.raises(MalformedPolicyDocumentException, match=str(POLICY_MAX)):
        check_put_policy(policy, block_public_policy=False)


# --- policies: PutResourcePolicy -----------------------------------------------------------


def test_put_accepts_a_valid_policy() -> None:
    check_put_policy(_policy(_statement()), block_public_policy=True)


@pytest.mark.parametrize("policy", ["{", "null", _policy(_statement(Effect="Permit"))])
def test_put_rejects_malformed_policies(policy: str) -> None:
    with pytest.raises(MalformedPolicyDocumentException) as caught:
        check_put_policy(policy, block_public_policy=False)
    assert caught.value.code == "MalformedPolicyDocumentException"


def test_put_malformed_message_lists_the_problems() -> None:
    policy = _policy(_statement(Effect="Permit", Sid=1))
    with pytest.raises(MalformedPolicyDocumentException) as caught:
        check_put_policy(policy, block_public_policy=False)
    assert "Statement[0].Effect" in caught.value.message
    assert "Statement[0].Sid" in caught.value.message


PUBLIC_STATEMENTS = [
    _statement(Principal="*"),
    _statement(Principal={"AWS": "*"}),
    _statement(Principal={"AWS": [ACCOUNT_ROOT, "*"]}),
    _statement(Principal={"AWS": "*"}, Condition={}),
    _statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}),
]


@pytest.mark.parametrize("statement", PUBLIC_STATEMENTS)
def test_block_public_policy_rejects_public_grants(statement: dict[str, Any]) -> None:
    policy = _policy(_statement(), statement)
    with pytest.raises(PublicPolicyException) as caught:
        check_put_policy(policy, block_public_policy=True)
    assert caught.value.code == "PublicPolicyException"
    assert caught.value.message == (
        "You can't block public access to a secret while its resource policy grants public access."
    )


@pytest.mark.parametrize("statement", PUBLIC_STATEMENTS)
def test_public_grants_are_allowed_without_block_public_policy(statement: dict[str, Any]) -> None:
    check_put_policy(_policy(statement), block_public_policy=False)


def test_public_grant_in_a_single_statement_object_is_found() -> None:
    policy = json.dumps({"Statement": _statement(Principal="*")})
    with pytest.raises(PublicPolicyException):
        check_put_policy(policy, block_public_policy=True)


@pytest.mark.parametrize(
    "statement",
    [
        _statement(Principal="*", Effect="Deny"),
        _statement(Principal="*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),
        _statement(Principal={"AWS": ACCOUNT_ROOT}),
        _statement(Principal={"Service": "*"}),
        _statement(Principal=None),
        _statement(Principal=None, NotPrincipal={"AWS": ACCOUNT_ROOT}, Effect="Deny"),
    ],
)
def test_block_public_policy_accepts_non_public_grants(statement: dict[str, Any]) -> None:
    check_put_policy(_policy(statement), block_public_policy=True)


def test_syntax_errors_win_over_public_access() -> None:
    policy = _policy(_statement(Principal="*", Sid=1))
    with pytest.raises(MalformedPolicyDocumentException):
        check_put_policy(policy, block_public_policy=True)


def test_public_policy_exception_is_a_service_error() -> None:
    assert issubclass(PublicPolicyException, ServiceError)
    assert str(PublicPolicyException("m")) == "PublicPolicyException: m"


# --- policies: properties ------------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(["*", "Allow", "Deny", "2012-10-17", ACCOUNT_ROOT, "s3:Get*"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    *("Version", "Statement", "Effect", "Principal", "NotPrincipal", "Action"),
                    *("AWS", "NotAction", "Resource", "Condition", "Sid", "Id", "Other"),
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json_values, st.booleans())
def test_policy_checks_agree_and_never_crash(document: Any, block: bool) -> None:
    policy = json.dumps(document)
    errors = validate_policy_document(policy)
    assert all(e["CheckName"] == "SYNTAX_CHECK" and e["ErrorMessage"] for e in errors)
    try:
        check_put_policy(policy, block_public_policy=block)
    except MalformedPolicyDocumentException:
        assert errors
    except PublicPolicyException:
        assert not errors
        assert block
    else:
        assert not errors
