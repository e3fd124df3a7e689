"""The work queue: work is claimed oldest first, once per lease, retried when a worker died,
dropped after too many attempts, and deleted (with the personal data it carries) when done."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest

from commands import work_queue
from commands.context import Context
from storage.db import DatabaseUnavailable
from tests.support.clock import FakeClock

FORM = "application/x-www-form-urlencoded"


def _queue(ctx: Context, *bodies: str) -> None:
    writer = work_queue.QueueWriter(ctx)
    for body in bodies:
        assert writer.put("run_slash_meld", body, FORM)


def test_work_is_claimed_oldest_first_and_only_once(ctx: Context) -> None:
    _queue(ctx, "text=een", "text=twee", "text=drie")
    first = work_queue.claim(ctx, 2)
    assert [w.body for w in first] == ["text=een", "text=twee"]
    assert (first[0].handler, first[0].content_type) == ("run_slash_meld", FORM)
    assert [w.body for w in work_queue.claim(ctx, 5)] == ["text=drie"]
    assert work_queue.claim(ctx, 5) == []


def test_finished_work_is_gone(ctx: Context) -> None:
    _queue(ctx, "text=persoonsgegevens van een melder")
    [work] = work_queue.claim(ctx, 1)
    work_queue.finish(ctx, work)
    assert work_queue.backlog(ctx).waiting == 0


def test_work_of_a_worker_that_died_is_claimed_again_after_its_lease(ctx: Context, clock: FakeClock) -> None:
    _queue(ctx, "text=een")
    [claimed] = work_queue.claim(ctx, 1)  # ... and the worker dies
    clock.advance(seconds=work_queue.LEASE.total_seconds() - 1)
    assert work_queue.claim(ctx, 1) == []
    clock.advance(seconds=2)
    [again] = work_queue.claim(ctx, 1)
    assert again.id == claimed.id


def test_work_that_never_finishes_is_dropped_after_the_last_attempt(ctx: Context, clock: FakeClock) -> None:
    _queue(ctx, "text=kills every worker")
    for _ in range(work_queue.MAX_ATTEMPTS):
        assert len(work_queue.claim(ctx, 1)) == 1
        clock.advance(seconds=work_queue.LEASE.total_seconds() + 1)
    assert work_queue.claim(ctx, 1) == []
    assert work_queue.backlog(ctx).waiting == 0


def test_backlog_tells_how_much_waits_and_since_when(ctx: Context, clock: FakeClock) -> None:
    assert work_queue.backlog(ctx) == work_queue.Backlog(0, None)
    first = clock()
    _queue(ctx, "text=een")
    clock.advance(seconds=30)
    _queue(ctx, "text=twee")
    assert work_queue.backlog(ctx) == work_queue.Backlog(2, first)


def test_text_is_kept_verbatim(ctx: Context) -> None:
    body = "text=" + "🔥 <!channel> '; DROP TABLE report; -- \u202e" * 1000
    _queue(ctx, body)
    [work] = work_queue.claim(ctx, 1)
    assert work.body == body


def test_many_threads_queue_at_once_in_few_transactions(ctx: Context) -> None:
    writer = work_queue.QueueWriter(ctx)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda n: writer.put("run_slash_wie", f"text=vraag {n}", FORM), range(200)))
    assert all(results)
    assert sorted(w.body for w in work_queue.claim(ctx, 500)) == sorted(f"text=vraag {n}" for n in range(200))


def test_when_the_database_is_down_the_caller_is_told_to_do_the_work_itself(
    ctx: Context, monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = work_queue.QueueWriter(ctx)
    with monkeypatch.context() as down:
        down.setattr(ctx.db, "session", _unavailable)
        assert writer.put("run_slash_meld", "text=een", FORM) is False
    assert writer.put("run_slash_meld", "text=twee", FORM) is True  # recovers without a restart
    assert [w.body for w in work_queue.claim(ctx, 5)] == ["text=twee"]


def test_work_not_yet_written_when_patience_runs_out_is_never_written(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller then does the work itself; writing it as well would do it twice."""
    writer = work_queue.QueueWriter(ctx, patience=0.2)
    release = threading.Event()
    real_session = ctx.db.session

    @contextmanager
    def slow_session() -> Iterator[Any]:  # a database that takes its time (a lock held elsewhere)
        release.wait(10)
        with real_session() as session:
            yield session

    monkeypatch.setattr(ctx.db, "session", slow_session)
    first = ThreadPoolExecutor(1).submit(writer.put, "run_slash_meld", "text=in de batch", FORM)
    time.sleep(0.05)  # the first batch is being written, slowly
    assert writer.put("run_slash_meld", "text=te laat", FORM) is False  # not in a batch yet: given up
    release.set()
    assert first.result(timeout=15) is True  # it was being written when its patience ran out: the commit decided
    time.sleep(0.1)  # the writer's next round sees only abandoned work
    monkeypatch.setattr(ctx.db, "session", real_session)
    assert [w.body for w in work_queue.claim(ctx, 5)] == ["text=in de batch"]


@contextmanager
def _unavailable() -> Iterator[Any]:
    raise DatabaseUnavailable("ConnectionRefused")
    yield
