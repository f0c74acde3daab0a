"""Permissions: principals, the authorize stage's decisions, and the lock-out rule.

Opt-in: until a test registers a principal (`backend.principal(...)`) every call is
allowed and this package is not even imported by a call. `principals` holds who may
call; `rules` what each operation asks IAM; `authorize` asks it (with `stubtags.iam`)
and builds the gate an operation consults for per-secret checks and the lock-out rule.
"""

from stubtags.access.principals import Access, CallerRecord, Principal, RootCaller

__all__ = ["Access", "CallerRecord", "Principal", "RootCaller"]
