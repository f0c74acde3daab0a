"""botocore's reading of a reply's epoch-second timestamps, made cheap where it stays exact.

botocore's default parser makes `datetime.fromtimestamp(value, tzlocal())`, with
dateutil's local zone, which works out the zone's offset in Python for every stamp:
about 18 µs each on a 2-core machine, 200 of them in a ListSecrets page. When the
local zone has no daylight saving time (UTC, most CI machines), dateutil's answer is
the UTC time plus the zone's one offset, so that is computed directly (about 1 µs): the
local time of the epoch, tagged with botocore's zone, plus the time since the epoch that
`fromtimestamp` reads in UTC. Two datetimes of one tzinfo subtract without asking it
for offsets, and a datetime plus a timedelta keeps its tzinfo: no `replace(tzinfo=...)`,
whose keyword parsing cost twice the rest (valgrind: ~13k instructions, now ~4k).
A zone with daylight saving time keeps botocore's own conversion, as does anything
that is not an epoch number or that the platform cannot convert.
`tests/test_responses_equivalence.py` compares both in UTC, in a fixed-offset zone
and in a zone with daylight saving time.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable
from typing import Any

from botocore import parsers
from botocore.compat import get_tzinfo_options, tzlocal
from botocore.utils import parse_timestamp

BOTOCORE = parse_timestamp  # the default parser, as botocore ships it
_UTC = datetime.timezone.utc
_UTC_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


def _local_epoch() -> datetime.datetime | None:
    """1970-01-01T00:00Z as the local clock showed it, tagged with the `tzlocal()` made now:
    a stamp read is this plus the stamp's seconds. None where botocore's own reading is
    kept: another platform's zone, or a zone with daylight saving time."""
    if get_tzinfo_options()[0] is not tzlocal:  # another platform's zone: botocore's way
        return None
    # dateutil's tzlocal reads its two offsets from these, once, when it is made.
    standard = -time.timezone
    daylight = -time.altzone if time.daylight else standard
    if daylight != standard:
        return None
    return datetime.datetime(1970, 1, 1, tzinfo=tzlocal()) + datetime.timedelta(seconds=standard)


_epoch = _local_epoch()
# time.tzset() binds a new `time.tzname` tuple: its identity tells that the local
# zone may have moved, and that the memoised datetimes may be stale. Public for
# `reply_shapes.fresh_converter`, which tells the unchanged case without a call.
zone_names = time.tzname


def from_epoch(value: Any) -> Any:
    """What botocore's default parser makes of `value`, a reply's timestamp."""
    epoch = _epoch
    if epoch is not None and type(value) in (float, int):
        try:
            return epoch + (datetime.datetime.fromtimestamp(value, _UTC) - _UTC_EPOCH)
        except (OverflowError, OSError, ValueError):
            return BOTOCORE(value)
    return BOTOCORE(value)


# `from_epoch`, once per distinct stamp: pages and repeated calls repeat them. A datetime
# is immutable, so handing the same one to several replies is safe. The cache wraps
# `from_epoch` itself: a stamp not seen yet costs one Python call, not two.
memoised = functools.lru_cache(maxsize=4096)(from_epoch)


def default_parser() -> Callable[[Any], Any]:
    """The timestamp parser a parser made now gets when none is configured.

    A client's parser takes `parsers.DEFAULT_TIMESTAMP_PARSER` when made (once per
    reply), so that global is read per reply too: whoever replaced it gets their
    function, unmemoised.
    """
    global _epoch, zone_names
    default: Callable[[Any], Any] = parsers.DEFAULT_TIMESTAMP_PARSER
    if default is not BOTOCORE:
        return default
    if time.tzname is not zone_names:
        memoised.cache_clear()
        _epoch = _local_epoch()
        zone_names = time.tzname
    return memoised
