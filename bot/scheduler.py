"""The scheduler (APScheduler 3): runs due timers, delivers the outbox and sends reminders.

In production it is its own process (`python -m bot scheduler`, the Procfile's second
process; run exactly one). The console and Socket Mode run it inside the bot process.
Only this process touches APScheduler; other processes record timers in the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING, BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.runtime import Runtime
from commands.delivery import Sender, deliver_due
from commands.inbox import forget_old_deliveries
from commands.timers import run_due_timers

log = logging.getLogger(__name__)

POLL_SECONDS = 5
JOB_TABLE = "apscheduler_jobs"

# Jobs in the persistent store are pickled by reference, so they call module-level
# functions; those find the running bot here.
_active: ActiveScheduler | None = None


class _OnlyWhileRunning:
    """APScheduler 3's loop runs one more round after `shutdown()` (it skips rounds only while
    paused): a job due at that moment is not submitted (the executor is gone) and the loop
    thread dies on removing it (JobLookupError; seen in CI). Skip that round: the job stays in
    the store and runs at the next start, within its grace."""

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:  # type: ignore[attr-defined]
            return None
        return super()._process_jobs()  # type: ignore[misc]


class _BackgroundScheduler(_OnlyWhileRunning, BackgroundScheduler):
    pass


class _BlockingScheduler(_OnlyWhileRunning, BlockingScheduler):
    pass


class ActiveScheduler:
    def __init__(self, runtime: Runtime, sender: Sender, *, blocking: bool, poll_seconds: float = POLL_SECONDS) -> None:
        self.runtime, self.sender = runtime, sender
        scheduler_class: type[BaseScheduler] = _BlockingScheduler if blocking else _BackgroundScheduler
        self.scheduler = scheduler_class(
            jobstores={
                "default": SQLAlchemyJobStore(engine=runtime.ctx.db.engine, tablename=JOB_TABLE),
                "memory": MemoryJobStore(),
            },
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone=runtime.ctx.options.timezone,
        )
        self.poll_seconds = poll_seconds

    def start(self, *extra_jobs: Callable[[BaseScheduler], None]) -> None:
        """Start; `extra_jobs` add their (persistent) jobs, e.g. the reminders."""
        global _active
        _active = self
        self.scheduler.add_job(run_due_work, "interval", seconds=self.poll_seconds, id="due-work", jobstore="memory",
                               replace_existing=True, misfire_grace_time=None)
        self.scheduler.add_job(housekeeping, "cron", hour=3, minute=17, id="housekeeping", jobstore="memory",
                               replace_existing=True)
        for add_jobs in extra_jobs:
            add_jobs(self.scheduler)
        log.info("scheduler started (timers and outbox every %s s)", self.poll_seconds)
        self.scheduler.start()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Stop after the jobs that are running now have finished.

        APScheduler 3's shutdown(wait=True) holds the job store lock while it waits for
        running jobs, so a job that adds or removes jobs at that moment (the reminder planner)
        would wait forever. So: pause (no new rounds), let running jobs finish, shut down
        without waiting inside APScheduler, and wait for a job submitted in the meantime.
        """
        global _active
        if self.scheduler.running:
            self.scheduler.pause()
            self._wait_for_running_jobs(timeout)
            self.scheduler.shutdown(wait=False)
            self._wait_for_running_jobs(timeout)
        _active = None

    def _wait_for_running_jobs(self, timeout: float) -> None:
        # The executor counts the running instances of each job (APScheduler 3 has no public
        # accessor for it; the count is what its own max_instances check uses).
        executor = self.scheduler._lookup_executor("default")
        deadline = time.monotonic() + timeout
        while any(executor._instances.values()) and time.monotonic() < deadline:
            time.sleep(0.02)


def active() -> ActiveScheduler:
    if _active is None:
        raise RuntimeError("the scheduler is not running in this process")
    return _active


def run_due_work() -> None:
    """Recover left-behind work, run due timers, then deliver what they (and the web process) put in the outbox."""
    current = active()
    ctx = current.runtime.ctx
    current.runtime.router.recover(ctx)
    run_due_timers(ctx, current.runtime.router.timers)
    while deliver_due(ctx, current.sender).sent:
        pass


def housekeeping() -> None:
    forget_old_deliveries(active().runtime.ctx)
