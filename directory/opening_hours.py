"""When is an offer open? Pure functions over schedule objects, honouring public holidays.

The functions take any objects with the fields of `lotse.directory.models.OpeningHours`
(kind, location, weekdays, opens_at, closes_at, frequency, interval, week_of_month,
valid_from, valid_to, note), so they work on prefetched rows without further queries.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from lotse.conf import lotse_settings

from .fields import WEEKDAY_CODES

IN_PERSON, MOBILE, APPOINTMENT, PHONE, VIDEO = (
    "in_person",
    "mobile",
    "appointment",
    "phone",
    "video",
)
#: Kinds that mean "you can walk in now".
ON_SITE = frozenset({IN_PERSON, MOBILE})

WEEKDAY_ABBREVIATIONS = (
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
)
ORDINALS = {
    1: pgettext_lazy("every … weekday of the month", "first"),
    2: pgettext_lazy("every … weekday of the month", "second"),
    3: pgettext_lazy("every … weekday of the month", "third"),
    4: pgettext_lazy("every … weekday of the month", "fourth"),
    -1: pgettext_lazy("every … weekday of the month", "last"),
}


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=64)
def _holidays(state, year):
    return holidays.country_holidays("DE", subdiv=state or None, years=year, language="de")


def holiday_name(day):
    """The name of the public holiday on `day` in the configured state, or None."""
    return _holidays(lotse_settings.LOTSE_HOLIDAY_STATE, day.year).get(day)


def occurs_on(schedule, day):
    """Does the schedule apply on this calendar day (ignoring holidays)?"""
    if WEEKDAY_CODES[day.weekday()] not in (schedule.weekdays or []):
        return False
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    if schedule.frequency == "monthly":
        if schedule.week_of_month == -1:
            return (day + dt.timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == schedule.week_of_month
    interval = schedule.interval or 1
    if interval > 1 and schedule.valid_from:
        start_week = schedule.valid_from - dt.timedelta(days=schedule.valid_from.weekday())
        this_week = day - dt.timedelta(days=day.weekday())
        return ((this_week - start_week).days // 7) % interval == 0
    return True


@dataclass(frozen=True)
class Opening:
    """One concrete occurrence of a schedule."""

    start: dt.datetime
    end: dt.datetime
    schedule: object = field(compare=False)


def openings_on(schedules, day, kinds=ON_SITE):
    """Concrete openings on one day, earliest first; none on public holidays."""
    if holiday_name(day):
        return []
    zone = local_zone()
    found = [
        Opening(
            dt.datetime.combine(day, s.opens_at, tzinfo=zone),
            dt.datetime.combine(day, s.closes_at, tzinfo=zone),
            s,
        )
        for s in schedules
        if s.kind in kinds and s.opens_at and s.closes_at and occurs_on(s, day)
    ]
    return sorted(found, key=lambda o: (o.start, o.end))


def is_open(schedules, at, kinds=ON_SITE):
    """The opening covering moment `at` (an aware datetime), or None if closed."""
    local = at.astimezone(local_zone())
    for opening in openings_on(schedules, local.date(), kinds):
        if opening.start <= local < opening.end:
            return opening
    return None


def next_opening(schedules, after, kinds=ON_SITE, horizon_days=400):
    """The first opening that starts after `after`, looking up to `horizon_days` ahead."""
    local = after.astimezone(local_zone())
    timed = [s for s in schedules if s.kind in kinds and s.opens_at and s.weekdays]
    if not timed:
        return None
    for offset in range(horizon_days + 1):
        day = local.date() + dt.timedelta(days=offset)
        for opening in openings_on(timed, day, kinds):
            if opening.start > local:
                return opening
    return None


def _time(value):
    return value.strftime("%H:%M")


def _range(schedule):
    return f"{_time(schedule.opens_at)}–{_time(schedule.closes_at)}"


def _day_list(indexes):
    """["Mo", "Di", "Mi", "Do", "Fr"] → "Mo–Fr"; runs of three or more days collapse."""
    parts = []
    for _key, run in groupby(enumerate(indexes), key=lambda pair: pair[1] - pair[0]):
        days = [index for _position, index in run]
        if len(days) >= 3:
            parts.append(f"{WEEKDAY_ABBREVIATIONS[days[0]]}–{WEEKDAY_ABBREVIATIONS[days[-1]]}")
        else:
            parts.extend(str(WEEKDAY_ABBREVIATIONS[d]) for d in days)
    return ", ".join(parts)


def _is_plain_weekly(schedule):
    return (
        schedule.frequency != "monthly"
        and (schedule.interval or 1) == 1
        and schedule.opens_at is not None
        and schedule.closes_at is not None
    )


def format_compact(schedules):
    """Plain weekly hours in one line: "Mo, Di, Fr 08:30–12:30 · Do 14:00–17:00".

    Days with identical hours share one entry; other schedules are left to `describe()`.
    """
    per_day = {}
    for s in schedules:
        if not _is_plain_weekly(s):
            continue
        for code in s.weekdays:
            per_day.setdefault(WEEKDAY_CODES.index(code), set()).add((s.opens_at, s.closes_at))
    groups = {}
    for day in sorted(per_day):
        ranges = tuple(sorted(per_day[day]))
        groups.setdefault(ranges, []).append(day)
    entries = sorted(groups.items(), key=lambda item: item[1][0])
    return " · ".join(
        "{} {}".format(
            _day_list(days),
            ", ".join(f"{_time(opens)}–{_time(closes)}" for opens, closes in ranges),
        )
        for ranges, days in entries
    )


def _validity(schedule):
    def fmt(day):
        return formats.date_format(day, "SHORT_DATE_FORMAT")

    if schedule.valid_from and schedule.valid_to:
        return _("from %(start)s to %(end)s") % {
            "start": fmt(schedule.valid_from),
            "end": fmt(schedule.valid_to),
        }
    if schedule.valid_from:
        return _("from %(start)s") % {"start": fmt(schedule.valid_from)}
    if schedule.valid_to:
        return _("until %(end)s") % {"end": fmt(schedule.valid_to)}
    return ""


def describe(schedule):
    """One schedule as a short German (or English) phrase."""
    if schedule.opens_at is None:
        text = _("by appointment")
        if schedule.weekdays:
            text = f"{_day_list(sorted(WEEKDAY_CODES.index(c) for c in schedule.weekdays))}, {text}"
    else:
        days = _day_list(sorted(WEEKDAY_CODES.index(c) for c in schedule.weekdays))
        text = f"{days} {_range(schedule)}"
        if schedule.frequency == "monthly" and schedule.week_of_month:
            text = _("every %(ordinal)s %(days)s of the month, %(hours)s") % {
                "ordinal": ORDINALS.get(schedule.week_of_month, ""),
                "days": days,
                "hours": _range(schedule),
            }
        elif (schedule.interval or 1) > 1:
            text = _("every %(weeks)s weeks: %(days)s %(hours)s") % {
                "weeks": schedule.interval,
                "days": days,
                "hours": _range(schedule),
            }
    validity = _validity(schedule)
    return f"{text} ({validity})" if validity else text


@dataclass
class HoursGroup:
    """Schedules of one kind at one place, ready for display."""

    kind: str
    label: str
    compact: str
    others: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def _groups(schedules):
    from .models import OpeningHours

    labels = dict(OpeningHours.Kind.choices)
    order = [k for k, _label in OpeningHours.Kind.choices]
    result = []
    for kind in order:
        of_kind = [s for s in schedules if s.kind == kind]
        if not of_kind:
            continue
        plain = [s for s in of_kind if _is_plain_weekly(s) and not s.valid_from and not s.valid_to]
        result.append(
            HoursGroup(
                kind=kind,
                label=str(labels[kind]),
                compact=format_compact(plain),
                others=[describe(s) for s in of_kind if s not in plain],
                notes=sorted({s.note for s in of_kind if s.note}),
            )
        )
    return result


def group_by_location(locations, schedules):
    """[(location, [HoursGroup, …]), …] for the places of an offer, in the given order."""
    return [
        (location, _groups([s for s in schedules if s.location_id == location.pk]))
        for location in locations
    ]


def remote_groups(schedules):
    """Hours not tied to a place: phone, video and appointments without a location."""
    return _groups([s for s in schedules if s.location_id is None])


def too_many(locations):
    """[(row index, message)] for the first row over each limit (the offer's first), or [].

    `locations` has the place of each opening-hours row of one offer (None for hours not at a
    place). An offer has at most `LOTSE_MAX_OPENING_HOURS_PER_OFFER` rows and at most
    `LOTSE_MAX_OPENING_HOURS_PER_PLACE` at one place: thousands made its page take seconds. The
    admin form, the partner API and `import_hsds` all ask here.
    """
    per_offer = lotse_settings.LOTSE_MAX_OPENING_HOURS_PER_OFFER
    per_place = lotse_settings.LOTSE_MAX_OPENING_HOURS_PER_PLACE
    locations = list(locations)
    problems = []
    if len(locations) > per_offer:
        problems.append(
            (
                per_offer,
                _("An offer can have at most %(limit)d opening hours (here: %(count)d).")
                % {"limit": per_offer, "count": len(locations)},
            )
        )
    counts = {}
    for location in locations:
        if location is not None:
            counts[location] = counts.get(location, 0) + 1
    seen = {}
    for index, location in enumerate(locations):
        if location is None:
            continue
        seen[location] = seen.get(location, 0) + 1
        if seen[location] == per_place + 1:
            problems.append(
                (
                    index,
                    _("At most %(limit)d opening hours per place (%(place)s: %(count)d).")
                    % {"limit": per_place, "place": location, "count": counts[location]},
                )
            )
    return problems
