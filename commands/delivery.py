"""Delivering the outbox through whatever chat platform the adapter provides.

Each row is claimed before sending (so two processes never send the same row), sent, and
marked sent with the platform's receipt. A failed send is retried with backoff; after the
last attempt the row is marked failed and the people in `report_failure_to` are told.
A process that dies mid-send leaves a claim that expires, so the row is sent later: at
least once, and at most twice only if the process died between sending and marking.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy import and_, or_, update
from sqlmodel import col, select

from commands.context import Context
from commands.messages import Fields, Message
from commands.outbox import send_direct
from commands.text import escape, mention
from storage.outbox import FAILED, PENDING, SENDING, SENT, WITHDRAWN, OutboxMessage

log = logging.getLogger(__name__)

Receipt = dict[str, str]
BACKOFF_SECONDS = (10, 30, 60, 120, 300)
CLAIM_SECONDS = 300
WAIT_FOR_TARGET_SECONDS = 5


class DeliveryFailed(Exception):
    """Sending failed; `permanent` when retrying cannot help (e.g. the user does not exist)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Sender(Protocol):
    """What an adapter must offer to deliver messages to people and rooms."""

    def send_direct(self, user_id: str, message: Message) -> Receipt: ...
    def create_room(self, name: str, members: list[str], message: Message) -> Receipt: ...
    def post(self, channel: str, message: Message) -> Receipt: ...
    def update(self, receipt: Receipt, message: Message) -> Receipt: ...
    def invite(self, channel: str, members: list[str]) -> Receipt: ...


class _NotYet(Exception):
    """The message this one refers to has not been delivered yet."""


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(ctx: Context, sender: Sender, limit: int = 100) -> DeliveryReport:
    """Send every outbox message that is due; safe to run in several processes at once.

    Each row is claimed just before it is sent, not the whole round up front: with Slack
    slow or rate limiting, the claims further down a long round would expire while they
    wait, and another process would send those rows as well. It also means a database
    outage mid-round leaves at most one row claimed (and sent after the claim expires).
    """
    report = DeliveryReport()
    for row_id in _due_rows(ctx, limit):
        if _claim(ctx, row_id):
            _deliver_one(ctx, sender, row_id, report)
    return report


def pending_count(ctx: Context) -> int:
    with ctx.db.session() as session:
        return len(session.exec(select(OutboxMessage.id).where(col(OutboxMessage.status).in_([PENDING, SENDING]))).all())


def _due_condition(now):  # noqa: ANN001, ANN202 - SQL expression
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.not_before <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_until < now),
    )


def _due_rows(ctx: Context, limit: int) -> list[int]:
    with ctx.db.reading() as session:
        return list(session.exec(
            select(OutboxMessage.id).where(_due_condition(ctx.now())).order_by(OutboxMessage.id).limit(limit)
        ).all())


def _claim(ctx: Context, row_id: int) -> bool:
    """Claim one row for sending; False when it is no longer due (another process took or sent it)."""
    now = ctx.now()
    with ctx.db.session() as session:
        result = session.exec(  # type: ignore[call-overload]
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, _due_condition(now))
            .values(status=SENDING, claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        )
        return result.rowcount == 1



@dataclass(frozen=True)
class _Work:
    """What to send for one claimed row, read before sending so no transaction is open
    while the chat platform is called (that could take seconds, with its retries)."""

    kind: str
    recipient: str
    message: Message
    target: Receipt | None  # for "post" and "update": where the referenced message went
    members: tuple[str, ...] = ()  # for "room" and "invite"


def _deliver_one(ctx: Context, sender: Sender, row_id: int, report: DeliveryReport) -> None:
    with ctx.db.session() as session:
        row = session.get(OutboxMessage, row_id)
        assert row is not None
        try:
            message = Message.from_dict(row.payload["message"])
            members = tuple(row.payload.get("members", ()))
            work = _Work(row.kind, row.recipient, message, _target(session, row), members)
        except _NotYet:
            _postpone(row, ctx)
            return
        except DeliveryFailed as error:
            _record_failure(session, ctx, row, error, report)
            return
    try:
        receipt, failure = _send(sender, work), None
    except DeliveryFailed as error:
        receipt, failure = None, error
    except Exception as error:  # noqa: BLE001 - an adapter bug must not stop the other rows
        log.exception("delivery of outbox row %s crashed", row_id)
        receipt, failure = None, DeliveryFailed(type(error).__name__)
    with ctx.db.session() as session:
        row = session.get(OutboxMessage, row_id)
        assert row is not None
        if failure:
            _record_failure(session, ctx, row, failure, report)
        else:
            row.status, row.receipt, row.sent_at, row.last_error, row.claimed_until = SENT, receipt, ctx.now(), None, None
            report.sent += 1
        session.add(row)


def _postpone(row: OutboxMessage, ctx: Context) -> None:
    row.status, row.claimed_until = PENDING, None
    row.not_before = ctx.now() + timedelta(seconds=WAIT_FOR_TARGET_SECONDS)


def _target(session, row: OutboxMessage) -> Receipt | None:  # noqa: ANN001
    """The receipt of the message a post or update refers to (by its outbox key)."""
    if row.kind in ("direct", "room"):
        return None
    target = session.exec(select(OutboxMessage).where(OutboxMessage.key == row.recipient)).first()
    if target is None or target.status in (FAILED, WITHDRAWN):
        raise DeliveryFailed(f"het bericht waar dit naar verwijst ({row.recipient}) bestaat niet", permanent=True)
    if target.status != SENT or not target.receipt:
        raise _NotYet
    return target.receipt


def _send(sender: Sender, work: _Work) -> Receipt:
    if work.kind == "direct":
        return sender.send_direct(work.recipient, work.message)
    if work.kind == "room":
        return sender.create_room(work.recipient, list(work.members), work.message)
    assert work.target is not None
    if work.kind == "post":
        return sender.post(work.target["channel"], work.message)
    if work.kind == "update":
        return sender.update(work.target, work.message)
    if work.kind == "invite":
        return sender.invite(work.target["channel"], list(work.members))
    raise DeliveryFailed(f"onbekend soort bericht '{work.kind}'", permanent=True)


def _record_failure(session, ctx: Context, row: OutboxMessage, error: DeliveryFailed, report: DeliveryReport) -> None:  # noqa: ANN001
    row.attempts += 1
    row.claimed_until = None
    row.last_error = error.reason[:500]
    max_attempts = int(row.payload.get("max_attempts", len(BACKOFF_SECONDS)))
    if error.permanent or row.attempts >= max_attempts:
        row.status = FAILED
        report.failed += 1
        log.warning("outbox row %s (%s) failed for good: %s", row.id, row.key, error.reason)
        _tell_about_failure(session, ctx, row, Message.from_dict(row.payload["message"]))
    else:
        delay = BACKOFF_SECONDS[min(row.attempts, len(BACKOFF_SECONDS)) - 1]
        row.status, row.not_before = PENDING, ctx.now() + timedelta(seconds=delay)
        report.retrying += 1


def _tell_about_failure(session, ctx: Context, row: OutboxMessage, message: Message) -> None:  # noqa: ANN001
    target = mention(row.recipient) if row.kind == "direct" else escape(row.recipient)
    notice = Message(
        text=f"⚠️ Bericht niet afgeleverd aan {target}",
        title="⚠️ Bericht niet afgeleverd",
        blocks=[
            f"Het bericht _{message.text}_ kon na {row.attempts} poging(en) niet worden afgeleverd.",
            Fields((("Aan", target), ("Reden", escape(row.last_error or "onbekend")))),
            "Neem zelf contact op met de ontvanger, bijvoorbeeld telefonisch.",
        ],
    )
    for person in row.report_failure_to:
        if person != row.recipient:
            send_direct(session, f"{row.key}:undelivered:{person}", person, notice, ctx.now())
