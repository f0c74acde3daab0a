"""The IAM policy language's element names and versions, as "IAM JSON policy elements
reference" lists them: read by the syntax check of resource policies
(`service.policies`) and by the evaluator (`iam.documents`), so both accept the same
documents. Kept apart so that the syntax check does not import the evaluator.
"""

from __future__ import annotations

VARIABLES_VERSION = "2012-10-17"  # the version under which policy variables apply
VERSIONS = (VARIABLES_VERSION, "2008-10-17")
TOP_LEVEL_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
