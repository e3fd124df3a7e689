"""The calendar as iCalendar (RFC 5545), for importing into Outlook and other agendas.

Each occurrence is one VEVENT with a UID that stays the same across exports (so importing
again updates instead of doubling), local times with the VTIMEZONE they need, DTSTAMP,
SUMMARY and a DESCRIPTION with the people of today's roster. Deadlines and milestones are
moments (no end, shown as free time); meetings have their duration.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from commands.remind.agenda import Entry
from commands.remind.texts import section_ref
from commands.roles import role_label

PRODID = "-//Infobot//Herinneringen informatiebeveiliging//NL"
UID_DOMAIN = "infobot.herinneringen"
CATEGORIES = {"meeting": "Overleg", "deadline": "Deadline", "milestone": "Mijlpaal"}


def export_ics(entries: list[Entry], now: datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Informatiebeveiliging: overleggen en deadlines")
    for entry in entries:
        calendar.add_component(_event(entry, now))
    if entries:  # a VTIMEZONE covering just the exported years keeps the file small
        years = [e.occurrence.day.year for e in entries]
        calendar.add_missing_timezones(date(min(years), 1, 1), date(max(years) + 1, 1, 1))
    return calendar.to_ical()


def uid(entry: Entry) -> str:
    return f"{entry.occurrence.item.id}-{entry.occurrence.day.isoformat()}@{UID_DOMAIN}"


def _event(entry: Entry, now: datetime) -> icalendar.Event:
    occurrence, item = entry.occurrence, entry.occurrence.item
    event = icalendar.Event()
    event.add("uid", uid(entry))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", occurrence.due)
    if item.duration:
        event.add("dtend", occurrence.due + item.duration)
    else:
        event.add("transp", "TRANSPARENT")  # a deadline does not block the agenda
    event.add("summary", item.title)
    event.add("description", _description(entry))
    event.add("categories", [CATEGORIES[item.kind]])
    return event


def _description(entry: Entry) -> str:
    item = entry.occurrence.item
    people = ", ".join(f"{r.member.name} ({role_label(r.role)})" for r in entry.audience.recipients) or "niemand uit het rooster"
    lines = [item.purpose, f"Meenemen / doen: {item.bring}" if item.bring else "", f"Wie: {people}"]
    lines.append(f"Beleid: {section_ref(item)} strategisch informatiebeveiligingsbeleid")
    reminders = ", ".join(f"{p.reminder.moment:%d-%m %H:%M}" for p in entry.reminders)
    lines.append(f"Herinneringen via de chatbot: {reminders}")
    return "\n".join(line for line in lines if line)
