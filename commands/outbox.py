"""Putting messages for other people in the outbox, inside the caller's transaction.

Keys make enqueueing idempotent: a retried request, a double click or a second scheduler
run that enqueues the same key again adds nothing, so nobody gets a message twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from commands.messages import Message
from storage.outbox import PENDING, WITHDRAWN, OutboxMessage


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    recipient: str,
    message: Message,
    now: datetime,
    not_before: datetime | None = None,
    report_failure_to: Iterable[str] = (),
    extra: dict | None = None,
) -> bool:
    """Add a message unless one with this key exists; True when added."""
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.key == key)).first() is not None:
        return False
    payload = {"message": message.to_dict(), **(extra or {})}
    row = OutboxMessage(
        key=key,
        kind=kind,
        recipient=recipient,
        payload=payload,
        not_before=not_before or now,
        report_failure_to=list(dict.fromkeys(report_failure_to)),
        created_at=now,
    )
    try:
        with session.begin_nested():  # another process may add the same key at the same moment
            session.add(row)
    except IntegrityError:
        return False
    return True


def send_direct(session: Session, key: str, user_id: str, message: Message, now: datetime, **options) -> bool:
    """A direct message to one person."""
    return enqueue(session, key=key, kind="direct", recipient=user_id, message=message, now=now, **options)


def create_room(
    session: Session, key: str, name: str, members: list[str], message: Message, now: datetime, **options
) -> bool:
    """A private channel with these members and `message` pinned in it."""
    return enqueue(
        session, key=key, kind="room", recipient=name, message=message, now=now, extra={"members": members}, **options
    )


def post_in_room(session: Session, key: str, room_key: str, message: Message, now: datetime, **options) -> bool:
    """A message in the room created under `room_key`."""
    return enqueue(session, key=key, kind="post", recipient=room_key, message=message, now=now, **options)


def replace_message(session: Session, key: str, original_key: str, message: Message, now: datetime) -> bool:
    """Replace an earlier message (e.g. remove buttons once a page is acknowledged)."""
    return enqueue(session, key=key, kind="update", recipient=original_key, message=message, now=now)


def invite_to_room(session: Session, key: str, room_key: str, members: list[str], now: datetime) -> bool:
    """Add people to the room created under `room_key` (e.g. a deputy paged later)."""
    return enqueue(
        session, key=key, kind="invite", recipient=room_key, message=Message(text="uitnodiging"), now=now,
        extra={"members": members},
    )


def withdraw(session: Session, key: str) -> bool:
    """Take back a message that is not being sent yet; False when it is underway, sent or unknown.

    Lets a use case guarantee that, e.g., a page enqueued just before the person acknowledged
    is never sent. A message already underway cannot be stopped; replace it instead.
    """
    result = session.exec(  # type: ignore[call-overload]
        update(OutboxMessage).where(OutboxMessage.key == key, OutboxMessage.status == PENDING).values(status=WITHDRAWN)
    )
    return result.rowcount == 1


def messages_with_prefix(session: Session, key_prefix: str) -> list[OutboxMessage]:
    """Outbox rows whose key starts with `key_prefix`, oldest first (their status and receipts)."""
    return list(session.exec(
        select(OutboxMessage).where(col(OutboxMessage.key).startswith(key_prefix, autoescape=True)).order_by(OutboxMessage.id)
    ))


def receipt(session: Session, key: str) -> dict | None:
    """Where a delivered message ended up (channel, ts), or None if not delivered yet."""
    row = session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    return row.receipt if row else None
