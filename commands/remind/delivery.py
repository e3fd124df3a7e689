"""Sending the reminders that are due: the roster of now, the delivery log and the outbox, one transaction.

Each message is claimed in the delivery log (unique per item, occurrence, lead, recipient)
and put in the outbox (with a key derived from the same four) in the same transaction, so
it is sent exactly once, however often and in however many processes this runs.
"""

from __future__ import annotations

import logging

from commands.context import Context
from commands.outbox import send_direct
from commands.remind.due import Delivery, DeliveryKey, deliveries_due
from commands.remind.loader import load_calendar
from commands.remind.model import Calendar
from commands.remind.recipients import vacancy_reporters
from commands.remind.texts import message_for
from commands.remind.timing import reminders_due
from storage.people import active_members
from storage.reminders import delivered_keys, done_marks, record_delivery

log = logging.getLogger(__name__)


def outbox_key(key: DeliveryKey) -> str:
    item, day, lead, recipient = key
    return f"remind:{item}:{day.isoformat()}:{lead}:{recipient}"


def send_due_reminders(ctx: Context, calendar: Calendar | None = None) -> list[Delivery]:
    """Put every reminder due now in the outbox, once; returns what was put there this time."""
    calendar = calendar or load_calendar()
    reminders = reminders_due(calendar, ctx.now(), ctx.options.timezone)
    if not reminders:
        return []
    occurrences = {(r.item.id, r.occurrence.day) for r in reminders}
    sent = []
    with ctx.db.session() as session:
        members = active_members(session)
        report_failure_to = [m.id for m in vacancy_reporters(members)]
        due = deliveries_due(reminders, members, delivered_keys(session, occurrences), done_marks(session, occurrences))
        for delivery in due:
            key = outbox_key(delivery.key)
            if record_delivery(session, *delivery.key, outbox_key=key, now=ctx.now()):
                send_direct(session, key, delivery.recipient.id, message_for(delivery), ctx.now(),
                            report_failure_to=report_failure_to)
                sent.append(delivery)
    if sent:
        log.info("reminders queued: %s", ", ".join(outbox_key(d.key) for d in sent))
    return sent
