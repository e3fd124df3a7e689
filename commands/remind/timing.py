"""When reminders go out, and until when a late one may still go out. Pure functions of the clock.

Rules (the calendar file explains them to its editors):
- A reminder `n` days before an item comes at `remind_at` (09:00) local time, n calendar days
  before the item's date; computed in local wall time, so 09:00 stays 09:00 across the
  switches to and from summer time.
- Only Monday to Friday: a reminder that would fall on a weekend comes on the Friday before
  (earlier, never after what it announces). A reminder always comes before its meeting or
  deadline: the morning reminder of something due at 09:00 comes the working day before.
- Grace: a reminder missed because the bot was down is still sent until the end of that
  working day (17:00), for a meeting only until the meeting starts; after that it is skipped.
- The list of who has not delivered goes out on the working day after a deliverable's deadline.
- An overdue notice (for items that ask for one) goes out at the first working-hours moment
  after the bot notices, and is due until the next occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from commands.remind.model import (
    Calendar,
    Item,
    Occurrence,
    WorkingHours,
    is_working_day,
)

PREPARATION = "voorbereiding"
MISSING_REPORT = "niet-gereed"
OVERDUE = "te-laat"
LONGEST_GRACE = timedelta(days=1)  # grace never reaches past the end of the reminder's own day
LATEST_AFTER_DUE = timedelta(days=5)  # the missing report comes at most a long weekend after the due date


def days_before(days: int) -> str:
    """The lead id of a reminder `days` before an item, e.g. '14d' (stable: part of keys and job ids)."""
    return f"{days}d"


@dataclass(frozen=True)
class Reminder:
    """One planned moment to tell an item's people something about one occurrence."""

    occurrence: Occurrence
    lead: str  # '14d', '2d', '0d', or PREPARATION, MISSING_REPORT, OVERDUE
    moment: datetime  # local, aware
    grace_until: datetime  # still sent when late, until (not including) this moment

    @property
    def item(self) -> Item:
        return self.occurrence.item

    @property
    def key(self) -> str:
        """Stable per reminder, e.g. 'iv-privacy-overleg:2027-02-09:14d'."""
        return f"{self.item.id}:{self.occurrence.day.isoformat()}:{self.lead}"

    def is_due(self, now: datetime) -> bool:
        return self.moment <= now < self.grace_until


def reminders_for(occurrence: Occurrence, hours: WorkingHours) -> list[Reminder]:
    """The reminders of one occurrence, in time order (without the now-dependent overdue notice)."""
    item, due = occurrence.item, occurrence.due
    by_moment: dict[datetime, Reminder] = {}
    for days in sorted(item.leads):  # nearest first: when two leads land on the same moment, the nearest stays
        moment = _reminder_moment(occurrence, due.date() - timedelta(days=days))
        if moment not in by_moment:
            by_moment[moment] = _reminder(occurrence, days_before(days), moment, hours)
    reminders = sorted(by_moment.values(), key=lambda r: r.moment)
    if item.preparation:
        day = due.date() - timedelta(days=item.preparation.days_before)
        reminders.append(_reminder(occurrence, PREPARATION, _reminder_moment(occurrence, day), hours))
    if item.deliverable:
        day = _next_working_day(due.date())
        reminders.append(_reminder(occurrence, MISSING_REPORT, _at(day, item.remind_at, due.tzinfo), hours))
    return sorted(reminders, key=lambda r: r.moment)


def reminders_between(calendar: Calendar, start: datetime, end: datetime, tz: tzinfo) -> list[Reminder]:
    """Every reminder with its moment in [start, end), overdue notices excluded."""
    longest_lead = max((_longest_lead(item) for item in calendar.items), default=0)
    first = start.astimezone(tz).date() - LATEST_AFTER_DUE
    last = end.astimezone(tz).date() + timedelta(days=longest_lead + 1)
    return sorted(
        (r for o in calendar.occurrences(first, last, tz) for r in reminders_for(o, calendar.working_hours)
         if start <= r.moment < end),
        key=lambda r: (r.moment, r.key),
    )


def overdue_reminders(calendar: Calendar, now: datetime, tz: tzinfo) -> list[Reminder]:
    """Overdue notices that are outstanding at `now`, each at the first working-hours moment from now on."""
    reminders = []
    for item in calendar.items:
        overdue = last_overdue(item, now, tz)
        if overdue is not None:
            moment = next_working_moment(now.astimezone(tz), item.remind_at, calendar.working_hours)
            reminders.append(Reminder(overdue, OVERDUE, moment, _end_of_working_day(moment, calendar.working_hours)))
    return reminders


def last_overdue(item: Item, now: datetime, tz: tzinfo) -> Occurrence | None:
    """The occurrence that has passed without a newer one yet, for items that want overdue notices."""
    if not item.overdue_notice:
        return None
    today = now.astimezone(tz).date()
    passed = [o for o in item.occurrences(date(today.year - item.schedule.every_years, 1, 1), today, tz) if o.due <= now]
    return passed[-1] if passed else None


def reminders_due(calendar: Calendar, now: datetime, tz: tzinfo) -> list[Reminder]:
    """What should go out at `now`: moment reached, grace not over (delivered or not: see `due`)."""
    recent = reminders_between(calendar, now - LONGEST_GRACE, now + timedelta(microseconds=1), tz)
    return [r for r in recent + overdue_reminders(calendar, now, tz) if r.is_due(now)]


def next_working_moment(moment: datetime, remind_at: time, hours: WorkingHours) -> datetime:
    """`moment` itself when it lies in working hours, else the next working day's `remind_at`."""
    if hours.contains(moment):
        return moment
    day = moment.date() if moment.time() < hours.start else moment.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return _at(day, remind_at, moment.tzinfo)


def _reminder(occurrence: Occurrence, lead: str, moment: datetime, hours: WorkingHours) -> Reminder:
    grace_until = _end_of_working_day(moment, hours)
    if occurrence.item.kind == "meeting":
        grace_until = min(grace_until, occurrence.due)
    return Reminder(occurrence, lead, moment, grace_until)


def _reminder_moment(occurrence: Occurrence, day: date) -> datetime:
    """`remind_at` on `day`, or on the working day before when `day` is a weekend or that would be too late:
    not before a meeting or deadline, or after a milestone (the morning a milestone starts is fine)."""
    due, remind_at = occurrence.due, occurrence.item.remind_at
    day = _working_day_on_or_before(day)
    moment = _at(day, remind_at, due.tzinfo)
    if moment > due or (moment == due and occurrence.item.kind != "milestone"):
        moment = _at(_working_day_on_or_before(day - timedelta(days=1)), remind_at, due.tzinfo)
    return moment


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _end_of_working_day(moment: datetime, hours: WorkingHours) -> datetime:
    return _at(moment.date(), hours.end, moment.tzinfo)


def _at(day: date, clock: time, tz: tzinfo | None) -> datetime:
    """Local wall-clock time on `day` (zoneinfo picks the right UTC offset for that date)."""
    return datetime.combine(day, clock, tzinfo=tz)


def _longest_lead(item: Item) -> int:
    return max([*item.leads, item.preparation.days_before if item.preparation else 0])
