"""Property tests: the reminders calendar loader either accepts a calendar the planner can use
for years without failing, or refuses it with problems in words (CalendarError), never an
exception of its own; for any text, any YAML, and the real calendar with any field changed."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.remind.loader import (
    DEFAULT_CALENDAR,
    ITEM_KEYS,
    CalendarError,
    load_calendar,
    parse_calendar,
)
from commands.remind.model import Calendar
from commands.remind.timing import last_overdue, reminders_for

ZONE = ZoneInfo("Europe/Amsterdam")
REAL = yaml.safe_load(DEFAULT_CALENDAR.read_text(encoding="utf-8"))
SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=12) | st.sampled_from(
    ["09:00", "17:00", "23:59", "24:00", "9", "dinsdag", "maandag", "ciso", "dspo", "meeting", "deadline", "-1", "2"])
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=10)
SCHEDULE_KEYS = ("months", "day", "weekday", "nth", "time", "every_years", "first_year")
PREPARATION_KEYS = ("roles", "with_role", "days_before", "bring")


def usable_or_refused(text: str) -> Calendar | None:
    """Parse; a refusal must name what is wrong, an acceptance must be usable by the planner."""
    try:
        calendar = parse_calendar(text, source="kalender.yaml")
    except CalendarError as error:
        assert error.problems and all(isinstance(p, str) and p.startswith("kalender.yaml") for p in error.problems)
        return None
    for first in (date(2027, 10, 1),):  # winter and summer time, and a leap day (2028)
        last = date(2028, 9, 30)
        for occurrence in calendar.occurrences(first, last, ZONE):
            assert occurrence.due.tzinfo is not None
            for reminder in reminders_for(occurrence, calendar.working_hours):
                assert calendar.working_hours.start <= reminder.moment.astimezone(ZONE).time() <= calendar.working_hours.end
        for item in calendar.items:
            last_overdue(item, datetime(first.year, 7, 1, tzinfo=UTC), ZONE)
    return calendar


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=500))
def test_any_text_is_a_calendar_or_a_clear_refusal(text: str) -> None:
    usable_or_refused(text)


@settings(max_examples=100, deadline=None)
@given(YAML_VALUES)
def test_any_yaml_is_a_calendar_or_a_clear_refusal(value: object) -> None:
    usable_or_refused(yaml.safe_dump(value, allow_unicode=True))


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_the_real_calendar_with_any_field_changed_is_usable_or_refused(data: st.DataObject) -> None:
    calendar = copy.deepcopy(REAL)
    where = data.draw(st.sampled_from(["item", "item", "item", "schedule", "schedule", "preparation", "defaults", "working_hours", "top"]))
    value = data.draw(YAML_VALUES)
    if where == "top":
        calendar[data.draw(st.sampled_from(["defaults", "working_hours", "items", "extra"]))] = value
    elif where in ("defaults", "working_hours"):
        keys = ["leads", "remind_at"] if where == "defaults" else ["start", "end"]
        calendar.setdefault(where, {})[data.draw(st.sampled_from(keys))] = value
    else:
        item = data.draw(st.sampled_from(calendar["items"]))
        if where == "item":
            item[data.draw(st.sampled_from(sorted(ITEM_KEYS)))] = value
        elif where == "schedule":
            item["schedule"][data.draw(st.sampled_from(SCHEDULE_KEYS))] = value
        else:
            item.setdefault("preparation", {"roles": ["dspo"], "with_role": "afdelingsmanager", "days_before": 7})
            item["preparation"][data.draw(st.sampled_from(PREPARATION_KEYS))] = value
    usable_or_refused(yaml.safe_dump(calendar, allow_unicode=True))


def test_the_real_calendar_is_usable() -> None:
    assert usable_or_refused(DEFAULT_CALENDAR.read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize("text", [
    "defaults: [14, 2]\nitems: []",
    "working_hours: altijd\nitems: []",
    "[" * 1500,
    "items: " + "[" * 1500,
    "items:\n  - " + "{a: " * 1500,
])
def test_odd_shapes_are_refused_clearly(text: str) -> None:
    with pytest.raises(CalendarError):
        parse_calendar(text)


def test_a_calendar_file_that_is_not_utf8_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_bytes("items:\n  - id: overleg\n    title: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(CalendarError) as refused:
        load_calendar(path)
    assert "UTF-8" in refused.value.problems[0]
