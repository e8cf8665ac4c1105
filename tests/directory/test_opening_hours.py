"""`lotse.directory.opening_hours`: open now, next opening, holidays, time zones and wording.

Schedules are plain unsaved `OpeningHours` instances; only the grouping tests need locations
in the database.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.utils import translation

from lotse.directory.models import OpeningHours
from lotse.directory.opening_hours import (
    describe,
    format_compact,
    group_by_location,
    holiday_name,
    is_open,
    next_opening,
    occurs_on,
    remote_groups,
)
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def at(year, month, day, hour=0, minute=0, second=0, tz=BERLIN):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)


def hours(weekdays=("MO", "TU", "FR"), opens=(8, 30), closes=(12, 30), **fields):
    fields.setdefault("kind", OpeningHours.Kind.IN_PERSON)
    return OpeningHours(
        weekdays=list(weekdays),
        opens_at=dt.time(*opens) if opens else None,
        closes_at=dt.time(*closes) if closes else None,
        **fields,
    )


@pytest.fixture
def hessen(settings):
    settings.LOTSE_HOLIDAY_STATE = "HE"


# The reference week: Monday 6 to Sunday 12 July 2026, no public holiday in Hessen.
MONDAY = (2026, 7, 6)
WEDNESDAY = (2026, 7, 8)


# --- the calendar the tests rely on -------------------------------------------------------------


def test_holiday_facts_the_tests_rely_on():
    hessen = holidays.country_holidays("DE", subdiv="HE", years=[2026, 2027], language="de")
    bavaria = holidays.country_holidays("DE", subdiv="BY", years=[2027], language="de")
    assert hessen.get(dt.date(2027, 5, 27)) == "Fronleichnam"
    assert dt.date(2026, 10, 31) not in hessen  # Reformationstag: not in Hessen
    assert hessen.get(dt.date(2026, 10, 3)) == "Tag der Deutschen Einheit"
    assert hessen.get(dt.date(2027, 3, 26)) == "Karfreitag"
    assert hessen.get(dt.date(2027, 3, 29)) == "Ostermontag"
    assert dt.date(2027, 1, 6) not in hessen
    assert bavaria.get(dt.date(2027, 1, 6)) == "Heilige Drei Könige"
    assert not any(dt.date(2026, 7, d) in hessen for d in range(1, 32))


@pytest.mark.usefixtures("hessen")
def test_holiday_name_in_hessen():
    assert holiday_name(dt.date(2027, 5, 27)) == "Fronleichnam"
    assert holiday_name(dt.date(2026, 10, 3)) == "Tag der Deutschen Einheit"
    assert holiday_name(dt.date(2026, 10, 31)) is None
    assert holiday_name(dt.date(*MONDAY)) is None


# --- normal weekly hours ------------------------------------------------------------------------


@pytest.mark.usefixtures("hessen")
def test_open_during_weekday_hours():
    schedule = hours()
    opening = is_open([schedule], at(*MONDAY, 10))
    assert opening is not None
    assert opening.start == at(*MONDAY, 8, 30)
    assert opening.end == at(*MONDAY, 12, 30)
    assert opening.schedule is schedule


@pytest.mark.usefixtures("hessen")
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(*MONDAY, 8, 29, 59), False),
        (at(*MONDAY, 8, 30), True),
        (at(*MONDAY, 12, 29, 59), True),
        (at(*MONDAY, 12, 30), False),
        (at(*MONDAY, 14), False),
        (at(*WEDNESDAY, 10), False),
        (at(2026, 7, 10, 10), True),  # Friday
        (at(2026, 7, 11, 10), False),  # Saturday
    ],
)
def test_open_from_opening_time_until_just_before_closing_time(moment, expected):
    assert (is_open([hours()], moment) is not None) is expected


@pytest.mark.usefixtures("hessen")
def test_the_covering_opening_of_several_schedules_is_returned():
    morning = hours(weekdays=["MO"], opens=(8, 0), closes=(12, 0))
    afternoon = hours(weekdays=["MO"], opens=(13, 0), closes=(16, 0))
    assert is_open([morning, afternoon], at(*MONDAY, 14)).schedule is afternoon
    assert is_open([morning, afternoon], at(*MONDAY, 12, 30)) is None


# --- public holidays ----------------------------------------------------------------------------


@pytest.mark.usefixtures("hessen")
def test_closed_on_corpus_christi_in_hessen():
    thursday = hours(weekdays=["TH"], opens=(9, 0), closes=(12, 0))
    assert is_open([thursday], at(2027, 5, 27, 10)) is None
    assert is_open([thursday], at(2027, 5, 20, 10)) is not None  # the Thursday before


@pytest.mark.usefixtures("hessen")
def test_reformation_day_is_a_working_day_in_hessen():
    saturday = hours(weekdays=["SA"], opens=(9, 0), closes=(12, 0))
    assert is_open([saturday], at(2026, 10, 31, 10)) is not None


@pytest.mark.usefixtures("hessen")
def test_closed_on_german_unity_day():
    saturday = hours(weekdays=["SA"], opens=(9, 0), closes=(12, 0))
    assert is_open([saturday], at(2026, 10, 3, 10)) is None
    assert is_open([saturday], at(2026, 10, 10, 10)) is not None


@pytest.mark.usefixtures("hessen")
def test_holidays_close_phone_hours_too():
    phone = hours(weekdays=["TH"], opens=(9, 0), closes=(12, 0), kind="phone")
    assert is_open([phone], at(2027, 5, 27, 10), kinds={"phone"}) is None
    assert is_open([phone], at(2027, 5, 20, 10), kinds={"phone"}) is not None


def test_holiday_state_comes_from_the_settings(settings):
    wednesday = hours(weekdays=["WE"], opens=(9, 0), closes=(12, 0))
    epiphany = at(2027, 1, 6, 10)
    settings.LOTSE_HOLIDAY_STATE = "BY"
    assert holiday_name(epiphany.date()) == "Heilige Drei Könige"
    assert is_open([wednesday], epiphany) is None
    settings.LOTSE_HOLIDAY_STATE = "HE"
    assert holiday_name(epiphany.date()) is None
    assert is_open([wednesday], epiphany) is not None


def test_holiday_state_defaults_to_hessen_when_not_configured(settings):
    del settings.LOTSE_HOLIDAY_STATE
    assert holiday_name(dt.date(2027, 5, 27)) == "Fronleichnam"
    assert holiday_name(dt.date(2027, 1, 6)) is None


# --- validity -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("hessen")
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2026, 7, 6), False),  # Monday before valid_from
        ((2026, 7, 13), True),
        ((2026, 7, 20), True),  # the last day of validity
        ((2026, 7, 27), False),  # after valid_to
    ],
)
def test_validity_dates(day, expected):
    schedule = hours(weekdays=["MO"], valid_from=dt.date(2026, 7, 8), valid_to=dt.date(2026, 7, 20))
    assert (is_open([schedule], at(*day, 10)) is not None) is expected


# --- every few weeks and monthly ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 7, 6), False),  # in the anchor week, but before valid_from
        (dt.date(2026, 7, 9), True),  # Thursday of the anchor week
        (dt.date(2026, 7, 13), False),
        (dt.date(2026, 7, 16), False),
        (dt.date(2026, 7, 20), True),
        (dt.date(2026, 7, 23), True),
        (dt.date(2026, 7, 27), False),
        (dt.date(2026, 8, 3), True),
        (dt.date(2026, 12, 28), False),  # 25 weeks after the anchor week
        (dt.date(2027, 1, 4), True),  # 26 weeks: the count runs on across the year end
    ],
)
def test_every_two_weeks_counts_from_the_week_of_valid_from(day, expected):
    # valid_from is a Wednesday: the weeks are counted from the Monday of that week.
    schedule = hours(weekdays=["MO", "TH"], interval=2, valid_from=dt.date(2026, 7, 8))
    assert occurs_on(schedule, day) is expected


@pytest.mark.usefixtures("hessen")
def test_every_two_weeks_is_open_only_in_the_counted_weeks():
    schedule = hours(weekdays=["MO"], interval=2, valid_from=dt.date(2026, 7, 6))
    assert is_open([schedule], at(2026, 7, 6, 10)) is not None
    assert is_open([schedule], at(2026, 7, 13, 10)) is None
    assert is_open([schedule], at(2026, 7, 20, 10)) is not None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 7, 1), True),
        (dt.date(2026, 7, 8), False),
        (dt.date(2026, 7, 29), False),
        (dt.date(2026, 8, 5), True),
        (dt.date(2026, 9, 2), True),
        (dt.date(2026, 9, 9), False),
    ],
)
def test_monthly_first_wednesday(day, expected):
    schedule = hours(weekdays=["WE"], frequency="monthly", week_of_month=1)
    assert occurs_on(schedule, day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 7, 31), True),  # fifth Friday of July
        (dt.date(2026, 7, 24), False),
        (dt.date(2026, 2, 27), True),  # fourth and last Friday of February
        (dt.date(2026, 2, 20), False),
        (dt.date(2026, 4, 24), True),
        (dt.date(2026, 4, 17), False),
    ],
)
def test_monthly_last_friday(day, expected):
    schedule = hours(weekdays=["FR"], frequency="monthly", week_of_month=-1)
    assert occurs_on(schedule, day) is expected


def test_monthly_fourth_friday_is_not_the_fifth():
    schedule = hours(weekdays=["FR"], frequency="monthly", week_of_month=4)
    assert occurs_on(schedule, dt.date(2026, 7, 24)) is True
    assert occurs_on(schedule, dt.date(2026, 7, 31)) is False


@pytest.mark.usefixtures("hessen")
def test_monthly_hours_are_open_on_their_day_only():
    schedule = hours(weekdays=["WE"], frequency="monthly", week_of_month=1, opens=(9, 0))
    assert is_open([schedule], at(2026, 7, 1, 10)) is not None
    assert is_open([schedule], at(2026, 7, 8, 10)) is None


# --- time zones ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("hessen")
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Summer, CEST = UTC+2: 08:30 in Berlin is 06:30 UTC.
        (at(2026, 7, 6, 6, 30, tz=UTC), True),
        (at(2026, 7, 6, 6, 29, tz=UTC), False),
        (at(2026, 7, 6, 10, 29, tz=UTC), True),
        (at(2026, 7, 6, 10, 30, tz=UTC), False),
        # Winter, CET = UTC+1: 08:30 in Berlin is 07:30 UTC.
        (at(2026, 1, 12, 7, 30, tz=UTC), True),
        (at(2026, 1, 12, 6, 30, tz=UTC), False),
        (at(2026, 1, 12, 11, 29, tz=UTC), True),
        (at(2026, 1, 12, 11, 30, tz=UTC), False),
    ],
)
def test_utc_moments_are_read_in_berlin_time(moment, expected):
    assert (is_open([hours()], moment) is not None) is expected


@pytest.mark.usefixtures("hessen")
def test_utc_late_sunday_is_already_monday_in_berlin():
    night = hours(weekdays=["MO"], opens=(1, 0), closes=(3, 0), kind="phone")
    sunday_evening_utc = at(2026, 7, 5, 23, 30, tz=UTC)  # Monday 01:30 in Berlin
    assert is_open([night], sunday_evening_utc, kinds={"phone"}) is not None


@pytest.mark.usefixtures("hessen")
def test_next_opening_across_the_start_of_summer_time():
    # Clocks go forward on Sunday 29 March 2026.
    friday_afternoon = at(2026, 3, 27, 12, 0, tz=UTC)  # 13:00 CET, after closing
    opening = next_opening([hours()], friday_afternoon)
    assert opening.start == at(2026, 3, 30, 8, 30)
    assert opening.start == at(2026, 3, 30, 6, 30, tz=UTC)
    assert opening.start.utcoffset() == dt.timedelta(hours=2)


@pytest.mark.usefixtures("hessen")
def test_next_opening_across_the_end_of_summer_time():
    # Clocks go back on Sunday 25 October 2026.
    friday_afternoon = at(2026, 10, 23, 12, 0, tz=UTC)
    opening = next_opening([hours()], friday_afternoon)
    assert opening.start == at(2026, 10, 26, 7, 30, tz=UTC)
    assert opening.start.utcoffset() == dt.timedelta(hours=1)


# --- which kinds count as open ------------------------------------------------------------------


@pytest.mark.usefixtures("hessen")
def test_phone_hours_do_not_count_as_open_by_default():
    phone = hours(kind="phone")
    moment = at(*MONDAY, 10)
    assert is_open([phone], moment) is None
    assert is_open([phone], moment, kinds={"phone"}).schedule is phone
    assert next_opening([phone], moment) is None
    assert next_opening([phone], moment, kinds={"phone"}).start == at(2026, 7, 7, 8, 30)


@pytest.mark.usefixtures("hessen")
def test_mobile_hours_count_as_open():
    mobile = hours(kind="mobile")
    assert is_open([mobile], at(*MONDAY, 10)) is not None


@pytest.mark.usefixtures("hessen")
@pytest.mark.parametrize("kind", ["video", "appointment", "phone"])
def test_remote_kinds_are_not_open_on_site(kind):
    assert is_open([hours(kind=kind)], at(*MONDAY, 10)) is None


# --- next opening -------------------------------------------------------------------------------


@pytest.mark.usefixtures("hessen")
def test_next_opening_later_the_same_day():
    afternoon = hours(weekdays=["MO"], opens=(14, 0), closes=(16, 0))
    opening = next_opening([hours(), afternoon], at(*MONDAY, 10))
    assert opening.start == at(*MONDAY, 14)
    assert opening.schedule is afternoon


@pytest.mark.usefixtures("hessen")
def test_next_opening_is_the_following_one_while_open():
    assert next_opening([hours()], at(*MONDAY, 8, 30)).start == at(2026, 7, 7, 8, 30)
    assert next_opening([hours()], at(*MONDAY, 8, 29)).start == at(*MONDAY, 8, 30)


@pytest.mark.usefixtures("hessen")
def test_next_opening_skips_the_weekend():
    assert next_opening([hours()], at(2026, 7, 10, 13)).start == at(2026, 7, 13, 8, 30)


@pytest.mark.usefixtures("hessen")
def test_next_opening_skips_holidays_and_the_weekend():
    # Easter 2027: Good Friday 26 March, weekend, Easter Monday 29 March.
    opening = next_opening([hours()], at(2027, 3, 25, 10))
    assert opening.start == at(2027, 3, 30, 8, 30)


@pytest.mark.usefixtures("hessen")
def test_next_opening_skips_corpus_christi():
    thursday_friday = hours(weekdays=["TH", "FR"])
    opening = next_opening([thursday_friday], at(2027, 5, 26, 18))
    assert opening.start == at(2027, 5, 28, 8, 30)


@pytest.mark.usefixtures("hessen")
def test_next_opening_respects_validity_and_monthly_rules():
    first_wednesday = hours(weekdays=["WE"], frequency="monthly", week_of_month=1)
    assert next_opening([first_wednesday], at(2026, 7, 2, 10)).start == at(2026, 8, 5, 8, 30)
    starts_later = hours(weekdays=["MO"], valid_from=dt.date(2026, 9, 1))
    assert next_opening([starts_later], at(*MONDAY, 10)).start == at(2026, 9, 7, 8, 30)
    ended = hours(weekdays=["MO"], valid_to=dt.date(2026, 7, 1))
    assert next_opening([ended], at(*MONDAY, 10)) is None


@pytest.mark.usefixtures("hessen")
def test_no_schedules_means_no_opening():
    assert next_opening([], at(*MONDAY, 10)) is None
    assert is_open([], at(*MONDAY, 10)) is None


@pytest.mark.usefixtures("hessen")
def test_appointments_without_times_have_no_next_opening():
    appointment = OpeningHours(kind="appointment")
    assert next_opening([appointment], at(*MONDAY, 10), kinds={"appointment"}) is None
    assert is_open([appointment], at(*MONDAY, 10), kinds={"appointment"}) is None


# --- compact text -------------------------------------------------------------------------------

TYPICAL_WEEK = [
    hours(),
    hours(weekdays=["TH"], opens=(14, 0), closes=(17, 0)),
]


def test_format_compact_in_german():
    with translation.override("de"):
        assert format_compact(TYPICAL_WEEK) == "Mo, Di, Fr 08:30–12:30 · Do 14:00–17:00"


def test_format_compact_in_english():
    with translation.override("en"):
        assert format_compact(TYPICAL_WEEK) == "Mon, Tue, Fri 08:30–12:30 · Thu 14:00–17:00"


def test_format_compact_does_not_depend_on_schedule_order():
    with translation.override("en"):
        assert format_compact(list(reversed(TYPICAL_WEEK))) == format_compact(TYPICAL_WEEK)


@pytest.mark.parametrize(
    ("weekdays", "text"),
    [
        (["MO", "TU", "WE", "TH", "FR"], "Mon–Fri 09:00–12:00"),
        (["MO", "TU", "WE", "FR"], "Mon–Wed, Fri 09:00–12:00"),
        (["MO", "TU"], "Mon, Tue 09:00–12:00"),
        (["MO", "WE", "FR"], "Mon, Wed, Fri 09:00–12:00"),
        (["WE", "TH", "FR", "SA", "SU"], "Wed–Sun 09:00–12:00"),
        (["MO", "TU", "TH", "FR", "SA"], "Mon, Tue, Thu–Sat 09:00–12:00"),
    ],
)
def test_format_compact_collapses_runs_of_three_or_more_days(weekdays, text):
    with translation.override("en"):
        assert format_compact([hours(weekdays=weekdays, opens=(9, 0), closes=(12, 0))]) == text


def test_format_compact_collapses_in_german():
    with translation.override("de"):
        week = hours(weekdays=["MO", "TU", "WE", "TH", "FR"], opens=(9, 0), closes=(12, 0))
        assert format_compact([week]) == "Mo–Fr 09:00–12:00"


def test_format_compact_two_ranges_on_one_day():
    schedules = [
        hours(weekdays=["MO", "TU"], opens=(8, 30), closes=(12, 30)),
        hours(weekdays=["MO"], opens=(14, 0), closes=(16, 0)),
    ]
    with translation.override("en"):
        assert format_compact(schedules) == "Mon 08:30–12:30, 14:00–16:00 · Tue 08:30–12:30"


def test_format_compact_groups_days_with_the_same_two_ranges():
    schedules = [
        hours(weekdays=["MO", "TU", "WE"], opens=(14, 0), closes=(16, 0)),
        hours(weekdays=["MO", "TU", "WE"], opens=(8, 0), closes=(12, 0)),
        hours(weekdays=["TH"], opens=(8, 0), closes=(12, 0)),
    ]
    with translation.override("en"):
        assert format_compact(schedules) == "Mon–Wed 08:00–12:00, 14:00–16:00 · Thu 08:00–12:00"


def test_format_compact_leaves_out_monthly_and_fortnightly_hours():
    schedules = [
        hours(weekdays=["MO"]),
        hours(weekdays=["WE"], frequency="monthly", week_of_month=1),
        hours(weekdays=["TH"], interval=2, valid_from=dt.date(2026, 7, 6)),
        OpeningHours(kind="appointment", weekdays=["FR"]),
    ]
    with translation.override("en"):
        assert format_compact(schedules) == "Mon 08:30–12:30"
    assert format_compact([]) == ""


# --- describe() ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (
            hours(weekdays=["MO", "TU", "WE", "TH", "FR"], opens=(9, 0), closes=(12, 0)),
            "Mon–Fri 09:00–12:00",
        ),
        (
            hours(
                weekdays=["WE"], opens=(9, 0), closes=(11, 0), frequency="monthly", week_of_month=1
            ),
            "every first Wed of the month, 09:00–11:00",
        ),
        (
            hours(
                weekdays=["FR"],
                opens=(14, 0),
                closes=(16, 0),
                frequency="monthly",
                week_of_month=-1,
            ),
            "every last Fri of the month, 14:00–16:00",
        ),
        (
            hours(weekdays=["TU"], opens=(10, 0), closes=(12, 0), interval=2),
            "every 2 weeks: Tue 10:00–12:00",
        ),
        (OpeningHours(kind="appointment"), "by appointment"),
        (OpeningHours(kind="appointment", weekdays=["TU", "TH"]), "Tue, Thu, by appointment"),
        (
            hours(weekdays=["MO"], valid_from=dt.date(2026, 7, 1), valid_to=dt.date(2026, 7, 31)),
            "Mon 08:30–12:30 (from 07/01/2026 to 07/31/2026)",
        ),
        (
            hours(weekdays=["MO"], valid_from=dt.date(2026, 7, 1)),
            "Mon 08:30–12:30 (from 07/01/2026)",
        ),
        (
            hours(weekdays=["MO"], valid_to=dt.date(2026, 7, 31)),
            "Mon 08:30–12:30 (until 07/31/2026)",
        ),
        (
            hours(
                weekdays=["TU"],
                opens=(10, 0),
                closes=(12, 0),
                interval=2,
                valid_from=dt.date(2026, 9, 1),
            ),
            "every 2 weeks: Tue 10:00–12:00 (from 09/01/2026)",
        ),
        (
            OpeningHours(kind="appointment", valid_to=dt.date(2026, 12, 31)),
            "by appointment (until 12/31/2026)",
        ),
    ],
)
def test_describe_in_english(schedule, text):
    with translation.override("en"):
        assert describe(schedule) == text


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (
            hours(
                weekdays=["WE"], opens=(9, 0), closes=(11, 0), frequency="monthly", week_of_month=1
            ),
            "jeden ersten Mi im Monat, 09:00–11:00",
        ),
        (
            hours(weekdays=["TU"], opens=(10, 0), closes=(12, 0), interval=2),
            "alle 2 Wochen: Di 10:00–12:00",
        ),
        (OpeningHours(kind="appointment", weekdays=["TU"]), "Di, nach Vereinbarung"),
        (
            hours(weekdays=["MO"], valid_from=dt.date(2026, 7, 1), valid_to=dt.date(2026, 7, 31)),
            "Mo 08:30–12:30 (vom 01.07.2026 bis 31.07.2026)",
        ),
    ],
)
def test_describe_in_german(schedule, text):
    with translation.override("de"):
        assert describe(schedule) == text


def test_opening_hours_str_is_the_description():
    schedule = hours(weekdays=["MO"])
    with translation.override("en"):
        assert str(schedule) == "Mon 08:30–12:30"


# --- grouping for display -----------------------------------------------------------------------


@pytest.mark.django_db
def test_group_by_location_keeps_the_given_order_and_splits_by_kind():
    town_hall, bus_stop, unused = factories.LocationFactory.create_batch(3)
    schedules = [
        hours(
            weekdays=["MO", "TU", "WE", "TH", "FR"],
            opens=(9, 0),
            closes=(12, 0),
            location=town_hall,
        ),
        hours(
            weekdays=["WE"],
            opens=(14, 0),
            closes=(16, 0),
            frequency="monthly",
            week_of_month=1,
            location=town_hall,
        ),
        hours(
            weekdays=["TH"],
            opens=(14, 0),
            closes=(16, 0),
            kind="mobile",
            location=bus_stop,
            note="Beratungsbus am Marktplatz",
        ),
        hours(weekdays=["MO"], kind="phone"),
    ]
    with translation.override("en"):
        grouped = group_by_location([bus_stop, town_hall, unused], schedules)

    assert [location for location, _groups in grouped] == [bus_stop, town_hall, unused]
    (bus_group,) = grouped[0][1]
    assert (bus_group.kind, bus_group.label) == ("mobile", "Mobile consultation hours")
    assert bus_group.compact == "Thu 14:00–16:00"
    assert bus_group.others == []
    assert bus_group.notes == ["Beratungsbus am Marktplatz"]

    (hall_group,) = grouped[1][1]
    assert (hall_group.kind, hall_group.label) == ("in_person", "Opening hours")
    assert hall_group.compact == "Mon–Fri 09:00–12:00"
    assert hall_group.others == ["every first Wed of the month, 14:00–16:00"]
    assert hall_group.notes == []

    assert grouped[2][1] == []


@pytest.mark.django_db
def test_group_by_location_orders_kinds_and_keeps_dated_hours_out_of_the_compact_line():
    place = factories.LocationFactory()
    schedules = [
        hours(weekdays=["FR"], kind="mobile", location=place, note="b"),
        hours(weekdays=["MO"], location=place, note="a"),
        hours(weekdays=["TU"], location=place, valid_to=dt.date(2026, 12, 31), note="a"),
    ]
    with translation.override("en"):
        (_location, groups) = group_by_location([place], schedules)[0]
    assert [g.kind for g in groups] == ["in_person", "mobile"]
    assert groups[0].compact == "Mon 08:30–12:30"
    assert groups[0].others == ["Tue 08:30–12:30 (until 12/31/2026)"]
    assert groups[0].notes == ["a"]


@pytest.mark.django_db
def test_remote_groups_hold_only_hours_without_a_place():
    place = factories.LocationFactory()
    schedules = [
        hours(weekdays=["MO"], location=place),
        hours(
            weekdays=["TH"],
            opens=(14, 0),
            closes=(16, 0),
            kind="video",
            valid_from=dt.date(2026, 9, 1),
        ),
        hours(weekdays=["MO", "TU"], opens=(9, 0), closes=(11, 0), kind="phone", note="Hotline"),
        OpeningHours(kind="appointment"),
    ]
    with translation.override("en"):
        groups = remote_groups(schedules)
    assert [g.kind for g in groups] == ["appointment", "phone", "video"]
    appointment, phone, video = groups
    assert (appointment.label, appointment.compact, appointment.others) == (
        "By appointment",
        "",
        ["by appointment"],
    )
    assert (phone.label, phone.compact, phone.others, phone.notes) == (
        "Phone hours",
        "Mon, Tue 09:00–11:00",
        [],
        ["Hotline"],
    )
    assert (video.compact, video.others) == ("", ["Thu 14:00–16:00 (from 09/01/2026)"])


def test_remote_groups_of_nothing():
    assert remote_groups([]) == []
    assert remote_groups([hours(location_id=7)]) == []


def test_describe_orders_weekdays_of_the_week_whatever_the_input_order():
    schedule = OpeningHours(
        kind="in_person", weekdays=["FR", "MO"], opens_at=dt.time(9), closes_at=dt.time(12)
    )
    schedule.weekdays = ["FR", "MO"]  # as built by hand, not cleaned by the field
    with translation.override("en"):
        assert describe(schedule) == "Mon, Fri 09:00–12:00"
