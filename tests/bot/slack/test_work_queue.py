"""`serve --queue` + `worker`: the web process acknowledges and queues; a worker, started
later or running elsewhere, does the work from the database through the same listeners."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.config import Settings
from bot.http import wsgi_app
from bot.runtime import Runtime
from bot.slack.app import build_app, start_slack_delivery
from bot.slack.client import web_client
from bot.slack.work_queue import QueueWorker, use_work_queue
from commands import work_queue
from commands.context import Context
from commands.report.filing import accepted_journal, settle_accepted
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.clock import FakeClock
from tests.support.fake_slack_api import FakeSlackAPI
from tests.support.reports import all_reports
from tests.support.server import BackgroundServer
from tests.support.signed_slack import SignedSlack


@dataclass
class QueuedWeb:
    """A web process that queues its work, with no worker running yet."""

    runtime: Runtime
    fake: FakeSlackAPI
    slack: SignedSlack
    client: object

    def start_worker(self) -> QueueWorker:
        app = build_app(self.runtime, self.client, for_worker=True)  # type: ignore[arg-type]
        return QueueWorker(app, self.runtime.ctx, poll_seconds=0.02).start()


@pytest.fixture
def web(roster: Context, fake_slack: FakeSlackAPI) -> Iterator[QueuedWeb]:
    settings = Settings(database_url=roster.db.url, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                        slack_api_url=fake_slack.url, options=roster.options)
    runtime = Runtime(settings, roster)
    client = web_client(BOT_TOKEN, fake_slack.url, timeout=3)
    app = build_app(runtime, client)
    use_work_queue(app, runtime.ctx)
    start_slack_delivery(runtime, client)
    server = BackgroundServer(wsgi_app(app, runtime, queued=True)).start()
    try:
        yield QueuedWeb(runtime, fake_slack, SignedSlack(server.url, SIGNING_SECRET, fake_slack.base), client)
    finally:
        server.stop()
        runtime.stop()


def test_work_waits_in_the_database_until_a_worker_does_it(web: QueuedWeb) -> None:
    assert web.slack.command("/wie", "Wie stelt een DPIA op?", user_id="U01EMP").status == 200
    assert web.slack.command("/meld", "laptop kwijt in de trein", user_id="U01EMP").status == 200
    assert web.fake.calls_to("response_url") == []  # acknowledged; nothing done yet
    health = web.slack.request("GET", "/healthz").json()
    assert health["queue"]["waiting"] == 2 and health["queue"]["late"] is False

    worker = web.start_worker()
    try:
        replies = web.fake.wait_for("response_url", count=2)
    finally:
        worker.stop()
    texts = " ".join(str(reply.params["text"]) for reply in replies)
    assert "§6.5" in texts or "6.5" in texts
    assert "MELD-2026-0001" in texts
    assert [r.text for r in all_reports(web.runtime.ctx)] == ["laptop kwijt in de trein"]
    assert work_queue.backlog(web.runtime.ctx).waiting == 0  # the request (with the report text) is gone


def test_health_says_late_when_work_waits_over_a_minute(web: QueuedWeb, clock: FakeClock) -> None:
    web.slack.command("/agenda", "", user_id="U01EMP")
    clock.advance(seconds=61)  # and no worker is running
    assert web.slack.request("GET", "/healthz").json()["queue"] == {"waiting": 1, "oldest_seconds": 61.0, "late": True}


def test_an_accepted_report_is_kept_by_the_web_process_until_it_is_filed(web: QueuedWeb) -> None:
    web.slack.command("/meld", "usb-stick gevonden bij de balie", user_id="U01EMP")
    intake = accepted_journal(web.runtime.ctx)
    assert len(intake.outstanding()) == 1  # in the journal before the ack (kill -9 safe)
    assert settle_accepted(web.runtime.ctx, older_than=0) == 0  # not filed yet: keep it

    worker = web.start_worker()
    try:
        web.fake.wait_for("response_url")
    finally:
        worker.stop()
    assert intake.outstanding() == []  # (another process's filing: tests/commands/test_report_outage.py)


def test_a_retried_event_is_answered_once_also_through_the_queue(web: QueuedWeb) -> None:
    event = {"type": "app_home_opened", "user": "U01EMP", "tab": "home", "channel": "D1"}
    for retry in (None, 1, 2):
        assert web.slack.event(event, event_id="Ev0QUEUED", retry_num=retry).status == 200
    worker = web.start_worker()
    try:
        web.fake.wait_for("views.publish")
        _wait_until_empty(web.runtime.ctx)
    finally:
        worker.stop()
    assert len(web.fake.calls_to("views.publish")) == 1


def test_queued_work_for_a_listener_that_no_longer_exists_is_dropped_and_logged(
    web: QueuedWeb, caplog: pytest.LogCaptureFixture,
) -> None:
    writer = work_queue.QueueWriter(web.runtime.ctx)
    assert writer.put("run_slash_verdwenen", "command=%2Fverdwenen&user_id=U01EMP", "application/x-www-form-urlencoded")
    worker = web.start_worker()
    try:
        with caplog.at_level(logging.ERROR, logger="bot.slack.work_queue"):
            _wait_until_empty(web.runtime.ctx)
    finally:
        worker.stop()
    assert "matched no listener" in caplog.text


def _wait_until_empty(ctx: Context, timeout: float = 5.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while work_queue.backlog(ctx).waiting and time.monotonic() < deadline:
        time.sleep(0.02)
    assert work_queue.backlog(ctx).waiting == 0
