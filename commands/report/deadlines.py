"""The 72-hour deadline for reporting a data breach to the Autoriteit Persoonsgegevens (AVG art. 33).

The deadline is 72 hours of wall-clock time after discovery: nights, weekends and a change
to or from summer time all count, so it is computed in UTC and only shown in local time.
Reminders are timers, cancelled once the AP decision is recorded or the report is closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from commands.context import Context
from commands.timers import cancel_timers, set_timer

AP_WINDOW = timedelta(hours=72)
REMINDER_KIND = "report.ap_deadline"
# (stage, how long before the deadline): the handler gets a day's and a working afternoon's notice.
REMINDERS = (("24u", timedelta(hours=24)), ("4u", timedelta(hours=4)), ("verlopen", timedelta(0)))

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


def when(ctx: Context, moment: datetime) -> str:
    """A moment as people say it: 'do 3 december 14:05' (the year only when it is not this year)."""
    local = ctx.local(moment)
    year = f" {local.year}" if local.year != ctx.local(ctx.now()).year else ""
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}{year} {local:%H:%M}"


def day(ctx: Context, moment: datetime) -> str:
    local = ctx.local(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def ap_deadline(discovered_at: datetime) -> datetime:
    return discovered_at + AP_WINDOW


def timer_prefix(reference: str) -> str:
    return f"report:{reference}:ap:"


def schedule_reminders(session: Session, ctx: Context, reference: str, deadline: datetime) -> None:
    """Set the reminders still ahead; for a breach discovered days ago the routed message says it all."""
    for stage, before in REMINDERS:
        due = deadline - before
        if due > ctx.now():
            set_timer(session, ctx, f"{timer_prefix(reference)}{stage}", REMINDER_KIND, due,
                      {"reference": reference, "stage": stage})


def cancel_reminders(session: Session, reference: str) -> None:
    cancel_timers(session, timer_prefix(reference))
