"""The reminder jobs in APScheduler: persisted with stable ids and local times, replaced (not doubled) on
restart, run once when missed within grace, skipped after it. The wall clock is moved with time-machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from bot.config import Settings
from bot.reminder_jobs import JOB_STORE, PLAN_JOB_ID, add_reminder_jobs, plan
from bot.runtime import Runtime
from bot.scheduler import JOB_TABLE, ActiveScheduler
from commands.context import Context
from commands.delivery import Receipt
from commands.messages import Message
from commands.remind import loader

AMS = ZoneInfo("Europe/Amsterdam")
OVERLEG_14D = "reminder:iv-privacy-overleg:2027-02-09:14d"
OVERLEG_PEOPLE = ["U01CISO", "U01DSPOB", "U01DSPOI", "U01DSPOS", "U01FG"]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


class RecordingSender:
    """A chat platform that only records the direct messages it is given."""

    def __init__(self) -> None:
        self.direct: list[tuple[str, Message]] = []
        self._lock = threading.Lock()

    def send_direct(self, user_id: str, message: Message) -> Receipt:
        with self._lock:
            self.direct.append((user_id, message))
            return {"channel": f"D{user_id}", "ts": f"{len(self.direct)}.0"}

    def about(self, words: str) -> list[str]:
        with self._lock:
            return sorted(user for user, message in self.direct if words in message.text)


class Bot:
    """One run of the bot's scheduler; `events` are APScheduler's (code, job id) as they happen."""

    def __init__(self, scheduler: ActiveScheduler, sender: RecordingSender) -> None:
        self.scheduler, self.sender = scheduler, sender
        self.events: list[tuple[int, str]] = []
        scheduler.scheduler.add_listener(self._record, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)

    def _record(self, event: JobEvent) -> None:
        self.events.append((event.code, event.job_id))


@pytest.fixture
def runtime(roster: Context) -> Runtime:
    # The scheduler runs on the wall clock, as in production; time-machine moves it.
    return Runtime(Settings(database_url=roster.db.url), Context(roster.db, roster.options))


@contextmanager
def running(runtime: Runtime, *jobs: Callable) -> Iterator[Bot]:
    scheduler = ActiveScheduler(runtime, RecordingSender(), blocking=False, poll_seconds=3600)
    bot = Bot(scheduler, scheduler.sender)  # type: ignore[arg-type]
    scheduler.start(*jobs)
    try:
        yield bot
        # Stop once nothing is due any more, so what the store holds afterwards does not depend on timing.
        wait_until(lambda: all(run_at > datetime.now(UTC) for run_at in stored_jobs(runtime).values()))
    finally:
        scheduler.shutdown()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def stored_jobs(runtime: Runtime) -> dict[str, datetime]:
    """The persistent job store as APScheduler left it: job id -> next run time (UTC)."""
    with runtime.ctx.db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT id, next_run_time FROM {JOB_TABLE}")).all()
    return {job_id: datetime.fromtimestamp(next_run, UTC) for job_id, next_run in rows}


def planned(bot: Bot) -> bool:
    return (EVENT_JOB_EXECUTED, PLAN_JOB_ID) in bot.events


@pytest.mark.parametrize("plan_at,expected", [
    (local(2027, 3, 15, 12, 0), {  # summer time starts Sunday 28 March 2027
        "reminder:ensia-deelrapportage:2027-04-01:14d": datetime(2027, 3, 18, 8, tzinfo=UTC),
        "reminder:ensia-deelrapportage:2027-04-01:2d": datetime(2027, 3, 30, 7, tzinfo=UTC),
        "reminder:ensia-deelrapportage:2027-04-01:niet-gereed": datetime(2027, 4, 2, 7, tzinfo=UTC),
    }),
    (local(2027, 10, 20, 12, 0), {  # winter time starts Sunday 31 October 2027
        "reminder:iv-privacy-overleg:2027-11-09:14d": datetime(2027, 10, 26, 7, tzinfo=UTC),
        "reminder:iv-privacy-overleg:2027-11-09:voorbereiding": datetime(2027, 11, 2, 8, tzinfo=UTC),
        "reminder:iv-privacy-overleg:2027-11-09:0d": datetime(2027, 11, 9, 8, tzinfo=UTC),
    }),
])
def test_jobs_are_stored_with_stable_ids_at_nine_local_across_dst(runtime: Runtime, plan_at: datetime, expected: dict) -> None:
    with time_machine.travel(plan_at, tick=True), running(runtime, add_reminder_jobs) as bot:
        wait_until(lambda: planned(bot))
        grace = {job.id: job.misfire_grace_time for job in bot.scheduler.scheduler.get_jobs()}
        coalesce = {job.id: job.coalesce for job in bot.scheduler.scheduler.get_jobs()}
    jobs = stored_jobs(runtime)
    assert {job_id: jobs[job_id] for job_id in expected} == expected
    assert all(job_id.startswith("reminder:") for job_id in set(jobs) - {PLAN_JOB_ID})
    first = next(iter(expected))
    assert grace[first] == 8 * 3600 and coalesce[first]  # until 17:00 that day
    if "iv-privacy-overleg" in first:
        assert grace["reminder:iv-privacy-overleg:2027-11-09:0d"] == 3600  # until the meeting starts at 10:00


def test_a_restart_replaces_the_jobs_instead_of_doubling_them(runtime: Runtime) -> None:
    with time_machine.travel(local(2027, 1, 20, 12, 0), tick=True) as traveller:
        with running(runtime, add_reminder_jobs) as bot:
            wait_until(lambda: planned(bot))
        before = stored_jobs(runtime)
        traveller.shift(60)
        with running(runtime, add_reminder_jobs) as bot:
            wait_until(lambda: planned(bot))
        after = stored_jobs(runtime)
    assert OVERLEG_14D in before
    assert {k: v for k, v in after.items() if k != PLAN_JOB_ID} == {k: v for k, v in before.items() if k != PLAN_JOB_ID}


def test_an_edited_calendar_moves_the_jobs(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = tmp_path / "calendar.yaml"
    text_now = loader.DEFAULT_CALENDAR.read_text(encoding="utf-8")
    edited.write_text(text_now.replace("weekday: dinsdag\n      nth: 2", "weekday: dinsdag\n      nth: 3", 1), encoding="utf-8")
    with time_machine.travel(local(2027, 1, 20, 12, 0), tick=True):
        with running(runtime, add_reminder_jobs) as bot:
            wait_until(lambda: planned(bot))
        monkeypatch.setattr(loader, "DEFAULT_CALENDAR", edited)  # the overleg moves to the third Tuesday
        with running(runtime, add_reminder_jobs) as bot:
            wait_until(lambda: planned(bot))
    jobs = stored_jobs(runtime)
    assert OVERLEG_14D not in jobs
    assert jobs["reminder:iv-privacy-overleg:2027-02-16:14d"] == datetime(2027, 2, 2, 8, tzinfo=UTC)


def test_a_reminder_missed_while_down_is_sent_once_when_the_bot_is_back_that_day(runtime: Runtime) -> None:
    with time_machine.travel(local(2027, 1, 25, 12, 0), tick=True) as traveller:
        with running(runtime, add_reminder_jobs) as bot:
            wait_until(lambda: planned(bot))
        assert OVERLEG_14D in stored_jobs(runtime)

        traveller.move_to(local(2027, 1, 26, 11, 0))  # down at 09:00, back at 11:00
        with running(runtime) as back:  # without planning: only APScheduler's own misfire handling runs it
            wait_until(lambda: (EVENT_JOB_EXECUTED, OVERLEG_14D) in back.events)
            wait_until(lambda: back.sender.about("privacyoverleg") == OVERLEG_PEOPLE)

        traveller.move_to(local(2027, 1, 26, 11, 30))  # another restart, with planning: the job is added again
        with running(runtime, add_reminder_jobs) as again:
            wait_until(lambda: (EVENT_JOB_EXECUTED, OVERLEG_14D) in again.events)
    assert again.sender.about("privacyoverleg") == []
    assert back.sender.about("privacyoverleg") == OVERLEG_PEOPLE
    assert OVERLEG_14D not in stored_jobs(runtime)


def test_a_reminder_whose_working_day_has_passed_is_skipped(runtime: Runtime) -> None:
    with time_machine.travel(local(2027, 1, 25, 12, 0), tick=True) as traveller:
        with running(runtime, add_reminder_jobs) as bot:
            wait_until(lambda: planned(bot))
        traveller.move_to(local(2027, 1, 27, 9, 30))  # down from before Tuesday 09:00 until Wednesday
        with running(runtime) as back:
            wait_until(lambda: (EVENT_JOB_MISSED, OVERLEG_14D) in back.events)
        with running(runtime, add_reminder_jobs) as again:
            wait_until(lambda: planned(again))
    assert back.sender.about("privacyoverleg") == [] and again.sender.about("privacyoverleg") == []
    assert OVERLEG_14D not in stored_jobs(runtime)


def test_planning_leaves_a_due_job_to_the_scheduler_and_removes_future_ones(runtime: Runtime) -> None:
    """Removing a job the scheduler is running kills APScheduler's loop thread (JobLookupError
    when it removes the finished date job); a due job is therefore never removed by planning."""
    scheduler = BackgroundScheduler(jobstores={JOB_STORE: MemoryJobStore()}, timezone=AMS)
    scheduler.start(paused=True)
    try:
        now = datetime.now(AMS)
        for job_id, run_at in (("reminder:vervallen:2027-01-01:14d", now + timedelta(hours=1)),
                               ("reminder:vervallen:2027-01-01:2d", now - timedelta(seconds=10))):
            scheduler.add_job(print, "date", run_date=run_at, id=job_id, jobstore=JOB_STORE, misfire_grace_time=3600)
        plan(scheduler, runtime.ctx, loader.load_calendar())
        remaining = {job.id for job in scheduler.get_jobs(jobstore=JOB_STORE)}
    finally:
        scheduler.shutdown(wait=False)
    assert "reminder:vervallen:2027-01-01:14d" not in remaining  # no longer in the calendar: removed
    assert "reminder:vervallen:2027-01-01:2d" in remaining  # due: the scheduler runs and removes it itself
