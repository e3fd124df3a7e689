"""Crises (§7.3 ICT-crisisoverleg): the crisis, its team, its timeline and its actions.

A crisis is `requested` (someone without a declaring role asked the CISO to decide),
`open` (the team is paged), `closed`, or `declined` (the CISO found it not needed).
`open_key` is set while a crisis is requested or open and is unique, so the same
declaration arriving twice (a retried request, a double click) finds the crisis it
already created instead of creating a second one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint, update
from sqlmodel import Field, Session, SQLModel, col, func, select

from storage.types import UTCDateTime

REQUESTED, OPEN, CLOSED, DECLINED = "requested", "open", "closed", "declined"

# What a member is on the team for.
REQUIRED = "required"  # holds a §7.3 seat: paged and escalated until someone covers it
DEPUTY = "deputy"  # paged because the person they stand in for did not respond
INFORMED = "informed"  # told and invited, never escalated (communicatie, FG, people added later)
INITIATOR = "initiator"  # declared the crisis without holding a seat; in the room, not paged


class Crisis(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, max_length=32)  # CRISIS-2026-0003
    status: str = Field(default=REQUESTED, index=True, max_length=10)
    description: str = Field(sa_column=Column(Text, nullable=False))  # as typed (unescaped)
    department: str | None = Field(default=None, max_length=200)
    personal_data: bool = False
    source: str | None = Field(default=None, max_length=64)  # e.g. the report it came from
    room_name: str = Field(max_length=80)
    vacancies: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    open_key: str | None = Field(default=None, unique=True, max_length=200)
    requested_by: str | None = Field(default=None, max_length=64)
    declared_by: str | None = Field(default=None, max_length=64)
    declared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=64)  # who convened or declined a request
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=64)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


SEATS_LENGTH = 300


class CrisisMember(SQLModel, table=True):
    __tablename__ = "crisis_member"
    __table_args__ = (UniqueConstraint("crisis_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    crisis_id: int = Field(foreign_key="crisis.id", index=True)
    user_id: str = Field(max_length=64)
    name: str = Field(max_length=200)  # as the roster named them then
    seats: str = Field(default="", max_length=SEATS_LENGTH)  # e.g. "CISO" or "DSPO Burgerzaken"
    kind: str = Field(max_length=10)
    deputy_id: str | None = Field(default=None, max_length=64)  # the roster's deputy when the team was formed
    added_at: datetime = Field(sa_type=UTCDateTime)
    pages: int = 0
    first_paged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_via: str | None = Field(default=None, max_length=20)
    unanswered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # escalation gave up


class CrisisEvent(SQLModel, table=True):
    """One line of the timeline. Appended, never changed."""

    __tablename__ = "crisis_event"

    id: int | None = Field(default=None, primary_key=True)
    crisis_id: int = Field(foreign_key="crisis.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=20)  # declared, page, ack, escalation, join, log, ...
    actor: str = Field(max_length=64)  # user id, or "system"
    subject: str = Field(default="", max_length=64)  # the person it is about, if any
    text: str = Field(sa_column=Column(Text, nullable=False))  # plain text (unescaped)


class CrisisAction(SQLModel, table=True):
    __tablename__ = "crisis_action"
    __table_args__ = (UniqueConstraint("crisis_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    crisis_id: int = Field(foreign_key="crisis.id", index=True)
    number: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    done_by: str | None = Field(default=None, max_length=64)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- crises ------------------------------------------------------------------------------


def by_reference(session: Session, reference: str, *, lock: bool = False) -> Crisis | None:
    query = select(Crisis).where(Crisis.reference == reference.upper())
    return session.exec(query.with_for_update() if lock else query).first()


def by_open_key(session: Session, open_key: str) -> Crisis | None:
    return session.exec(select(Crisis).where(Crisis.open_key == open_key)).first()


def active(session: Session) -> list[Crisis]:
    """Crises that are requested or open, oldest first."""
    return list(session.exec(select(Crisis).where(col(Crisis.status).in_([REQUESTED, OPEN])).order_by(Crisis.id)))


def all_crises(session: Session) -> list[Crisis]:
    return list(session.exec(select(Crisis).order_by(col(Crisis.id).desc())))


def highest_number(session: Session, year: int) -> int:
    prefix = f"CRISIS-{year}-"
    references = session.exec(select(Crisis.reference).where(col(Crisis.reference).startswith(prefix))).all()
    return max((int(r.removeprefix(prefix)) for r in references), default=0)


def move(session: Session, crisis: Crisis, expected: str, new: str, **values: Any) -> bool:
    """Change the status only if it is still `expected` (so two clicks cannot both win)."""
    result = session.exec(  # type: ignore[call-overload]
        update(Crisis).where(Crisis.id == crisis.id, Crisis.status == expected).values(status=new, **values)
    )
    if result.rowcount != 1:
        return False
    session.refresh(crisis)
    return True


# --- members -----------------------------------------------------------------------------


def members(session: Session, crisis_id: int) -> list[CrisisMember]:
    return list(session.exec(select(CrisisMember).where(CrisisMember.crisis_id == crisis_id).order_by(CrisisMember.id)))


def member(session: Session, crisis_id: int, user_id: str, *, lock: bool = False) -> CrisisMember | None:
    query = select(CrisisMember).where(CrisisMember.crisis_id == crisis_id, CrisisMember.user_id == user_id)
    return session.exec(query.with_for_update() if lock else query).first()


def acknowledge(session: Session, member_row: CrisisMember, at: datetime, via: str) -> bool:
    """Record the acknowledgement once; False when it was already recorded (a double click)."""
    result = session.exec(  # type: ignore[call-overload]
        update(CrisisMember)
        .where(CrisisMember.id == member_row.id, col(CrisisMember.acknowledged_at).is_(None))
        .values(acknowledged_at=at, acknowledged_via=via)
    )
    session.refresh(member_row)
    return result.rowcount == 1


# --- timeline and actions ----------------------------------------------------------------


def add_event(session: Session, crisis: Crisis, at: datetime, kind: str, actor: str, text: str, subject: str = "") -> CrisisEvent:
    event = CrisisEvent(crisis_id=crisis.id, at=at, kind=kind, actor=actor, subject=subject, text=text)
    session.add(event)
    session.flush()  # the id keys the room post that shows it
    return event


def events(session: Session, crisis_id: int) -> list[CrisisEvent]:
    return list(session.exec(select(CrisisEvent).where(CrisisEvent.crisis_id == crisis_id).order_by(CrisisEvent.at, CrisisEvent.id)))


def add_action(session: Session, crisis: Crisis, text: str, by: str, at: datetime) -> CrisisAction:
    number = session.exec(select(func.coalesce(func.max(CrisisAction.number), 0)).where(CrisisAction.crisis_id == crisis.id)).one() + 1
    action = CrisisAction(crisis_id=crisis.id, number=number, text=text, created_by=by, created_at=at)
    session.add(action)
    session.flush()
    return action


def actions(session: Session, crisis_id: int) -> list[CrisisAction]:
    return list(session.exec(select(CrisisAction).where(CrisisAction.crisis_id == crisis_id).order_by(CrisisAction.number)))


def action(session: Session, crisis_id: int, number: int) -> CrisisAction | None:
    return session.exec(select(CrisisAction).where(CrisisAction.crisis_id == crisis_id, CrisisAction.number == number)).first()


def finish_action(session: Session, open_action: CrisisAction, by: str, at: datetime) -> None:
    open_action.done_by, open_action.done_at = by, at
    session.add(open_action)
