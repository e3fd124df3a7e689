"""The calendar as the bot understands it: items (meetings, deadlines, milestones) and when they happen.

Only plain data and date arithmetic here; reading the YAML is in `loader`, reminder
moments are in `timing`.
"""

from __future__ import annotations

import calendar as weekdays
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Literal

from dateutil.easter import easter

Kind = Literal["meeting", "deadline", "milestone"]


@dataclass(frozen=True)
class Schedule:
    """When an item happens: in `months`, on a fixed `day` or on the `nth` `weekday`, at `at`."""

    months: tuple[int, ...]
    at: time
    day: int | None = None
    weekday: int | None = None  # 0 = Monday, as in the datetime module
    nth: int | None = None  # 1 = the first such weekday of the month, -1 = the last
    every_years: int = 1
    first_year: int | None = None

    def dates_in(self, year: int) -> list[date]:
        if self.first_year is not None and (year < self.first_year or (year - self.first_year) % self.every_years):
            return []
        return [self._date_in(year, month) for month in self.months]

    def _date_in(self, year: int, month: int) -> date:
        if self.day is not None:
            return date(year, month, self.day)
        assert self.weekday is not None and self.nth is not None
        matching = [
            week[self.weekday] for week in weekdays.Calendar().monthdatescalendar(year, month)
            if week[self.weekday].month == month
        ]
        return matching[self.nth - 1] if self.nth > 0 else matching[self.nth]


@dataclass(frozen=True)
class Preparation:
    """An extra reminder before the item: `roles` align with the `with_role` of their own department."""

    roles: tuple[str, ...]
    with_role: str
    days_before: int
    bring: str


@dataclass(frozen=True)
class Item:
    id: str
    kind: Kind
    title: str
    section: str
    roles: tuple[str, ...]
    schedule: Schedule
    leads: tuple[int, ...]  # days before; 0 = the morning itself
    remind_at: time
    purpose: str = ""
    bring: str = ""
    duration: timedelta | None = None
    deliverable: bool = False
    missing_report_to: tuple[str, ...] = ("ciso",)
    preparation: Preparation | None = None
    overdue_notice: bool = False
    overdue_text: str = ""

    def occurrences(self, first: date, last: date, tz: tzinfo) -> list[Occurrence]:
        """Every occurrence whose (local) date lies in first..last, inclusive."""
        found = []
        for year in range(first.year, last.year + 1):
            for day in self.schedule.dates_in(year):
                if first <= day <= last:
                    found.append(Occurrence(self, datetime.combine(day, self.schedule.at, tzinfo=tz)))
        return sorted(found, key=lambda o: o.due)


@dataclass(frozen=True)
class Occurrence:
    """One time an item happens; `due` is local time (aware) when it starts or is due."""

    item: Item
    due: datetime

    @property
    def day(self) -> date:
        return self.due.date()


@dataclass(frozen=True)
class WorkingHours:
    start: time
    end: time

    def contains(self, moment: datetime) -> bool:
        return is_working_day(moment.date()) and self.start <= moment.time() < self.end


@dataclass(frozen=True)
class Calendar:
    items: tuple[Item, ...]
    working_hours: WorkingHours

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    def occurrences(self, first: date, last: date, tz: tzinfo) -> list[Occurrence]:
        found = [o for item in self.items for o in item.occurrences(first, last, tz)]
        return sorted(found, key=lambda o: (o.due, o.item.id))


def is_working_day(day: date) -> bool:
    """Monday to Friday, except the public holidays of the Algemene termijnenwet."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The generally recognised holidays of the Algemene termijnenwet (art. 3), Sundays aside:
    Nieuwjaarsdag, Tweede Paasdag, Koningsdag (26 April when the 27th is a Sunday),
    5 mei, Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag."""
    easter_sunday = easter(year)
    kings_day = date(year, 4, 27) if date(year, 4, 27).weekday() != 6 else date(year, 4, 26)
    return frozenset({
        date(year, 1, 1), easter_sunday + timedelta(days=1), kings_day, date(year, 5, 5),
        easter_sunday + timedelta(days=39), easter_sunday + timedelta(days=50), date(year, 12, 25), date(year, 12, 26),
    })
