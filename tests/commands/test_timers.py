"""Timers run once when due, in the same transaction as their work, across processes and restarts."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import select

from commands.context import Context
from commands.messages import Message
from commands.outbox import send_direct
from commands.timers import cancel_timers, pending_timers, run_due_timers, set_timer
from storage.outbox import OutboxMessage


def _page(ctx: Context, session, payload: dict) -> None:  # noqa: ANN001
    send_direct(session, f"page:{payload['who']}", payload["who"], Message(text="Kom je?"), ctx.now())


HANDLERS = {"page": _page}


def _outbox_keys(ctx: Context) -> list[str]:
    with ctx.db.session() as session:
        return [row.key for row in session.exec(select(OutboxMessage))]


def test_timer_runs_when_due_and_only_once(ctx, clock) -> None:  # noqa: ANN001
    with ctx.db.session() as session:
        assert set_timer(session, ctx, "t1", "page", clock() + timedelta(minutes=5), {"who": "U01CISO"})
        assert not set_timer(session, ctx, "t1", "page", clock() + timedelta(minutes=9), {"who": "U01CISO"})
    assert run_due_timers(ctx, HANDLERS) == 0
    clock.advance(minutes=5)
    assert run_due_timers(ctx, HANDLERS) == 1
    assert run_due_timers(ctx, HANDLERS) == 0
    assert _outbox_keys(ctx) == ["page:U01CISO"]


def test_cancelled_timer_does_not_run(ctx, clock) -> None:  # noqa: ANN001
    with ctx.db.session() as session:
        set_timer(session, ctx, "crisis:1:U01CISO:round2", "page", clock(), {"who": "U01CISO"})
        set_timer(session, ctx, "crisis:1:U01CIO:round2", "page", clock(), {"who": "U01CIO"})
        assert cancel_timers(session, "crisis:1:U01CISO:") == 1
    assert run_due_timers(ctx, HANDLERS) == 1
    assert _outbox_keys(ctx) == ["page:U01CIO"]


def test_failing_timer_stays_due_and_others_still_run(ctx, clock) -> None:  # noqa: ANN001
    calls = []

    def broken(ctx: Context, session, payload: dict) -> None:  # noqa: ANN001
        calls.append(payload)
        raise RuntimeError("bug")

    with ctx.db.session() as session:
        set_timer(session, ctx, "a", "broken", clock(), {})
        set_timer(session, ctx, "b", "page", clock(), {"who": "U01CIO"})
    assert run_due_timers(ctx, {**HANDLERS, "broken": broken}) == 1
    with ctx.db.session() as session:
        assert [t.key for t in pending_timers(session)] == ["a"]  # rolled back, so retried later
    assert _outbox_keys(ctx) == ["page:U01CIO"]


def test_a_restarted_process_runs_what_was_due_while_it_was_down(ctx, clock) -> None:  # noqa: ANN001
    with ctx.db.session() as session:
        set_timer(session, ctx, "t1", "page", clock() + timedelta(minutes=5), {"who": "U01CISO"})
    clock.advance(hours=2)
    restarted = Context(type(ctx.db)(ctx.db.url), ctx.options, clock)
    assert run_due_timers(restarted, HANDLERS) == 1
    restarted.db.dispose()


def test_two_processes_never_run_a_timer_twice(ctx, clock) -> None:  # noqa: ANN001
    with ctx.db.session() as session:
        for n in range(20):
            set_timer(session, ctx, f"t{n}", "page", clock(), {"who": f"U{n:04d}"})
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(run_due_timers(ctx, HANDLERS))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 20
    assert len(_outbox_keys(ctx)) == 20
