"""Slack failing while the team is paged: every page still arrives exactly once, or the
initiator and the CISO hear that it could not be delivered."""

from __future__ import annotations

import pytest

from bot.slack.client import web_client
from bot.slack.sender import SlackSender
from commands.timers import run_due_timers
from tests.bot.slack.crisis_helpers import SEATS, command, to
from tests.commands.escalate_helpers import outbox_row
from tests.conftest import BOT_TOKEN, SlackBot
from tests.support.fake_slack_api import Fault

FIRST_PAGE = "U01GSEC"  # pages go out in seat order; the first chat.postMessage is the gemeentesecretaris's


def successful_pages(slack_bot: SlackBot, user_id: str, faults: int) -> int:
    """Pages that reached `user_id`: the calls made, minus those answered with a fault."""
    return len(slack_bot.fake.calls_to("chat.postMessage", to(user_id))) - faults


@pytest.mark.parametrize("fault", [
    Fault(429, headers={"Retry-After": "1"}),
    Fault(500),
    Fault(503, body="<html>Service Unavailable</html>"),
], ids=["rate-limited", "server-error", "unavailable"])
def test_a_failing_call_is_retried_and_each_page_arrives_once(slack_bot: SlackBot, fault: Fault) -> None:
    slack_bot.fake.fail("chat.postMessage", fault)
    command(slack_bot, "afdeling=Burgerzaken ransomware", "U01CISO")

    slack_bot.fake.wait_for("chat.postMessage", count=2, where=to(FIRST_PAGE))
    slack_bot.delivered()
    assert successful_pages(slack_bot, FIRST_PAGE, faults=1) == 1
    for user in SEATS:
        if user != FIRST_PAGE:
            assert successful_pages(slack_bot, user, faults=0) == 1
    assert not slack_bot.fake.calls_to("chat.postMessage", lambda c: "niet afgeleverd" in str(c.params.get("text")))


def test_an_answer_slower_than_the_client_timeout_is_retried_once(slack_bot: SlackBot) -> None:
    assert slack_bot.runtime.delivery is not None
    slack_bot.runtime.delivery.stop()  # deliver through a client that gives up after one second
    slack_bot.runtime.start_delivery(SlackSender(web_client(BOT_TOKEN, slack_bot.fake.url, timeout=1)))
    slack_bot.fake.fail("chat.postMessage", Fault(200, delay=1.5))

    command(slack_bot, "afdeling=Burgerzaken ransomware", "U01CISO")

    slack_bot.fake.wait_for("chat.postMessage", count=2, where=to(FIRST_PAGE))
    slack_bot.delivered()
    assert successful_pages(slack_bot, FIRST_PAGE, faults=1) == 1
    assert all(successful_pages(slack_bot, user, faults=0) == 1 for user in SEATS if user != FIRST_PAGE)


def test_a_page_that_cannot_be_delivered_is_reported_to_the_initiator_and_the_ciso(slack_bot: SlackBot) -> None:
    clock = slack_bot.ctx.clock
    slack_bot.fake.fail("chat.postMessage", Fault(500), Fault(500), Fault(500))  # attempt 1: the client retries twice
    command(slack_bot, "afdeling=Burgerzaken ransomware", "U01CIO")
    for wait in (10, 30):  # the delivery's backoff; Slack keeps failing (fatal_error: its own server fault)
        slack_bot.fake.fail("chat.postMessage", Fault(200, body={"ok": False, "error": "fatal_error"}))
        clock.advance(seconds=wait + 1)  # type: ignore[attr-defined]
        slack_bot.delivered()
    slack_bot.delivered()  # the failure notices themselves

    assert successful_pages(slack_bot, FIRST_PAGE, faults=5) == 0
    for told in ("U01CIO", "U01CISO"):  # who declared, and the CISO
        notice = slack_bot.fake.wait_for("chat.postMessage", where=lambda c, u=told: to(u)(c) and "niet afgeleverd" in str(c.params))
        assert len(notice) == 1 and "U01GSEC" in str(notice[0].params)
    assert all(successful_pages(slack_bot, user, faults=0) == 1 for user in SEATS if user not in (FIRST_PAGE, "U01CIO"))


def test_inviting_a_deputy_is_retried_and_already_being_in_the_room_is_fine(slack_bot: SlackBot) -> None:
    command(slack_bot, "afdeling=Burgerzaken ransomware", "U01CISO")
    for user in ("U01GSEC", "U01CIO", "U01DSPOB"):  # only the afdelingsmanager stays silent
        slack_bot.slack.button(user, "crisis.ack|0", "CRISIS-2026-0001")
    slack_bot.fake.wait_for("response_url", count=4)
    slack_bot.fake.fail("conversations.invite", Fault(200, body={"ok": False, "error": "fatal_error"}),
                        Fault(200, body={"ok": False, "error": "already_in_channel"}))
    clock = slack_bot.ctx.clock
    clock.advance(seconds=slack_bot.ctx.options.escalation_ack_seconds + 1)  # type: ignore[attr-defined]
    run_due_timers(slack_bot.ctx, slack_bot.runtime.router.timers)
    slack_bot.delivered()
    clock.advance(seconds=11)  # type: ignore[attr-defined]
    slack_bot.delivered()

    invites = slack_bot.fake.calls_to("conversations.invite", lambda c: c.params["users"] == "U01MGRB2")
    assert len(invites) == 2  # failed once, then Slack said the deputy was in already: done, no third call
    assert outbox_row(slack_bot.ctx, "crisis:CRISIS-2026-0001:invite:U01MGRB2").status == "sent"
