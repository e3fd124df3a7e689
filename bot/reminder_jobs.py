"""The reminders in APScheduler: one date job per reminder moment, planned at start and every morning.

Job layout: one job per (item, occurrence, lead), id `reminder:<item>:<date>:<lead>` (e.g.
`reminder:iv-privacy-overleg:2027-02-09:14d`), in the persistent job store on the bot's
database, run at the reminder's moment, with `misfire_grace_time` up to the end of its
grace (that working day's end, or the meeting's start) and `coalesce`. So a bot that was
down at 09:00 sends the 09:00 reminder when it is back that day, once, and skips it the
day after. A job carries no message: it wakes `send_due_reminders`, which decides from
the clock, the roster of that moment and the delivery log. A job fired twice, late, or in
a second process therefore sends nothing twice.

Planning (`reminders:plan`, a cron job that also runs right after start) adds the jobs of
the next weeks with `replace_existing` (a calendar change moves a job, it never doubles
it), adds the jobs whose moment passed while the bot was down but whose grace has not
(they run at once), and removes the future jobs of reminders that no longer exist.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from datetime import datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import BaseScheduler

from bot.scheduler import active
from commands.context import Context
from commands.delivery import deliver_due
from commands.remind.delivery import send_due_reminders
from commands.remind.loader import CalendarError, load_calendar
from commands.remind.model import Calendar
from commands.remind.timing import (
    LONGEST_GRACE,
    Reminder,
    overdue_reminders,
    reminders_between,
)

log = logging.getLogger(__name__)

PLAN_JOB_ID = "reminders:plan"
JOB_PREFIX = "reminder:"
JOB_STORE = "default"  # the persistent SQLAlchemy job store (bot.scheduler)
PLAN_AHEAD = timedelta(days=35)  # planned daily, so this only needs to outlast a long outage of the planner
PLAN_HOUR, PLAN_MINUTE = 6, 30
DUE_SOON = timedelta(minutes=1)  # before the working day's first reminders

_sending = threading.Lock()  # catch-up fires several jobs at once; one sweep at a time is enough


def add_reminder_jobs(scheduler: BaseScheduler) -> None:
    """For `ActiveScheduler.start`: plan the reminders now and every morning."""
    scheduler.add_job(
        plan_reminders, "cron", hour=PLAN_HOUR, minute=PLAN_MINUTE, id=PLAN_JOB_ID, name="herinneringen plannen",
        jobstore=JOB_STORE, replace_existing=True, coalesce=True, next_run_time=datetime.now(scheduler.timezone),
    )


def plan_reminders() -> None:
    """Job: (re)plan the reminder jobs from the calendar as it is now."""
    current = active()
    try:
        calendar = load_calendar()
    except CalendarError as error:
        log.error("reminders not planned, the calendar has problems:\n%s", error)
        return
    planned = plan(current.scheduler, current.runtime.ctx, calendar)
    log.info("reminders planned: %d job(s)", len(planned))


def send_reminders() -> None:
    """Job: send whatever reminders are due now, then deliver them straight away."""
    current = active()
    ctx = current.runtime.ctx
    with _sending:
        try:
            send_due_reminders(ctx)
        except CalendarError as error:
            log.error("reminders not sent, the calendar has problems:\n%s", error)
            return
        while deliver_due(ctx, current.sender).sent:
            pass


def plan(scheduler: BaseScheduler, ctx: Context, calendar: Calendar) -> list[str]:
    """Make the reminder jobs in the store match the calendar; returns the planned job ids."""
    now, tz = ctx.now(), ctx.options.timezone
    wanted = [r for r in reminders_between(calendar, now - LONGEST_GRACE, now + PLAN_AHEAD, tz) if r.grace_until > now]
    wanted += overdue_reminders(calendar, now, tz)
    planned = [_add_job(scheduler, reminder) for reminder in wanted]
    for job in scheduler.get_jobs(jobstore=JOB_STORE):
        if job.id.startswith(JOB_PREFIX) and job.id not in planned and _not_due_soon(job.next_run_time, now):
            with suppress(JobLookupError):  # it ran and was removed in the meantime
                scheduler.remove_job(job.id, jobstore=JOB_STORE)
    return planned


def _not_due_soon(next_run_time: datetime | None, now: datetime) -> bool:
    """A job that is due may be in the scheduler's hands right now: APScheduler 3 removes a
    date job after running it, and its loop thread dies (JobLookupError) when the job was
    removed under it. Such a job is left alone: it runs or misfires, sends only what the
    delivery log allows, and is removed by the scheduler itself."""
    return next_run_time is not None and next_run_time > now + DUE_SOON


def job_id(reminder: Reminder) -> str:
    return JOB_PREFIX + reminder.key


def _add_job(scheduler: BaseScheduler, reminder: Reminder) -> str:
    grace_seconds = int((reminder.grace_until - reminder.moment).total_seconds())
    scheduler.add_job(
        send_reminders, "date", run_date=reminder.moment, id=job_id(reminder), name=f"herinnering {reminder.key}",
        jobstore=JOB_STORE, replace_existing=True, coalesce=True, misfire_grace_time=max(grace_seconds, 1),
    )
    return job_id(reminder)
