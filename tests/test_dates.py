"""Every date rule, table-driven."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedpub.read.dates import DateError, leading_datetime, to_datetime

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args: int, offset: float | None = None) -> datetime:
    zone = BERLIN if offset is None else timezone(timedelta(hours=offset))
    return datetime(*args, tzinfo=zone)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2026-03-14", at(2026, 3, 14), id="date-only-means-midnight-in-the-site-zone"),
        pytest.param("2026-07-14", at(2026, 7, 14), id="summer-time-offset-from-the-zone"),
        pytest.param("2026-03-14 09:30", at(2026, 3, 14, 9, 30), id="blank-separator-no-seconds"),
        pytest.param("2026-03-14T09:30:15", at(2026, 3, 14, 9, 30, 15), id="T-separator-with-seconds"),
        pytest.param("2026-03-14T09:30:15.678", at(2026, 3, 14, 9, 30, 15), id="fractions-dropped"),
        pytest.param("2026-03-14T09:30:00Z", at(2026, 3, 14, 9, 30, offset=0), id="zulu"),
        pytest.param("2026-03-14 09:30 UTC", at(2026, 3, 14, 9, 30, offset=0), id="UTC-word"),
        pytest.param("2026-03-14T09:30:00+05:30", at(2026, 3, 14, 9, 30, offset=5.5), id="offset-with-colon"),
        pytest.param("2026-03-14T09:30:00-0800", at(2026, 3, 14, 9, 30, offset=-8), id="offset-without-colon"),
        pytest.param("  2026-03-14  ", at(2026, 3, 14), id="surrounding-blanks"),
        pytest.param("2017-01-10 9:00", at(2017, 1, 10, 9, 0), id="one-digit-hour-pybites"),
        pytest.param(
            "2019-04-09T8:09:26-07:00", at(2019, 4, 9, 8, 9, 26, offset=-7), id="one-digit-hour-with-T-jessfraz"
        ),
        pytest.param("2016-06-6", at(2016, 6, 6), id="one-digit-day-badoo"),
        pytest.param("2026-3-4", at(2026, 3, 4), id="one-digit-month-and-day"),
        pytest.param("2017-04-23\t 20:04", at(2017, 4, 23, 20, 4), id="tab-between-date-and-time"),
        pytest.param(date(2026, 3, 14), at(2026, 3, 14), id="date-object"),
        pytest.param(datetime(2026, 3, 14, 9, 30), at(2026, 3, 14, 9, 30), id="naive-datetime-object"),
    ],
)
def test_accepted(value: object, expected: datetime) -> None:
    parsed = to_datetime(value, BERLIN)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("2026-02-30", "is not a real date", id="february-30"),
        pytest.param("2026-13-01", "is not a real date", id="month-13"),
        pytest.param("2026-03-14 24:30", "is not a real date", id="hour-24"),
        pytest.param("03/04/2026", "could mean two different days", id="ambiguous-slashes"),
        pytest.param("3.4.26", "could mean two different days", id="ambiguous-dots"),
        pytest.param("20260314", "is not a date feedpub reads", id="compact"),
        pytest.param("2026-03", "is not a date feedpub reads", id="month-only"),
        pytest.param("2014-02-29", "is not a real date", id="feb-29-in-a-common-year"),
        pytest.param("2023-01-29 18:30:22 2023 -0800", "is not a date feedpub reads", id="trailing-year"),
        pytest.param("yesterday", "is not a date feedpub reads", id="words"),
        pytest.param("2026-03-14 09:30 CET", "is not a date feedpub reads", id="zone-abbreviation"),
        pytest.param(True, "expected a date, got bool", id="boolean"),
        pytest.param("0001-01-01T00:00:00Z", "is before 1900, not a publication date", id="hugo-zero-date"),
        pytest.param(date(1899, 12, 31), "is before 1900", id="before-1900-as-a-date-object"),
    ],
)
def test_refused(value: object, message: str) -> None:
    with pytest.raises(DateError, match=message):
        to_datetime(value, BERLIN)


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        pytest.param("1930-05-01 12:00", "Europe/Amsterdam", "1930-05-01T11:40:28+00:00", id="amsterdam-time"),
        pytest.param("1970-01-01", "Africa/Monrovia", "1970-01-01T00:44:30+00:00", id="monrovia-mean-time"),
        pytest.param("1970-01-01", "Europe/Amsterdam", "1970-01-01T00:00:00+01:00", id="whole-minutes-kept"),
    ],
)
def test_local_mean_time_offsets_are_written_in_utc(value: str, zone: str, expected: str) -> None:
    # RFC 3339 and RFC 822 offsets have whole minutes; the instant stays the same.
    assert to_datetime(value, ZoneInfo(zone)).isoformat() == expected


@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9998, 12, 31)),
    zone=st.sampled_from(["", "Z", "+00:00", "+05:30", "-04:00", "+14:00", "-12:00"]),
    with_time=st.booleans(),
)
def test_the_built_in_iso_parser_reads_the_gated_forms_as_dateutil_does(
    moment: datetime, zone: str, with_time: bool
) -> None:
    """dates.py asks datetime.fromisoformat first (dateutil costs a cron run its import); for every
    form its gate lets through, both give the same moment and the same offset."""
    from dateutil.parser import isoparse

    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + zone if with_time else moment.strftime("%Y-%m-%d")
    ours, theirs = datetime.fromisoformat(text), isoparse(text)
    assert ours == theirs and ours.utcoffset() == theirs.utcoffset()


LOS_ANGELES = ZoneInfo("America/Los_Angeles")


# What Ruby's Time.parse (Jekyll's) gave for each, run with TZ=America/Los_Angeles (Ruby 3.1).
@pytest.mark.parametrize(
    ("value", "expected", "rest"),
    [
        ("2023-01-29 18:30:22 2023 -0800", "2023-01-29T18:30:22-08:00", "2023 -0800"),
        ("2023-01-29 18:30:22 -0800 foo", "2023-01-29T18:30:22-08:00", "foo"),
        ("2023-01-29 18:30:22 +0100 2023", "2023-01-29T18:30:22+01:00", "2023"),
        ("2023-01-29 18:30:22 Sunday", "2023-01-29T18:30:22-08:00", "Sunday"),
        ("2023-01-29 foo", "2023-01-29T00:00:00-08:00", "foo"),
        ("2023-01-29T18:30:22Z extra", "2023-01-29T18:30:22+00:00", "extra"),
    ],
)
def test_a_date_followed_by_stray_words_is_read_as_ruby_reads_it(value: str, expected: str, rest: str) -> None:
    found = leading_datetime(value, LOS_ANGELES)
    assert found is not None and (found[0].isoformat(), found[1]) == (expected, rest)


@pytest.mark.parametrize("value", ["2023-01-29", "2023-01-29 18:30", "2023-01-29x", "on 2023-01-29", "2023-02-30 x"])
def test_no_date_starts_these_or_nothing_follows_it(value: str) -> None:
    assert leading_datetime(value, LOS_ANGELES) is None
