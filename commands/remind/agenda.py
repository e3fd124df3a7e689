"""What is coming up: `/agenda` (for me), `/agenda alles` (for everyone), the App Home section,
and the occurrences with their planned reminders for the CLI and the calendar export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session

from commands.context import Actor, Context
from commands.messages import Button, Message, Result
from commands.remind.due import DoneKey, deliveries_due
from commands.remind.loader import CalendarError, load_calendar
from commands.remind.model import Calendar, Occurrence
from commands.remind.recipients import Audience, audience
from commands.remind.texts import (
    ICONS,
    done_button,
    format_day,
    format_when,
    section_ref,
)
from commands.remind.timing import PREPARATION, Reminder, last_overdue, reminders_for
from commands.roles import role_label
from commands.text import escape, mention, shorten
from storage.people import Member, active_members
from storage.reminders import done_marks

HORIZON_DAYS = 90
HOME_ITEMS = 5
EVERYONE = {"alles", "all", "iedereen"}
MINE = {"", "mij", "ik", "me"}


@dataclass(frozen=True)
class PlannedReminder:
    reminder: Reminder
    recipients: tuple[str, ...]  # user ids, from the roster of now


@dataclass(frozen=True)
class Entry:
    """One occurrence on the agenda, with the people it concerns today."""

    occurrence: Occurrence
    audience: Audience
    reminders: tuple[PlannedReminder, ...]
    preparers: tuple[str, ...] = ()  # who gets the preparation reminder
    overdue: bool = False

    def concerns(self, user_id: str) -> bool:
        return user_id in self.audience.ids or user_id in self.preparers


def listed_occurrences(calendar: Calendar, first: date, last: date, tz: tzinfo, overdue_at: datetime | None = None) -> list[Occurrence]:
    """Occurrences dated first..last; with `overdue_at`, preceded by those overdue at that moment."""
    occurrences = calendar.occurrences(first, last, tz)
    if overdue_at is None:
        return occurrences
    overdue = [o for item in calendar.items if (o := last_overdue(item, overdue_at, tz)) and o.day < first]
    return sorted(overdue, key=lambda o: o.due) + occurrences


def agenda(
    calendar: Calendar, members: list[Member], occurrences: list[Occurrence],
    done: set[DoneKey] | None = None, overdue_at: datetime | None = None,
) -> list[Entry]:
    """Each occurrence with its people and planned reminders as the roster and "Gereed" marks are now."""
    return [_entry(o, members, done or set(), calendar, overdue_at) for o in occurrences]


def _entry(occurrence: Occurrence, members: list[Member], done: set[DoneKey], calendar: Calendar, overdue_at: datetime | None) -> Entry:
    item = occurrence.item
    planned = []
    for reminder in reminders_for(occurrence, calendar.working_hours):
        deliveries = deliveries_due([reminder], members, set(), done)
        planned.append(PlannedReminder(reminder, tuple(d.recipient.id for d in deliveries if d.kind != "vacancy")))
    preparers = tuple(audience(item.preparation.roles, members).ids) if item.preparation else ()
    overdue = overdue_at is not None and item.overdue_notice and occurrence.due <= overdue_at
    return Entry(occurrence, audience(item.roles, members), tuple(planned), preparers, overdue)


def upcoming(
    ctx: Context, session: Session, calendar: Calendar, first: date, last: date, *, with_overdue: bool
) -> tuple[list[Entry], set[DoneKey]]:
    """The agenda with the roster and "Gereed" marks from the database."""
    overdue_at = ctx.now() if with_overdue else None
    occurrences = listed_occurrences(calendar, first, last, ctx.options.timezone, overdue_at)
    done = done_marks(session, {(o.item.id, o.day) for o in occurrences})
    return agenda(calendar, active_members(session), occurrences, done, overdue_at), done


def show_agenda(ctx: Context, actor: Actor, text: str) -> Result:
    choice = text.strip().lower()
    if choice not in MINE | EVERYONE:
        return Result.say(Message(text="Gebruik `/agenda` (wat eraan komt voor jou) of `/agenda alles` (voor iedereen)."))
    try:
        calendar = load_calendar()
    except CalendarError as error:
        return Result.say(_calendar_broken(error))
    entries, done = _coming(ctx, calendar)
    if choice in EVERYONE:
        return Result.say(_everyone(entries))
    return Result.say(_mine(entries, actor.user_id, done))


def agenda_home(ctx: Context, actor: Actor) -> list[Message]:
    """The App Home section: the first few items for this person (the buttons are in `/agenda`)."""
    try:
        calendar = load_calendar()
    except CalendarError as error:
        return [_calendar_broken(error)]
    entries, done = _coming(ctx, calendar)
    message = _mine(entries, actor.user_id, done, limit=HOME_ITEMS)
    message.buttons = []  # a button in App Home has no message to update with the result
    return [message]


def _coming(ctx: Context, calendar: Calendar) -> tuple[list[Entry], set[DoneKey]]:
    """The next 90 days and what is overdue, without what has already started today."""
    now = ctx.now()
    today = ctx.local(now).date()
    with ctx.db.session() as session:
        entries, done = upcoming(ctx, session, calendar, today, today + timedelta(days=HORIZON_DAYS), with_overdue=True)
    return [e for e in entries if e.overdue or e.occurrence.due >= now], done


def _mine(entries: list[Entry], user_id: str, done: set[DoneKey], limit: int | None = None) -> Message:
    mine = [e for e in entries if e.concerns(user_id)]
    lines: list[str] = []
    buttons: list[Button] = []
    for entry in mine[:limit]:
        line, button = _my_line(entry, user_id, done)
        lines.append(line)
        if button:
            buttons.append(button)
    if len(mine) > len(lines):
        lines.append(f"_… en nog {len(mine) - len(lines)}; zie `/agenda`._")
    return Message(
        text=f"📅 Jouw agenda: {len(mine)} item(s) in de komende {HORIZON_DAYS} dagen",
        title=f"📅 Jouw agenda (komende {HORIZON_DAYS} dagen)",
        blocks=["\n".join(lines) if lines else f"Voor jou staat de komende {HORIZON_DAYS} dagen niets op de agenda."],
        buttons=buttons,
        footnote="`/agenda alles` toont de agenda van iedereen. Je krijgt vooraf een herinnering in een direct bericht.",
    )


def _my_line(entry: Entry, user_id: str, done: set[DoneKey]) -> tuple[str, Button | None]:
    occurrence, item = entry.occurrence, entry.occurrence.item
    recipient = entry.audience.find(user_id)
    line = _line(entry)
    button = None
    if recipient:
        line += f" — als {role_label(recipient.role)}"
        if item.deliverable and (item.id, occurrence.day, user_id) in done:
            line += " — ✅ gereed"
        elif item.deliverable:
            line += " — nog niet gereed"
            label = shorten(f"✅ Gereed: {item.title} {occurrence.day.year}", 75)
            button = done_button(occurrence, user_id, label=label)
    if item.preparation and user_id in entry.preparers:
        preparation = next(p.reminder for p in entry.reminders if p.reminder.lead == PREPARATION)
        line += (f"\n    ↳ stem vooraf af met je {role_label(item.preparation.with_role)}; "
                 f"herinnering op {format_day(preparation.moment.date())}")
    return line, button


def _everyone(entries: list[Entry]) -> Message:
    lines = []
    for entry in entries:
        line = f"{_line(entry)}\n    {_roles_summary(entry)}"
        for vacancy in entry.audience.vacancies:
            where = f" bij {escape(vacancy.department)}" if vacancy.department else ""
            line += f"\n    ⚠️ niemand is {role_label(vacancy.role)}{where}"
        lines.append(line)
    return Message(
        text=f"📅 Agenda informatiebeveiliging: {len(entries)} item(s) in de komende {HORIZON_DAYS} dagen",
        title=f"📅 Agenda informatiebeveiliging (komende {HORIZON_DAYS} dagen)",
        blocks=["\n".join(lines) if lines else f"De komende {HORIZON_DAYS} dagen staat er niets op de agenda."],
        footnote="Data uit de kalender (knowledge/calendar.yaml); mensen uit het rooster van vandaag.",
    )


def _line(entry: Entry) -> str:
    occurrence, item = entry.occurrence, entry.occurrence.item
    if entry.overdue:
        return f"• ⚠️ *te laat, was uiterlijk {format_day(occurrence.day)}*: {escape(item.title)} ({section_ref(item)})"
    return f"• {ICONS[item.kind]} *{format_when(occurrence)}*: {escape(item.title)} ({section_ref(item)})"


def _roles_summary(entry: Entry) -> str:
    parts = []
    for role in entry.occurrence.item.roles:
        holders = [r.member.id for r in entry.audience.recipients if r.role == role]
        if len(holders) == 1:
            parts.append(f"{role_label(role)} {mention(holders[0])}")
        elif holders:
            parts.append(f"{role_label(role)} ({len(holders)})")
    return "met " + ", ".join(parts) if parts else "niemand uit het rooster"


def _calendar_broken(error: CalendarError) -> Message:
    problems = "\n".join(f"• {escape(p)}" for p in error.problems[:5])
    return Message(text=f"⚠️ De kalender kan niet worden gelezen; vraag de beheerder dit te herstellen:\n{problems}")
