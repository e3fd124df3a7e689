"""Reminders: what was sent to whom (so nothing is sent twice) and which deliverables are done.

`ReminderDelivery` is unique per (item, occurrence, lead, recipient): the row is written in
the same transaction as the outbox message, so a second scheduler run, a second process or
a restart cannot send the same reminder again. `DeliverableDone` records a "Gereed" press.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import UniqueConstraint, false, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, and_, select

from storage.types import UTCDateTime


class ReminderDelivery(SQLModel, table=True):
    __tablename__ = "reminder_delivery"
    __table_args__ = (UniqueConstraint("item", "occurrence", "lead", "recipient", name="uq_reminder_delivery"),)

    id: int | None = Field(default=None, primary_key=True)
    item: str = Field(max_length=64)
    occurrence: date = Field(index=True)  # the occurrence's local date
    lead: str = Field(max_length=120)  # '14d', 'voorbereiding', 'niet-gereed', 'vacature:dspo@Burgerzaken', ...
    recipient: str = Field(max_length=64)
    outbox_key: str = Field(max_length=300)
    created_at: datetime = Field(sa_type=UTCDateTime)


class DeliverableDone(SQLModel, table=True):
    __tablename__ = "reminder_done"
    __table_args__ = (UniqueConstraint("item", "occurrence", "person", name="uq_reminder_done"),)

    id: int | None = Field(default=None, primary_key=True)
    item: str = Field(max_length=64)
    occurrence: date = Field(index=True)
    person: str = Field(max_length=64)
    marked_at: datetime = Field(sa_type=UTCDateTime)


Occurrences = Iterable[tuple[str, date]]  # (item id, occurrence date)


def record_delivery(session: Session, item: str, occurrence: date, lead: str, recipient: str, outbox_key: str, now: datetime) -> bool:
    """Claim this delivery; False when it was recorded before (by this or another process)."""
    if session.exec(select(ReminderDelivery.id).where(
        ReminderDelivery.item == item, ReminderDelivery.occurrence == occurrence,
        ReminderDelivery.lead == lead, ReminderDelivery.recipient == recipient,
    )).first() is not None:
        return False
    try:
        with session.begin_nested():  # another process may claim the same key at the same moment
            session.add(ReminderDelivery(item=item, occurrence=occurrence, lead=lead, recipient=recipient,
                                         outbox_key=outbox_key, created_at=now))
    except IntegrityError:
        return False
    return True


def delivered_keys(session: Session, occurrences: Occurrences) -> set[tuple[str, date, str, str]]:
    rows = session.exec(select(ReminderDelivery).where(_any_of(ReminderDelivery, occurrences))).all()
    return {(row.item, row.occurrence, row.lead, row.recipient) for row in rows}


def mark_done(session: Session, item: str, occurrence: date, person: str, now: datetime) -> bool:
    """Record that `person` delivered `item` for `occurrence`; False when it was marked before."""
    if session.exec(select(DeliverableDone.id).where(
        DeliverableDone.item == item, DeliverableDone.occurrence == occurrence, DeliverableDone.person == person,
    )).first() is not None:
        return False
    try:
        with session.begin_nested():
            session.add(DeliverableDone(item=item, occurrence=occurrence, person=person, marked_at=now))
    except IntegrityError:
        return False
    return True


def done_marks(session: Session, occurrences: Occurrences) -> set[tuple[str, date, str]]:
    rows = session.exec(select(DeliverableDone).where(_any_of(DeliverableDone, occurrences))).all()
    return {(row.item, row.occurrence, row.person) for row in rows}


def _any_of(table: type[ReminderDelivery | DeliverableDone], occurrences: Occurrences):
    pairs = set(occurrences)
    if not pairs:
        return false()
    return or_(*(and_(table.item == item, table.occurrence == day) for item, day in sorted(pairs)))
