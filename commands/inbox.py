"""Recognising a delivery from the chat platform that was already handled (retries)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import delete

from commands.context import Context
from storage.inbox import ProcessedDelivery

KEEP_FOR = timedelta(days=2)  # Slack retries within minutes; two days is plenty


def first_delivery(ctx: Context, key: str) -> bool:
    """Record `key` as handled; False when it was handled before (a retry)."""
    try:
        with ctx.db.session() as session:
            session.add(ProcessedDelivery(key=key[:200], received_at=ctx.now()))
    except IntegrityError:
        return False
    return True


def forget_old_deliveries(ctx: Context) -> None:
    with ctx.db.session() as session:
        session.exec(delete(ProcessedDelivery).where(ProcessedDelivery.received_at < ctx.now() - KEEP_FOR))  # type: ignore[call-overload]
