"""Every date rule: the only module that parses dates (with dateutil's strict ISO parser).

A date without a time is midnight in the site's time zone; a date without a zone is read in
the site's time zone. Seconds are the finest unit kept, so feeds show whole seconds.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

from dateutil.parser import isoparse

__all__ = ["ACCEPTED_FORMS", "DateError", "to_datetime"]

ACCEPTED_FORMS = (
    "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], or with a zone such as 2026-03-14T09:30:00+01:00 "
    "(zone as Z, UTC, +HH:MM or +HHMM)"
)

# isoparse alone would also take "20260314" or "2026-03"; the gate keeps to the forms above.
_SHAPE = re.compile(
    r"""
    (?P<date>\d{4}-\d{2}-\d{2})
    (?:
        [T\x20]
        (?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)
        \x20?
        (?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?
    )?
    """,
    re.VERBOSE | re.IGNORECASE,
)


_AMBIGUOUS = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2,4}(?:[T\x20].*)?")


class DateError(ValueError):
    """A value that is not a date, or not a real one; the message says what to write."""


def to_datetime(value: object, zone: tzinfo) -> datetime:
    """A front-matter value as a time-zone-aware datetime, whole seconds."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = _parse_text(value.strip())
    else:
        raise DateError(f"expected a date, got {type(value).__name__} {value!r}; write {ACCEPTED_FORMS}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.replace(microsecond=0)


def _parse_text(text: str) -> datetime:
    match = _SHAPE.fullmatch(text)
    if match is None and _AMBIGUOUS.fullmatch(text):
        raise DateError(f'"{text}" could mean two different days (day/month or month/day?); write {ACCEPTED_FORMS}')
    if match is None:
        raise DateError(f'"{text}" is not a date feedpub reads; write {ACCEPTED_FORMS}')
    iso = match["date"]
    if match["time"]:
        iso += "T" + match["time"]
        zone = (match["zone"] or "").upper()
        iso += "+00:00" if zone in ("UTC", "GMT") else zone
    try:
        return isoparse(iso)
    except ValueError as error:
        raise DateError(f'"{text}" is not a real date or time ({error})') from None
