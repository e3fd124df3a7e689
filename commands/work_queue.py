"""The work queue: a web process acknowledges a request and queues its work; worker processes
(`python -m bot worker`) claim it, do it and delete it.

This keeps the acknowledgements fast under load: the work after an acknowledgement (answering,
filing, routing, Slack calls) no longer shares an interpreter with the requests coming in.
Claims are leases: work claimed by a worker that died is claimed again when its lease runs
out; work that failed that way `MAX_ATTEMPTS` times is dropped, with an error in the log.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, delete, func, or_, select

from commands.context import Context
from storage.work_queue import QueuedWork

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # a worker that holds work longer than this is taken to have died
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Work:
    id: int
    handler: str
    body: str
    content_type: str


@dataclass(frozen=True)
class Backlog:
    waiting: int
    oldest: datetime | None  # when the longest-waiting work was queued


class QueueWriter:
    """Queues work for many request threads with one transaction per batch (a group commit).

    Each request thread waits until its work is committed, but the threads
    no longer fight over the database: on SQLite each would take the one write lock in turn and
    the losers would sleep in SQLite's busy handler (p99 in the hundreds of milliseconds at 50
    concurrent requests, measured). `put` gives up after `patience` seconds when its work has
    not gone into a batch yet, so the caller can do the work itself instead: never both.
    """

    def __init__(self, ctx: Context, *, batch: int = 100, patience: float = 2.0) -> None:
        self.ctx, self.batch, self.patience = ctx, batch, patience
        self._waiting: queue.Queue[_Put] = queue.Queue()
        self._thread = threading.Thread(target=self._write, name="work-queue-writer", daemon=True)
        self._started = threading.Lock()

    def put(self, handler: str, body: str, content_type: str) -> bool:
        """True once the work is committed; False when it was not queued (database down or too slow)."""
        self._start_once()
        put = _Put({"handler": handler, "body": body, "content_type": content_type, "queued_at": self.ctx.now(), "attempts": 0})
        self._waiting.put(put)
        if not put.done.wait(self.patience) and put.give_up():
            return False
        put.done.wait()  # it is being written: the commit decides
        return put.committed

    def _start_once(self) -> None:
        with self._started:
            if not self._thread.is_alive():
                self._thread.start()

    def _write(self) -> None:
        while True:
            puts = [self._waiting.get()]
            while len(puts) < self.batch:
                try:
                    puts.append(self._waiting.get_nowait())
                except queue.Empty:
                    break
            batch = [put for put in puts if put.take()]
            if batch:
                self._commit(batch)

    def _commit(self, batch: list[_Put]) -> None:
        try:
            with self.ctx.db.session() as session:
                session.execute(insert(QueuedWork), [put.row for put in batch])  # one statement, many rows
            committed = True
        except Exception:  # noqa: BLE001 - the callers do the work themselves
            log.warning("could not queue %s piece(s) of work", len(batch), exc_info=log.isEnabledFor(logging.DEBUG))
            committed = False
        for put in batch:
            put.committed = committed
            put.done.set()


@dataclass
class _Put:
    row: dict[str, Any]  # the QueuedWork columns
    done: threading.Event = field(default_factory=threading.Event)
    committed: bool = False
    state: str = "waiting"  # -> "writing" (taken into a batch) or "abandoned" (the caller gave up)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        with self.lock:
            if self.state == "waiting":
                self.state = "writing"
            return self.state == "writing"

    def give_up(self) -> bool:
        with self.lock:
            if self.state == "waiting":
                self.state = "abandoned"
            return self.state == "abandoned"


def claim(ctx: Context, limit: int) -> list[Work]:
    """Claim up to `limit` pieces of work, oldest first, for one lease."""
    if limit <= 0 or not _anything_to_claim(ctx):
        return []
    now = ctx.now()
    with ctx.db.session() as session:
        rows = session.exec(
            select(QueuedWork).where(_claimable(now)).order_by(col(QueuedWork.id)).limit(limit)
            .with_for_update(skip_locked=True)  # PostgreSQL: workers never wait for each other
        ).all()
        claimed = []
        for row in rows:
            if row.attempts >= MAX_ATTEMPTS:
                log.error("dropped queued work %s (%s): it was started %s times and never finished", row.id, row.handler, row.attempts)
                session.delete(row)
                continue
            row.claimed_until, row.attempts = now + LEASE, row.attempts + 1
            session.add(row)
            claimed.append(Work(row.id, row.handler, row.body, row.content_type))  # type: ignore[arg-type]
        return claimed


def finish(ctx: Context, work: Work) -> None:
    with ctx.db.session() as session:
        session.exec(delete(QueuedWork).where(col(QueuedWork.id) == work.id))  # type: ignore[call-overload]


def backlog(ctx: Context) -> Backlog:
    with ctx.db.reading() as session:
        waiting, oldest = session.exec(select(func.count(), func.min(QueuedWork.queued_at))).one()
    return Backlog(waiting, oldest)


def _anything_to_claim(ctx: Context) -> bool:
    """A read first, so idle workers polling never take SQLite's write lock."""
    with ctx.db.reading() as session:
        return session.exec(select(QueuedWork.id).where(_claimable(ctx.now())).limit(1)).first() is not None


def _claimable(now: datetime):  # noqa: ANN202 - SQL expression
    return or_(col(QueuedWork.claimed_until).is_(None), col(QueuedWork.claimed_until) < now)
