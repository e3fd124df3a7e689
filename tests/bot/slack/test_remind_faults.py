"""Slack failing while reminders go out (429 with Retry-After, 5xx, answers slower than the
client's timeout): every reminder still reaches each recipient once, after retries."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.slack.client import web_client
from bot.slack.sender import SlackSender
from commands.delivery import pending_count
from commands.remind.delivery import send_due_reminders
from tests.conftest import BOT_TOKEN, SlackBot
from tests.support.clock import FakeClock
from tests.support.fake_slack_api import Call, Fault

AMS = ZoneInfo("Europe/Amsterdam")
MANAGERS = ["U01MGRB", "U01MGRI", "U01MGRS"]  # the deelrapportage ENSIA, 14 days before 1 April 2027
FIRST = "U01MGRB"  # the outbox sends in order; the first reminder is the one that meets the fault


def reminder(call: Call) -> bool:
    return "Deelrapportage ENSIA" in str(call.params.get("text", ""))


def reminders_to(bot: SlackBot, user: str) -> list[Call]:
    return bot.fake.calls_to("chat.postMessage", lambda c: reminder(c) and c.params.get("channel") == user)


def send_reminders(bot: SlackBot, clock: FakeClock) -> None:
    clock.set(datetime(2027, 3, 18, 9, 0, tzinfo=AMS))
    due = send_due_reminders(bot.ctx)
    assert {d.recipient.id for d in due if d.reminder.item.id == "ensia-deelrapportage"} == set(MANAGERS)
    assert due[0].recipient.id == FIRST
    bot.delivered()


def assert_each_got_one(bot: SlackBot, faults: int) -> None:
    assert len(reminders_to(bot, FIRST)) == 1 + faults  # the failed calls, then the one that arrived
    for user in MANAGERS[1:]:
        assert len(reminders_to(bot, user)) == 1, user
    assert pending_count(bot.ctx) == 0
    assert not bot.fake.calls_to("chat.postMessage", lambda c: "niet afgeleverd" in str(c.params.get("text")))
    calls = len(bot.fake.calls_to("chat.postMessage"))
    assert send_due_reminders(bot.ctx) == []  # a second scheduler round, e.g. after a restart: nothing again
    bot.delivered()
    assert len(bot.fake.calls_to("chat.postMessage")) == calls


@pytest.mark.parametrize("fault", [
    Fault(429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "1"}),
    Fault(500),
    Fault(503, body="<html>Service Unavailable</html>"),
], ids=["429-retry-after", "500", "503-html"])
def test_a_reminder_is_retried_and_arrives_once(slack_bot: SlackBot, clock: FakeClock, fault: Fault) -> None:
    slack_bot.fake.fail("chat.postMessage", fault)
    send_reminders(slack_bot, clock)
    assert_each_got_one(slack_bot, faults=1)
    if fault.status == 429:
        first, second = reminders_to(slack_bot, FIRST)
        assert second.at - first.at >= 0.95  # Retry-After honoured, not hammered


def test_a_reminder_whose_answer_times_out_is_sent_again_once(slack_bot: SlackBot, clock: FakeClock) -> None:
    assert slack_bot.runtime.delivery is not None
    slack_bot.runtime.delivery.stop()  # deliver through a client that gives up after one second
    slack_bot.runtime.start_delivery(SlackSender(web_client(BOT_TOKEN, slack_bot.fake.url, timeout=1)))
    slack_bot.fake.fail("chat.postMessage", Fault(200, delay=1.5))
    send_reminders(slack_bot, clock)
    assert_each_got_one(slack_bot, faults=1)


def test_slack_failing_longer_than_the_client_retries_is_retried_by_the_outbox(slack_bot: SlackBot, clock: FakeClock) -> None:
    slack_bot.fake.fail("chat.postMessage", Fault(500), Fault(500), Fault(500))  # the client's own 2 retries fail too
    send_reminders(slack_bot, clock)
    assert len(reminders_to(slack_bot, FIRST)) == 3  # not delivered yet: waiting for the outbox's backoff
    assert pending_count(slack_bot.ctx) == 1

    clock.advance(seconds=11)
    slack_bot.delivered()
    assert_each_got_one(slack_bot, faults=3)


def test_a_reminder_slack_refuses_for_good_is_reported_not_retried(slack_bot: SlackBot, clock: FakeClock) -> None:
    slack_bot.fake.fail("chat.postMessage", Fault(200, body={"ok": False, "error": "user_not_found"}))
    send_reminders(slack_bot, clock)
    slack_bot.delivered()  # the notice about it

    assert len(reminders_to(slack_bot, FIRST)) == 1
    assert all(len(reminders_to(slack_bot, user)) == 1 for user in MANAGERS[1:])
    [notice] = slack_bot.fake.calls_to("chat.postMessage", lambda c: "niet afgeleverd" in str(c.params.get("text")))
    assert notice.params["channel"] == "U01CISO" and FIRST in str(notice.params)
