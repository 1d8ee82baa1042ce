"""Every date rule: the only module that parses dates (the standard library's ISO parser, then
dateutil's strict one for what that refuses, such as 24:00).

A date without a time is midnight in the site's time zone; a date without a zone is read in
the site's time zone. Seconds are the finest unit kept, so feeds show whole seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from feedpub.errors import shown

__all__ = ["ACCEPTED_FORMS", "EARLIEST_YEAR", "DateError", "leading_datetime", "to_datetime"]

# Earlier dates are typos or placeholders (Hugo's zero date is 0001-01-01), not publication dates;
# they would also come out in the local mean time of their zone, which feed dates cannot write.
EARLIEST_YEAR = 1900
_EAST, _WEST = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))

ACCEPTED_FORMS = (
    "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], or with a zone such as 2026-03-14T09:30:00+01:00 "
    "(zone as Z, UTC, +HH:MM, +HHMM, +HH or +H)"
)
# Also read, without being advertised: one-digit month, day or hour, and tabs or several blanks
# between date and time, as Jekyll, Hugo and Pelican read them.

# isoparse alone would also take "20260314" or "2026-03"; the gate keeps to the forms above.
_SHAPE = re.compile(
    r"""
    (?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
    (?:
        (?:[Tt]|\s+)
        (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?
        \s?
        (?P<zone>Z|UTC|GMT|[+-]\d{4}|[+-]\d{1,2}(?::\d{2})?)?  # four digits first, for a match at the start
    )?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})?")
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
        raise DateError(f"expected a date, got {type(value).__name__} {shown(value)}; write {ACCEPTED_FORMS}")
    if parsed.year < EARLIEST_YEAR:
        raise DateError(
            f'"{parsed.date().isoformat()}" is before {EARLIEST_YEAR}, not a publication date; write the real date'
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:  # every zone, from UTC-12 to UTC+14, must be able to show the moment (only year 9999 may not)
        if parsed.year == datetime.max.year:
            parsed.astimezone(_EAST).astimezone(_WEST)
    except OverflowError:
        raise DateError(
            f'"{parsed.isoformat()}" is too close to the end of year 9999 to be shown in every time zone; '
            "write the real date"
        ) from None
    offset = parsed.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        # Local mean time (Amsterdam +00:19:32 until 1937, Monrovia -00:44:30 until 1972): RFC 3339
        # and RFC 822 offsets have whole minutes, so the same instant is written in UTC.
        parsed = parsed.astimezone(UTC)
    return parsed.replace(microsecond=0)


def leading_datetime(value: str, zone: tzinfo) -> tuple[datetime, str] | None:
    """Jekyll's reading of a date followed by words that are not part of it (Ruby's Time.parse takes
    "2023-01-29 18:30:22 2023 -0800" as 18:30:22 in the site's zone): the date, time and zone that
    start the text, and the rest, which is ignored; None unless a date that feedpub reads starts it
    and other words follow it."""
    text = value.strip()
    match = _SHAPE.match(text)
    if match is None:
        return None
    leading = match[0].rstrip()
    rest = text[len(leading) :]
    if not rest[:1].isspace():  # nothing follows, or the date runs on ("2023-01-29x"): not a date
        return None
    try:
        return to_datetime(leading, zone), rest.strip()
    except DateError:
        return None


def _parse_text(text: str) -> datetime:
    match = _SHAPE.fullmatch(text)
    if match is None and _AMBIGUOUS.fullmatch(text):
        raise DateError(f'"{text}" could mean two different days (day/month or month/day?); write {ACCEPTED_FORMS}')
    if match is None:
        raise DateError(f'"{text}" is not a date feedpub reads; write {ACCEPTED_FORMS}')
    # Generators accept one-digit months, days and hours ("2017-01-10 9:00"); the year comes first,
    # so nothing is ambiguous: they are padded for the strict ISO parser.
    iso = f"{match['year']}-{int(match['month']):02d}-{int(match['day']):02d}"
    if match["hour"]:
        iso += f"T{int(match['hour']):02d}:{match['minute']}:{match['second'] or '00'}"
        zone = (match["zone"] or "").upper()
        offset = _OFFSET.fullmatch(zone)
        if offset:  # "-4", "+05", "-0400", "+5:30", as Ruby and JavaScript read them
            zone = f"{offset[1]}{int(offset[2]):02d}:{offset[3] or '00'}"
        iso += "+00:00" if zone in ("UTC", "GMT") else zone
    try:
        # The gate above leaves only forms both parsers read alike; datetime's is built in, and
        # importing dateutil costs a cron run more than parsing a few dates does.
        return datetime.fromisoformat(iso)
    except ValueError:
        from dateutil.parser import isoparse

        try:
            return isoparse(iso)
        except ValueError as error:
            raise DateError(f'"{text}" is not a real date or time ({error})') from None
