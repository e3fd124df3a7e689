"""The incident register: reports, their timeline, who they were routed to, reference numbers.

Texts are stored verbatim (escaping happens when they are shown). An anonymous reporter is
never stored in plain form: `reporter_sealed` is encrypted and `reporter_tag` is a keyed
hash (see commands.report.sealing). State changes go through `transition`, a conditional
UPDATE, so double clicks and two handlers racing cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, UniqueConstraint, case, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.outbox import OutboxMessage
from storage.types import UTCDateTime

NEW, IN_PROGRESS, RESOLVED, REJECTED = "nieuw", "in_behandeling", "afgehandeld", "afgewezen"
OPEN_STATUSES = (NEW, IN_PROGRESS)
CLOSED_STATUSES = (RESOLVED, REJECTED)


class ReportCounter(SQLModel, table=True):
    """The last reference number handed out per year (MELD-<year>-<number>)."""

    __tablename__ = "report_counter"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_number: int = 0


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(default="", unique=True, max_length=20)
    year: int = Field(index=True)
    number: int = 0
    filing_id: str = Field(unique=True, max_length=64)  # one per filing attempt: replays and resubmits file once
    category: str = Field(max_length=32, index=True)
    severity: str = Field(max_length=16)
    status: str = Field(default=NEW, max_length=16, index=True)
    department: str | None = Field(default=None, max_length=200, index=True)
    text: str = Field(default="", sa_type=Text)
    discovered_at: datetime = Field(sa_type=UTCDateTime)
    discovered_time_known: bool = True
    personal_data: bool = False
    people_affected: int | None = None
    anonymous: bool = False
    reporter_id: str | None = Field(default=None, max_length=64, index=True)  # None when anonymous
    reporter_sealed: str | None = Field(default=None, sa_type=Text)
    reporter_tag: str | None = Field(default=None, max_length=64, index=True)
    source_link: str | None = Field(default=None, max_length=500)
    source_author: str | None = Field(default=None, max_length=64)
    handler_id: str | None = Field(default=None, max_length=64, index=True)
    ap_deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ap_reported: bool | None = None  # None: not decided yet
    ap_reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ap_reference: str | None = Field(default=None, max_length=100)
    outcome_note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(index=True, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def possible_breach(self) -> bool:
        return self.category == "datalek" or self.personal_data


class ReportEvent(SQLModel, table=True):
    """One change in a report's timeline: who, when, what."""

    __tablename__ = "report_event"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=64)  # a user id, "anonieme melder", "systeem" or "cli"
    action: str = Field(max_length=40)
    detail: str = Field(default="", sa_type=Text)


REASON_LENGTH = 200


class ReportRecipient(SQLModel, table=True):
    """Who received a report in a direct message (to update those messages after a change)."""

    __tablename__ = "report_recipient"

    report_id: int = Field(foreign_key="report.id", primary_key=True)
    user_id: str = Field(primary_key=True, max_length=64)
    reason: str = Field(max_length=REASON_LENGTH)
    routed_at: datetime = Field(sa_type=UTCDateTime)


def storable(text: str) -> str:
    """PostgreSQL text cannot hold NUL characters; everything else is kept as typed."""
    return text.replace("\x00", "\ufffd")


def next_number(session: Session, year: int) -> int:
    """Hand out the next number for `year` in the caller's transaction.

    One atomic upsert: concurrent filings queue on the counter row (PostgreSQL row lock,
    SQLite write lock) and each gets its own number; a rolled-back filing returns its number.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ReportCounter.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(year=year, last_number=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last_number": table.c.last_number + 1})
        .returning(table.c.last_number)
    )
    return int(session.execute(statement).scalar_one())


def reference_for(year: int, number: int) -> str:
    return f"MELD-{year}-{number:04d}"


def add_numbered(session: Session, report: Report) -> Report | None:
    """Number and insert `report` for its year; None when its filing id is in the register already.

    Number and row share a savepoint, so a refused duplicate gives its number back.
    """
    try:
        with session.begin_nested():
            report.number = next_number(session, report.year)
            report.reference = reference_for(report.year, report.number)
            session.add(report)
            session.flush()
    except IntegrityError:
        return None
    return report


def by_reference(session: Session, reference: str) -> Report | None:
    return session.exec(select(Report).where(Report.reference == reference)).first()


def by_filing_id(session: Session, filing_id: str) -> Report | None:
    return session.exec(select(Report).where(Report.filing_id == filing_id)).first()


def filing_ids_in(session: Session, filing_ids: Iterable[str]) -> list[str]:
    """Which of these filing ids are in the register."""
    return list(session.exec(select(Report.filing_id).where(col(Report.filing_id).in_(list(filing_ids)))).all())


def transition(
    session: Session, report: Report, allowed_from: Iterable[str], now: datetime, *also: ColumnElement[bool], **values: Any
) -> bool:
    """Change `report` only if its status is still one of `allowed_from` and `also` holds (optimistic check).

    False when someone else changed it first; `report` is refreshed either way. Texts are
    stored as given (`storable`).
    """
    values = {name: storable(value) if isinstance(value, str) else value for name, value in values.items()}
    result = session.exec(  # type: ignore[call-overload]
        update(Report)
        .where(col(Report.id) == report.id, col(Report.status).in_(list(allowed_from)), *also)
        .values(updated_at=now, **values)
    )
    session.refresh(report)
    return result.rowcount == 1


def add_event(session: Session, report: Report, at: datetime, actor: str, action: str, detail: str = "") -> ReportEvent:
    event = ReportEvent(report_id=report.id, at=at, actor=actor, action=action, detail=storable(detail))
    session.add(event)
    session.flush()
    return event


def timeline(session: Session, report: Report) -> list[ReportEvent]:
    return list(session.exec(select(ReportEvent).where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)))


def add_recipient(session: Session, report: Report, user_id: str, reason: str, at: datetime) -> bool:
    """Record that `user_id` received `report`; False when they already had."""
    if session.get(ReportRecipient, (report.id, user_id)) is not None:
        return False
    reason = reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"  # long department names
    session.add(ReportRecipient(report_id=report.id, user_id=user_id, reason=reason, routed_at=at))
    session.flush()
    return True


def recipients(session: Session, report: Report) -> list[ReportRecipient]:
    return list(session.exec(
        select(ReportRecipient).where(ReportRecipient.report_id == report.id).order_by(ReportRecipient.routed_at)
    ))


def reports_where(session: Session, *conditions: ColumnElement[bool], limit: int | None = None) -> list[Report]:
    """Reports matching `conditions`, open ones first, newest first within each group."""
    closed_last = col(Report.status).in_(CLOSED_STATUSES)
    query = select(Report).where(*conditions).order_by(closed_last, col(Report.created_at).desc(), col(Report.id).desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def counts_where(session: Session, *conditions: ColumnElement[bool]) -> tuple[int, int]:
    """(open, all) reports matching `conditions`: the count next to a list that shows only the first few."""
    open_ = func.coalesce(func.sum(case((col(Report.status).in_(OPEN_STATUSES), 1), else_=0)), 0)
    total, open_count = session.exec(select(func.count(), open_).select_from(Report).where(*conditions)).one()  # type: ignore[call-overload]
    return int(open_count), int(total)


def all_reports(session: Session) -> list[Report]:
    return list(session.exec(select(Report).order_by(Report.year, Report.number)))


def created_between(session: Session, start: datetime, end: datetime) -> list[Report]:
    return list(session.exec(
        select(Report).where(Report.created_at >= start, Report.created_at < end).order_by(Report.year, Report.number)
    ))


def closed_before(session: Session, moment: datetime) -> list[Report]:
    """Closed reports whose personal data has not been removed yet, closed before `moment`."""
    return list(session.exec(
        select(Report)
        .where(col(Report.closed_at).is_not(None), Report.closed_at < moment, col(Report.purged_at).is_(None))
        .order_by(Report.year, Report.number)
    ))


def forget_details(session: Session, report: Report, now: datetime) -> None:
    """Remove personal data from a report, its timeline and its delivered messages; keep the statistics."""
    report.text = ""
    report.reporter_id = report.reporter_sealed = report.reporter_tag = None
    report.source_link = report.source_author = report.handler_id = report.outcome_note = None
    report.people_affected = None
    report.purged_at = report.updated_at = now
    session.add(report)
    for event in session.exec(select(ReportEvent).where(ReportEvent.report_id == report.id)):
        event.actor, event.detail = "", ""
        session.add(event)
    for recipient in recipients(session, report):
        session.delete(recipient)
    removed = {"message": {"text": f"(bericht over {report.reference} verwijderd na de bewaartermijn)"}}
    about_it = col(OutboxMessage.key).startswith(f"report:{report.reference}:", autoescape=True)
    for row in session.exec(select(OutboxMessage).where(about_it)):
        row.payload = removed
        session.add(row)
