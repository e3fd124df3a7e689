"""Setting, cancelling and running timers (see storage.timers for why they exist)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from commands.context import Context
from storage.timers import Timer

log = logging.getLogger(__name__)

TimerHandler = Callable[[Context, Session, dict[str, Any]], None]


def set_timer(session: Session, ctx: Context, key: str, kind: str, due_at: datetime, payload: dict[str, Any] | None = None) -> bool:
    """Schedule `kind` at `due_at`; a timer with the same key is left as it is (False)."""
    if session.exec(select(Timer.id).where(Timer.key == key)).first() is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Timer(key=key, kind=kind, due_at=due_at, payload=payload or {}, created_at=ctx.now()))
    except IntegrityError:
        return False
    return True


def cancel_timers(session: Session, key_prefix: str) -> int:
    """Cancel every pending timer whose key starts with `key_prefix`."""
    result = session.exec(  # type: ignore[call-overload]
        update(Timer)
        .where(col(Timer.key).startswith(key_prefix, autoescape=True), col(Timer.done_at).is_(None), col(Timer.cancelled).is_(False))
        .values(cancelled=True)
    )
    return result.rowcount


def pending_timers(session: Session, key_prefix: str = "") -> list[Timer]:
    return list(session.exec(
        select(Timer)
        .where(col(Timer.key).startswith(key_prefix, autoescape=True), col(Timer.done_at).is_(None), col(Timer.cancelled).is_(False))
        .order_by(Timer.due_at)
    ))


def run_due_timers(ctx: Context, handlers: dict[str, TimerHandler], limit: int = 100) -> int:
    """Run every due timer once; each in its own transaction together with its work."""
    now = ctx.now()
    with ctx.db.session() as session:
        due = session.exec(
            select(Timer.id)
            .where(Timer.due_at <= now, col(Timer.done_at).is_(None), col(Timer.cancelled).is_(False))
            .order_by(Timer.due_at, Timer.id)
            .limit(limit)
        ).all()
    ran = 0
    for timer_id in due:
        try:
            ran += _run_one(ctx, handlers, timer_id)
        except Exception:  # noqa: BLE001 - one broken timer must not block the others
            log.exception("timer %s failed; it stays due and is retried", timer_id)
    return ran


def _run_one(ctx: Context, handlers: dict[str, TimerHandler], timer_id: int) -> int:
    with ctx.db.session() as session:
        claimed = session.exec(  # type: ignore[call-overload]
            update(Timer)
            .where(Timer.id == timer_id, col(Timer.done_at).is_(None), col(Timer.cancelled).is_(False))
            .values(done_at=ctx.now())
        )
        if claimed.rowcount != 1:
            return 0  # another process ran it, or it was cancelled meanwhile
        timer = session.get(Timer, timer_id)
        assert timer is not None
        handler = handlers.get(timer.kind)
        if handler is None:
            log.error("no handler for timer kind %r (%s); marked done", timer.kind, timer.key)
            return 0
        handler(ctx, session, timer.payload)
    return 1
