"""What the reminders say (Dutch, short enough for a phone): what, when, who else, what to bring, §.

Every text from the calendar file passes through `escape`; people appear as mentions.
"""

from __future__ import annotations

from datetime import date, timedelta

from commands.messages import Button, Fields, Message
from commands.remind.due import Delivery
from commands.remind.model import Item, Occurrence
from commands.remind.recipients import Recipient, Vacancy
from commands.roles import DEPARTMENTAL_ROLES, role_label
from commands.text import escape, mention

DONE_ACTION = "remind.done"
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
ICONS = {"meeting": "📅", "deadline": "⏰", "milestone": "🚩"}
WHEN_LABELS = {"meeting": "Wanneer", "deadline": "Uiterlijk", "milestone": "Vanaf"}
TASK_LABELS = {"meeting": "Meenemen", "deadline": "Wat je doet", "milestone": "Wat je doet"}
MAX_MENTIONS = 6
FOOTNOTE = "`/agenda` toont wat er verder aankomt."


def format_day(day: date) -> str:
    """'dinsdag 9 februari 2027'."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def format_when(occurrence: Occurrence) -> str:
    """'dinsdag 9 februari 2027, 10:00–11:30' (end time for meetings with a duration)."""
    due = occurrence.due
    text = f"{format_day(due.date())}, {due:%H:%M}"
    if occurrence.item.duration:
        text += f"–{due + occurrence.item.duration:%H:%M}"
    return text


def days_until(today: date, day: date) -> str:
    """'vandaag', 'morgen', 'over 14 dagen'."""
    days = (day - today).days
    return "vandaag" if days == 0 else "morgen" if days == 1 else f"over {days} dagen"


def section_ref(item: Item) -> str:
    """'§5, §6.3' for section '5, 6.3'."""
    return ", ".join(f"§{escape(part.strip())}" for part in item.section.split(","))


def done_button(occurrence: Occurrence, user_id: str, label: str = "✅ Gereed") -> Button:
    """The button that marks `user_id`'s deliverable done (value: '<item>|<date>|<addressee>')."""
    value = f"{occurrence.item.id}|{occurrence.day.isoformat()}|{user_id}"
    return Button(label, action=DONE_ACTION, value=value, style="primary")


def message_for(delivery: Delivery) -> Message:
    render = {
        "reminder": _reminder,
        "preparation": _preparation,
        "missing-report": _missing_report,
        "overdue": _overdue,
        "vacancy": _vacancy,
    }[delivery.kind]
    return render(delivery)


def who(recipients: tuple[Recipient, ...]) -> str:
    """Mentions with their role (and department), cut off after a few: 'niemand anders' when empty."""
    if not recipients:
        return "niemand anders"
    shown = [f"{mention(r.member.id)} ({_role_in(r.role, r.member.department)})" for r in recipients[:MAX_MENTIONS]]
    hidden = len(recipients) - MAX_MENTIONS
    return ", ".join(shown) + (f" en {hidden} anderen" if hidden > 0 else "")


def _role_in(role: str, department: str | None) -> str:
    label = role_label(role)
    return f"{label} {escape(department)}" if department and role in DEPARTMENTAL_ROLES else label


def _reminder(delivery: Delivery) -> Message:
    occurrence, item = delivery.reminder.occurrence, delivery.reminder.item
    when = days_until(delivery.reminder.moment.date(), occurrence.day)
    title = escape(item.title)
    blocks: list[str | Fields] = [
        Fields((
            (WHEN_LABELS[item.kind], format_when(occurrence)),
            ("Jouw rol", role_label(delivery.role or "")),
            ("Wie nog meer", who(delivery.audience.others(delivery.recipient.id))),
            ("Beleid", section_ref(item)),
        )),
    ]
    if item.purpose:
        blocks.append(f"_{escape(item.purpose)}_")
    if item.bring:
        blocks.append(f"*{TASK_LABELS[item.kind]}:* {escape(item.bring)}")
    buttons = []
    if item.deliverable:
        blocks.append("Klaar? Druk op *Gereed*; dan stoppen de herinneringen hierover.")
        buttons.append(done_button(occurrence, delivery.recipient.id))
    return Message(
        text=f"{ICONS[item.kind]} {when.capitalize()}: {title} ({format_when(occurrence)})",
        title=f"{ICONS[item.kind]} {when.capitalize()}: {title}",
        blocks=blocks,
        buttons=buttons,
        footnote=f"Herinnering {_lead_words(delivery)}. {FOOTNOTE}",
    )


def _lead_words(delivery: Delivery) -> str:
    days = (delivery.reminder.occurrence.day - delivery.reminder.moment.date()).days
    return "op de dag zelf" if days == 0 else f"{days} dag{'en' if days > 1 else ''} vooraf"


def _preparation(delivery: Delivery) -> Message:
    occurrence, item = delivery.reminder.occurrence, delivery.reminder.item
    preparation = item.preparation
    assert preparation is not None
    partner_role = role_label(preparation.with_role)
    if delivery.partners:
        align = f"Stem vooraf af met {', '.join(mention(p.id) for p in delivery.partners)} ({partner_role})."
    else:
        align = f"Je afdeling heeft geen {partner_role} in het rooster; de CISO weet ervan."
    blocks: list[str | Fields] = [
        f"*{escape(item.title)}* is op *{format_when(occurrence)}*. {align}",
    ]
    if preparation.bring:
        blocks.append(escape(preparation.bring))
    blocks.append(Fields((("Beleid", section_ref(item)),)))
    return Message(
        text=f"🤝 Voorbereiden: {escape(item.title)} ({format_day(occurrence.day)})",
        title=f"🤝 Voorbereiden: {escape(item.title)}",
        blocks=blocks,
        footnote=FOOTNOTE,
    )


def _missing_report(delivery: Delivery) -> Message:
    occurrence, item = delivery.reminder.occurrence, delivery.reminder.item
    expected = len(delivery.audience.recipients)
    deadline = f"De deadline was *{format_when(occurrence)}*."
    if delivery.missing:
        lines = "\n".join(f"• {who((r,))}" for r in delivery.missing)
        title = f"📋 {escape(item.title)}: nog niet gereed"
        blocks: list[str | Fields] = [f"{deadline} Nog niet gereed gemeld ({len(delivery.missing)} van {expected}):\n{lines}"]
    else:
        title = f"✅ {escape(item.title)}: alles gereed"
        blocks = [f"{deadline} Iedereen ({expected}) heeft gereed gemeld."]
    blocks.append(Fields((("Beleid", section_ref(item)),)))
    return Message(text=title, title=title, blocks=blocks, footnote=FOOTNOTE)


def _overdue(delivery: Delivery) -> Message:
    occurrence, item = delivery.reminder.occurrence, delivery.reminder.item
    upcoming = _next_occurrence(occurrence)
    pairs = [
        ("Was uiterlijk", format_when(occurrence)),
        ("Wie nog meer", who(delivery.audience.others(delivery.recipient.id))),
        ("Beleid", section_ref(item)),
    ]
    if upcoming:
        pairs.insert(1, ("Volgende keer", format_day(upcoming.day)))
    blocks: list[str | Fields] = [Fields(tuple(pairs))]
    for text in (item.overdue_text, item.purpose):
        if text:
            blocks.append(escape(text))
    return Message(
        text=f"⚠️ Te laat: {escape(item.title)} (was uiterlijk {format_day(occurrence.day)})",
        title=f"⚠️ Te laat: {escape(item.title)}",
        blocks=blocks,
        footnote=FOOTNOTE,
    )


def _next_occurrence(occurrence: Occurrence) -> Occurrence | None:
    item, tz = occurrence.item, occurrence.due.tzinfo
    assert tz is not None
    last = date(occurrence.day.year + item.schedule.every_years, 12, 31)
    later = item.occurrences(occurrence.day + timedelta(days=1), last, tz)
    return later[0] if later else None


def _vacancy(delivery: Delivery) -> Message:
    occurrence, item = delivery.reminder.occurrence, delivery.reminder.item
    vacancy: Vacancy | None = delivery.vacancy
    assert vacancy is not None
    slot = role_label(vacancy.role) + (f" bij {escape(vacancy.department)}" if vacancy.department else "")
    return Message(
        text=f"⚠️ Niemand is {slot}: geen herinnering voor {escape(item.title)}",
        title=f"⚠️ Rol niet bezet: {slot}",
        blocks=[
            (f"Voor *{escape(item.title)}* ({format_when(occurrence)}) staat niemand als {slot} in het rooster, "
             "dus die rol krijgt geen herinnering."),
            "Werk het rooster bij (`python -m bot roster import`); wie de rol krijgt, krijgt de volgende herinnering.",
        ],
        footnote=FOOTNOTE,
    )
