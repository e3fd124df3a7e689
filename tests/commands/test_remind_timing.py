"""When reminders are due: lead times in local time, working hours, grace after downtime, and both DST switches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commands.remind.loader import load_calendar, parse_calendar
from commands.remind.model import Calendar, Occurrence, is_working_day, public_holidays
from commands.remind.timing import (
    MISSING_REPORT,
    OVERDUE,
    PREPARATION,
    Reminder,
    overdue_reminders,
    reminders_due,
    reminders_for,
)

AMS = ZoneInfo("Europe/Amsterdam")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def calendar_with(schedule: str, kind: str = "meeting", extra: str = "") -> Calendar:
    return parse_calendar(f"""
items:
  - id: test
    kind: {kind}
    title: Test
    section: "7.3"
    roles: [ciso]
    schedule: {{months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], {schedule}}}
    {extra}
""")


def occurrence_on(calendar: Calendar, day: date) -> Occurrence:
    return calendar.occurrences(day, day, AMS)[0]


def moments(calendar: Calendar, day: date) -> dict[str, datetime]:
    return {r.lead: r.moment for r in reminders_for(occurrence_on(calendar, day), calendar.working_hours)}


def test_reminders_come_14_and_2_days_before_and_the_morning_itself_at_nine() -> None:
    calendar = calendar_with('day: 17, time: "10:00"')  # Wednesday 17 February 2027
    assert moments(calendar, date(2027, 2, 17)) == {
        "14d": local(2027, 2, 3, 9), "2d": local(2027, 2, 15, 9), "0d": local(2027, 2, 17, 9),
    }


def test_a_reminder_on_a_weekend_comes_on_the_friday_before() -> None:
    calendar = calendar_with('day: 15, time: "10:00"')  # Monday 15 February 2027: 14 and 2 days before are Mon and Sat
    assert moments(calendar, date(2027, 2, 15)) == {
        "14d": local(2027, 2, 1, 9), "2d": local(2027, 2, 12, 9), "0d": local(2027, 2, 15, 9),
    }


def test_two_leads_on_the_same_weekday_become_one_reminder_the_nearest() -> None:
    calendar = calendar_with('day: 14, time: "12:00"', kind="deadline")  # Sunday 14 February 2027
    # 2 days before is Friday 12th, and the morning itself (Sunday) also moves to Friday 12th
    assert moments(calendar, date(2027, 2, 14)) == {"14d": local(2027, 1, 29, 9), "0d": local(2027, 2, 12, 9)}


def test_a_reminder_is_never_at_or_after_the_meeting_it_announces() -> None:
    calendar = calendar_with('day: 17, time: "09:00"')
    assert moments(calendar, date(2027, 2, 17))["0d"] == local(2027, 2, 16, 9)


def test_a_milestone_may_be_announced_the_moment_it_starts() -> None:
    calendar = calendar_with('day: 1, time: "09:00"', kind="milestone", extra="leads: [0]")
    assert moments(calendar, date(2027, 7, 1)) == {"0d": local(2027, 7, 1, 9)}


@pytest.mark.parametrize("day,utc_hour", [(date(2027, 1, 20), 8), (date(2027, 7, 20), 7)])
def test_nine_oclock_is_local_in_winter_and_in_summer(day: date, utc_hour: int) -> None:
    morning = moments(calendar_with('day: 20, time: "10:00"'), day)["0d"]
    assert morning.astimezone(AMS).hour == 9
    assert morning.astimezone(UTC).hour == utc_hour


def test_lead_times_across_the_switch_to_summer_time_keep_nine_oclock() -> None:
    deelrapportage = occurrence_on(load_calendar(), date(2027, 4, 1))  # summer time starts Sunday 28 March 2027
    reminders = {r.lead: r.moment for r in reminders_for(deelrapportage, load_calendar().working_hours)}
    assert reminders["14d"].astimezone(UTC) == datetime(2027, 3, 18, 8, tzinfo=UTC)  # 09:00 CET
    assert reminders["2d"].astimezone(UTC) == datetime(2027, 3, 30, 7, tzinfo=UTC)  # 09:00 CEST
    assert reminders[MISSING_REPORT].astimezone(UTC) == datetime(2027, 4, 2, 7, tzinfo=UTC)


def test_lead_times_across_the_switch_to_winter_time_keep_nine_oclock() -> None:
    overleg = occurrence_on(load_calendar(), date(2027, 11, 9))  # winter time starts Sunday 31 October 2027
    reminders = {r.lead: r.moment for r in reminders_for(overleg, load_calendar().working_hours)}
    assert reminders["14d"].astimezone(UTC) == datetime(2027, 10, 26, 7, tzinfo=UTC)  # 09:00 CEST
    assert reminders[PREPARATION].astimezone(UTC) == datetime(2027, 11, 2, 8, tzinfo=UTC)  # 09:00 CET
    assert reminders["0d"].astimezone(UTC) == datetime(2027, 11, 9, 8, tzinfo=UTC)
    assert overleg.due.astimezone(UTC) == datetime(2027, 11, 9, 9, tzinfo=UTC)


def test_over_the_weekend_of_the_switch_each_reminder_is_due_within_one_working_day() -> None:
    calendar = calendar_with('day: 1, time: "10:00"')  # Monday 1 November 2027; 2 days before is Saturday 30 October
    due_at: dict[str, list[datetime]] = {}
    now = datetime(2027, 10, 29, 0, tzinfo=UTC)
    while now < datetime(2027, 11, 2, tzinfo=UTC):  # every 10 minutes over the weekend winter time starts
        for reminder in reminders_due(calendar, now, AMS):
            due_at.setdefault(reminder.lead, []).append(now)
        now += timedelta(minutes=10)
    windows = {lead: (min(times), max(times)) for lead, times in due_at.items()}
    assert windows == {
        "2d": (local(2027, 10, 29, 9), local(2027, 10, 29, 16, 50)),  # Friday, summer time
        "0d": (local(2027, 11, 1, 9), local(2027, 11, 1, 9, 50)),  # Monday, winter time, until the meeting
    }


def _deelrapportage_14d() -> Reminder:
    calendar = load_calendar()
    found = [r for r in reminders_for(occurrence_on(calendar, date(2027, 4, 1)), calendar.working_hours) if r.lead == "14d"]
    return found[0]


@pytest.mark.parametrize("now,due", [
    (local(2027, 3, 18, 8, 59), False),
    (local(2027, 3, 18, 9, 0), True),
    (local(2027, 3, 18, 11, 30), True),  # the bot was down at 09:00: sent late, the same day
    (local(2027, 3, 18, 16, 59), True),
    (local(2027, 3, 18, 17, 0), False),  # the working day is over: skipped
    (local(2027, 3, 19, 9, 0), False),
])
def test_a_late_reminder_is_sent_until_the_end_of_that_working_day(now: datetime, due: bool) -> None:
    reminder = _deelrapportage_14d()
    assert reminder.is_due(now) is due
    assert (reminder.key in [r.key for r in reminders_due(load_calendar(), now, AMS)]) is due


def test_the_morning_reminder_of_a_meeting_is_not_sent_once_the_meeting_has_started() -> None:
    calendar = load_calendar()
    overleg = occurrence_on(calendar, date(2027, 2, 9))  # 10:00
    morning = next(r for r in reminders_for(overleg, calendar.working_hours) if r.lead == "0d")
    assert morning.is_due(local(2027, 2, 9, 9, 59))
    assert not morning.is_due(local(2027, 2, 9, 10, 0))


def test_the_missing_report_comes_the_working_day_after_the_deadline() -> None:
    calendar = calendar_with('day: 2, time: "17:00"', kind="deadline", extra="deliverable: true")
    assert moments(calendar, date(2027, 4, 2))[MISSING_REPORT] == local(2027, 4, 5, 9)  # Friday -> Monday


def test_the_overdue_evaluation_is_due_at_once_in_working_hours() -> None:
    calendar = load_calendar()
    now = local(2026, 11, 30, 9, 0)  # Monday
    [notice] = overdue_reminders(calendar, now, AMS)
    assert (notice.item.id, notice.occurrence.day, notice.lead) == ("evaluatie-strategisch-beleid", date(2024, 12, 31), OVERDUE)
    assert notice.moment == now and notice.grace_until == local(2026, 11, 30, 17)
    assert notice.key in [r.key for r in reminders_due(calendar, now, AMS)]


def test_the_overdue_evaluation_waits_for_monday_morning_at_the_weekend() -> None:
    [notice] = overdue_reminders(load_calendar(), local(2026, 11, 28, 22, 0), AMS)  # Saturday evening
    assert notice.moment == local(2026, 11, 30, 9, 0)
    assert reminders_due(load_calendar(), local(2026, 11, 28, 22, 0), AMS) == []


def test_no_overdue_notice_before_the_first_evaluation_year() -> None:
    evaluation = parse_calendar("""
items:
  - id: evaluatie
    kind: deadline
    title: Evaluatie
    section: "5"
    roles: [ciso]
    overdue_notice: true
    schedule: {months: [12], day: 31, time: "17:00", every_years: 5, first_year: 2029}
""")
    assert overdue_reminders(evaluation, local(2026, 11, 30, 9, 0), AMS) == []
    assert [r.occurrence.day for r in overdue_reminders(evaluation, local(2030, 1, 2, 9, 0), AMS)] == [date(2029, 12, 31)]


def test_public_holidays_are_those_of_the_algemene_termijnenwet() -> None:
    assert public_holidays(2027) == {
        date(2027, 1, 1), date(2027, 3, 29), date(2027, 4, 27), date(2027, 5, 5),  # Tweede Paasdag, Koningsdag, 5 mei
        date(2027, 5, 6), date(2027, 5, 17), date(2027, 12, 25), date(2027, 12, 26),  # Hemelvaart, Tweede Pinksterdag
    }
    assert date(2025, 4, 26) in public_holidays(2025)  # 27 April 2025 is a Sunday: Koningsdag on Saturday the 26th
    assert is_working_day(date(2027, 3, 26))  # Goede Vrijdag is a working day
    assert not is_working_day(date(2027, 4, 27))


def test_a_reminder_on_a_public_holiday_comes_the_working_day_before() -> None:
    calendar = calendar_with('day: 7, time: "10:00"')  # Friday 7 May 2027; 2 days before is 5 mei
    assert moments(calendar, date(2027, 5, 7))["2d"] == local(2027, 5, 4, 9)


def test_the_missing_report_skips_christmas_and_the_weekend() -> None:
    calendar = calendar_with('day: 24, time: "17:00"', kind="deadline", extra="deliverable: true")
    assert moments(calendar, date(2026, 12, 24))[MISSING_REPORT] == local(2026, 12, 28, 9)  # Thu -> Mon after Christmas
