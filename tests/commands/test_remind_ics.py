"""The iCalendar export: valid, with a VTIMEZONE, stable UIDs, DTSTAMP, summary and description."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from commands.remind.agenda import agenda, listed_occurrences
from commands.remind.ics import export_ics
from commands.remind.loader import load_calendar
from storage.people import Member

AMS = ZoneInfo("Europe/Amsterdam")
MEMBERS = [
    Member("U01CISO", "Sanne de Vries", ("ciso",)),
    Member("U01MGRB", "Els Janssen", ("afdelingsmanager",), "Burgerzaken"),
    Member("U01DSPOB", "Ahmet Yilmaz", ("dspo",), "Burgerzaken"),
]


def export(first: date, last: date, now: datetime) -> icalendar.Calendar:
    calendar = load_calendar()
    entries = agenda(calendar, MEMBERS, listed_occurrences(calendar, first, last, AMS))
    return icalendar.Calendar.from_ical(export_ics(entries, now))


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_every_occurrence_is_an_event_with_local_times_and_its_timezone() -> None:
    exported = export(date(2027, 1, 1), date(2027, 12, 31), datetime(2026, 11, 30, 8, tzinfo=UTC))
    assert exported["VERSION"] == "2.0" and exported["PRODID"]
    [timezone] = exported.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Amsterdam"
    found = events(exported)
    assert len(found) == 14
    overleg = found["iv-privacy-overleg-2027-02-09@infobot.herinneringen"]
    assert overleg.to_ical().decode().count("DTSTART;TZID=Europe/Amsterdam:20270209T100000") == 1
    assert overleg.decoded("DTSTART") == datetime(2027, 2, 9, 10, tzinfo=AMS)
    assert overleg.decoded("DTEND") - overleg.decoded("DTSTART") == timedelta(minutes=90)
    assert overleg.decoded("DTSTAMP") == datetime(2026, 11, 30, 8, tzinfo=UTC)
    assert str(overleg["SUMMARY"]) == "Informatieveiligheid- en privacyoverleg"
    description = str(overleg["DESCRIPTION"])
    assert "Sanne de Vries (CISO)" in description and "Ahmet Yilmaz (DSPO)" in description and "§7.3" in description


def test_summer_time_events_keep_their_local_hour() -> None:
    found = events(export(date(2027, 4, 1), date(2027, 4, 30), datetime(2026, 11, 30, 8, tzinfo=UTC)))
    deadline = found["ensia-deelrapportage-2027-04-01@infobot.herinneringen"]
    assert deadline.decoded("DTSTART").astimezone(UTC) == datetime(2027, 4, 1, 15, tzinfo=UTC)  # 17:00 CEST
    assert "DTEND" not in deadline and deadline["TRANSP"] == "TRANSPARENT"


def test_uids_are_the_same_in_every_export_so_outlook_updates_instead_of_doubling() -> None:
    first = export(date(2027, 1, 1), date(2027, 6, 30), datetime(2026, 11, 30, 8, tzinfo=UTC))
    again = export(date(2027, 2, 1), date(2027, 12, 31), datetime(2027, 1, 15, 8, tzinfo=UTC))
    shared = set(events(first)) & set(events(again))
    assert "ensia-presentaties-2027-04-20@infobot.herinneringen" in shared
    assert all(events(first)[uid].decoded("DTSTART") == events(again)[uid].decoded("DTSTART") for uid in shared)
    assert len(set(events(again))) == len(events(again))
