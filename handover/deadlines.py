"""Working-day arithmetic for handover deadlines: weekends and the state's public holidays off.

Public holidays come from `lotse.directory.opening_hours` (the `holidays` library for
`LOTSE_HOLIDAY_STATE`), so offices' opening hours and handover deadlines agree.
"""

import datetime as dt

from django.utils import timezone

from lotse.conf import lotse_settings
from lotse.directory.opening_hours import holiday_name, local_zone


def is_working_day(day):
    return day.weekday() < 5 and not holiday_name(day)


def end_of_working_days(start, days):
    """The moment the `days`-th working day after `start`'s day ends (local midnight).

    Sent on Monday with 3 days: due at the end of Thursday. Sent on a Saturday with 1 day: due
    at the end of Monday.
    """
    day = timezone.localtime(start, local_zone()).date()
    counted = 0
    while counted < max(days, 0):
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=local_zone())


def answer_days(urgency):
    if urgency == "urgent":
        return lotse_settings.LOTSE_HANDOVER_URGENT_DEADLINE_DAYS
    return lotse_settings.LOTSE_HANDOVER_DEADLINE_DAYS


def escalation_days():
    return lotse_settings.LOTSE_HANDOVER_ESCALATION_DAYS


def expiry_days():
    return lotse_settings.LOTSE_HANDOVER_EXPIRY_DAYS


def retention():
    return dt.timedelta(days=lotse_settings.LOTSE_HANDOVER_RETENTION_DAYS)
