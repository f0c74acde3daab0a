"""Resource policies: the syntax check of ValidateResourcePolicy and PutResourcePolicy.

The fake checks the shape of an IAM policy, not its meaning: there is no Zelkova
reasoning and no lock-out check, only the syntax rules below and, for
PutResourcePolicy with BlockPublicPolicy, a literal search for a public grant.

Documented by AWS: the 20480-character limit of the ResourcePolicy member, the two
policy language versions, the policy element names and their value shapes, and that
BlockPublicPolicy rejects policies that grant broad access (e.g. a wildcard
principal) with PublicPolicyException.

Inferred, not documented:

* The CheckName "SYNTAX_CHECK" and every error message, including the message of
  MalformedPolicyDocumentException and PublicPolicyException.
* Unparseable JSON is reported by ValidateResourcePolicy as a validation error rather
  than raised; a document over 20480 characters raises MalformedPolicyDocumentException
  from both operations.
* Element names and the Effect values are case-sensitive; Action, Resource and
  principal lists must not be empty; Condition maps operators to objects whose values
  are strings, numbers, booleans or lists of them.
* A document that passes those checks must also be one the permissions evaluator
  (`stubtags.iam`) can read as a resource-based policy, so a stored policy can always
  be evaluated: each statement names a Principal or NotPrincipal ("You must use the
  Principal element in resource-based policies", "AWS JSON policy elements:
  Principal") and a Resource or NotResource ("IAM JSON policy elements: Resource"),
  and its condition operators, actions and ARNs are well formed. AWS refuses such
  documents at PutResourcePolicy too (documented rule); the message is the evaluator's.
* Public means an Allow statement without a (non-empty) Condition whose Principal is
  "*" or has "*" among its "AWS" principals, or which uses NotPrincipal (it grants
  everyone not listed).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from stubtags.policy_language import STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS, VERSIONS
from stubtags.service.errors import PublicPolicyException, policy_syntax, policy_too_long
from stubtags.service.model import Secret, touch

POLICY_MAX = 20480
SYNTAX_CHECK = "SYNTAX_CHECK"
TOP_LEVEL_KEYS = frozenset(TOP_LEVEL_ELEMENTS)
STATEMENT_KEYS = frozenset(STATEMENT_ELEMENTS)
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse(policy: str) -> tuple[Any, str | None]:
    """The decoded document, or None and why it is not JSON."""
    try:
        return json.loads(policy, parse_constant=_reject_constant), None
    except (ValueError, RecursionError) as exc:
        return None, f"The policy document is not valid JSON: {exc}"


def _strings_problem(value: Any, where: str) -> str | None:
    """Why `value` is not a string or a non-empty list of strings, if it is not."""
    if isinstance(value, str):
        return None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return None
    return f"{where} must be a string or a non-empty list of strings."


def _principal_problems(value: Any, where: str) -> list[str]:
    if value == "*":
        return []
    if not isinstance(value, dict) or not value:
        return [f'{where} must be "*" or a non-empty object of principal types.']
    problems = []
    for kind, ids in value.items():
        if kind not in PRINCIPAL_TYPES:
            problems.append(
                f'{where} has unsupported principal type "{kind}"; '
                f"expected one of {', '.join(PRINCIPAL_TYPES)}."
            )
        elif problem := _strings_problem(ids, f"{where}.{kind}"):
            problems.append(problem)
    return problems


def _is_condition_value(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _condition_problems(value: Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where} must be a JSON object."]
    problems = []
    for operator, clauses in value.items():
        at = f"{where}.{operator}"
        if not isinstance(clauses, dict):
            problems.append(f"{at} must be a JSON object of condition keys.")
            continue
        for key, match in clauses.items():
            values = match if isinstance(match, list) else [match]
            if not values or not all(_is_condition_value(v) for v in values):
                problems.append(
                    f"{at}.{key} must be a string, number, boolean or a non-empty list of them."
                )
    return problems


def _pair_problems(statement: dict[str, Any], where: str, key: str, required: bool) -> list[str]:
    """Check an element that may appear as `key` or `Not<key>`, never both."""
    present = [k for k in (key, f"Not{key}") if k in statement]
    if len(present) == 2:
        return [f"{where} must not contain both {key} and Not{key}."]
    if not present:
        return [f"{where} must contain {key} or Not{key}."] if required else []
    name = present[0]
    value = statement[name]
    if key == "Principal":
        return _principal_problems(value, f"{where}.{name}")
    problem = _strings_problem(value, f"{where}.{name}")
    return [problem] if problem else []


def _statement_problems(statement: Any, where: str) -> list[str]:
    if not isinstance(statement, dict):
        return [f"{where} must be a JSON object."]
    problems = [
        f'{where} has unsupported key "{key}".' for key in statement if key not in STATEMENT_KEYS
    ]
    if "Sid" in statement and not isinstance(statement["Sid"], str):
        problems.append(f"{where}.Sid must be a string.")
    if "Effect" not in statement:
        problems.append(f"{where} is missing Effect.")
    elif statement["Effect"] not in ("Allow", "Deny"):
        problems.append(f'{where}.Effect must be "Allow" or "Deny".')
    problems += _pair_problems(statement, where, "Action", required=True)
    problems += _pair_problems(statement, where, "Resource", required=False)
    problems += _pair_problems(statement, where, "Principal", required=False)
    if "Condition" in statement:
        problems += _condition_problems(statement["Condition"], f"{where}.Condition")
    return problems


def _document_problems(document: Any) -> list[str]:
    if not isinstance(document, dict):
        return ["The policy document must be a JSON object."]
    problems = [
        f'The policy document has unsupported key "{key}".'
        for key in document
        if key not in TOP_LEVEL_KEYS
    ]
    if "Version" in document and document["Version"] not in VERSIONS:
        problems.append(f"Version must be one of {', '.join(VERSIONS)}.")
    if "Id" in document and not isinstance(document["Id"], str):
        problems.append("Id must be a string.")
    statements = document.get("Statement")
    if statements is None:
        problems.append("The policy document is missing Statement.")
    elif isinstance(statements, dict):
        problems += _statement_problems(statements, "Statement")
    elif isinstance(statements, list) and statements:
        for index, statement in enumerate(statements):
            problems += _statement_problems(statement, f"Statement[{index}]")
    else:
        problems.append("Statement must be a JSON object or a non-empty list of objects.")
    return problems


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What the checks found in one policy text; immutable, since it is shared by calls."""

    problems: tuple[str, ...]
    public: bool  # an Allow statement grants everyone; False when there are problems


def _problems(policy: str) -> tuple[Any, list[str]]:
    document, error = _parse(policy)
    if error is not None:
        return None, [error]
    problems = _document_problems(document)
    if not problems:
        # Imported here: the evaluator is needed only once a policy is put or validated.
        from stubtags.iam import PolicyError, PolicyKind, parse_policy

        try:
            parse_policy(document, PolicyKind.RESOURCE)
        except PolicyError as refused:
            problems.append(
                f"{refused.path.removeprefix('resource-based policy: ')}: {refused.problem}"
            )
    return document, problems


# The checks are a pure function of the text and cost far more than a call's other work;
# tests put and validate the same few documents over and over.
@functools.lru_cache(maxsize=256)
def _verdict(policy: str) -> _Verdict:
    """What the checks find in `policy`, or MalformedPolicyDocumentException for an
    oversized one (botocore enforces only the minimum length, so it reaches us). A
    raise is not cached: a text found here again was within size."""
    if len(policy) > POLICY_MAX:
        raise policy_too_long(len(policy), POLICY_MAX)
    document, problems = _problems(policy)
    if problems:
        return _Verdict(tuple(problems), public=False)
    statements = document["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    return _Verdict((), public=any(_is_public(statement) for statement in statements))


def validate_policy_document(policy: str) -> list[dict[str, str]]:
    """The ValidationErrors of ValidateResourcePolicy for `policy`; empty when it is valid."""
    return [
        {"CheckName": SYNTAX_CHECK, "ErrorMessage": problem}
        for problem in _verdict(policy).problems
    ]


def _grants_everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def _is_public(statement: dict[str, Any]) -> bool:
    if statement.get("Effect") != "Allow" or statement.get("Condition"):
        return False
    return "NotPrincipal" in statement or _grants_everyone(statement.get("Principal"))


def check_put_policy(policy: str, block_public_policy: bool) -> None:
    """Raise what PutResourcePolicy raises for `policy`; return when it may be stored."""
    verdict = _verdict(policy)
    if verdict.problems:
        raise policy_syntax(verdict.problems)
    if block_public_policy and verdict.public:
        raise PublicPolicyException()


def put_policy(secret: Secret, policy: str, now: float) -> None:
    """PutResourcePolicy on an active secret, once `check_put_policy` accepted the policy."""
    secret.policy = policy
    touch(secret, now)


def delete_policy(secret: Secret, now: float) -> None:
    """DeleteResourcePolicy on an active secret; a secret without a policy is unchanged."""
    if secret.policy is not None:
        secret.policy = None
        touch(secret, now)
