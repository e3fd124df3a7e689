"""/crisis over signed Slack requests against the running app, asserting on the fake Slack's calls."""

from __future__ import annotations

from bot.config import Settings
from bot.runtime import Runtime
from bot.slack.client import web_client
from bot.slack.sender import SlackSender
from commands.context import Context
from commands.delivery import deliver_due
from commands.timers import run_due_timers
from storage.db import Database
from tests.bot.slack.crisis_helpers import (
    REF,
    SEATS,
    ack_button,
    command,
    declare,
    press,
    text,
    to,
)
from tests.conftest import BOT_TOKEN, SlackBot


def escalate(slack_bot: SlackBot) -> None:
    slack_bot.ctx.clock.advance(seconds=slack_bot.ctx.options.escalation_ack_seconds + 1)  # type: ignore[attr-defined]
    run_due_timers(slack_bot.ctx, slack_bot.runtime.router.timers)
    slack_bot.delivered()


def test_crisis_pages_the_team_and_opens_a_private_pinned_room(slack_bot: SlackBot) -> None:
    reply = declare(slack_bot)
    fake = slack_bot.fake

    assert "CRISIS-2026-0001 uitgeroepen" in text(reply) and reply.params["response_type"] == "ephemeral"
    for user in SEATS:
        page = fake.wait_for("chat.postMessage", where=to(user))
        assert len(page) == 1 and "ICT-crisisoverleg" in text(page[0])
        assert ack_button(page[0])["action_id"] == "crisis.ack|0" and ack_button(page[0])["value"] == REF
    assert fake.calls_to("chat.postMessage", to("U01CISO")) == []  # the declarer is not paged
    created = fake.wait_for("conversations.create")[0].params
    assert created["name"] == "crisis-2026-11-30-ransomware-op-de-balie-pc-s" and created["is_private"] in (True, "true", "1")
    invited = set(fake.wait_for("conversations.invite")[0].params["users"].split(","))
    assert invited == {*SEATS, "U01CISO"}
    assert fake.wait_for("pins.add")[0].params["channel"] == "C00000001"
    summary = fake.calls_to("chat.postMessage", to("C00000001"))[0]
    assert "IBD-CERT" in text(summary) and "Eerste stappen" in text(summary)


def test_the_same_command_twice_pages_once(slack_bot: SlackBot) -> None:
    declare(slack_bot)
    again = declare(slack_bot)

    assert "was al uitgeroepen" in text(again)
    for user in SEATS:
        assert len(slack_bot.fake.calls_to("chat.postMessage", to(user))) == 1


def test_a_double_click_acknowledges_once_and_removes_the_button(slack_bot: SlackBot) -> None:
    declare(slack_bot)
    answers = sorted(text(c) for c in press(slack_bot, "U01MGRB", times=2))

    assert "Je had al bevestigd" in answers[0] and "✅ Bevestigd om 09:00" in answers[1]
    updated = slack_bot.fake.wait_for("chat.update", where=to("DU01MGRB"))
    assert len(updated) == 1 and "✅ Bevestigd om 09:00" in text(updated[0]) and "actions" not in text(updated[0])
    room_posts = slack_bot.fake.calls_to("chat.postMessage", lambda c: to("C00000001")(c) and "bevestigt: komt" in text(c))
    assert len(room_posts) == 1


def test_no_acknowledgement_pages_the_deputy_and_invites_them_once(slack_bot: SlackBot) -> None:
    declare(slack_bot)
    press(slack_bot, "U01DSPOB")
    escalate(slack_bot)

    fake = slack_bot.fake
    deputy_pages = fake.wait_for("chat.postMessage", where=to("U01MGRB2"))
    assert len(deputy_pages) == 1 and "plaatsvervanger van Els Janssen" in text(deputy_pages[0])
    assert len(fake.calls_to("chat.postMessage", to("U01MGRB"))) == 2
    assert len(fake.calls_to("chat.postMessage", to("U01DSPOB"))) == 1  # acknowledged: never paged again
    later_invites = sorted(c.params["users"] for c in fake.calls_to("conversations.invite")[1:])
    assert later_invites == ["U01DIR2", "U01MGRB2"]  # U01DIR2 stands in for two seats, invited once
    assert len(fake.calls_to("chat.postMessage", to("U01DIR2"))) == 2  # one page per seat

    escalate(slack_bot)
    escalate(slack_bot)  # after 3 rounds the CISO and gemeentesecretaris hear who did not respond
    notices = fake.wait_for("chat.postMessage", count=3, where=lambda c: to("U01CISO")(c) and "Crisisteam niet compleet" in text(c))
    assert sorted(seat for n in notices for seat in ("U01GSEC", "U01CIO", "U01MGRB") if f"<@{seat}> (" in text(n)) == \
        ["U01CIO", "U01GSEC", "U01MGRB"]  # one notice per unanswered seat; the DSPO acknowledged


def test_a_restart_mid_escalation_pages_the_deputy_exactly_once(slack_bot: SlackBot) -> None:
    declare(slack_bot)
    slack_bot.ctx.clock.advance(seconds=slack_bot.ctx.options.escalation_ack_seconds + 10)  # type: ignore[attr-defined]

    # A new scheduler process after a restart: its own runtime and connection on the same database.
    restarted = Runtime(Settings(database_url=slack_bot.ctx.db.url),
                        Context(Database(slack_bot.ctx.db.url), slack_bot.ctx.options, slack_bot.ctx.clock))
    try:
        sender = SlackSender(web_client(BOT_TOKEN, slack_bot.fake.url, timeout=3))
        assert run_due_timers(restarted.ctx, restarted.router.timers) == 4
        assert run_due_timers(restarted.ctx, restarted.router.timers) == 0
        while deliver_due(restarted.ctx, sender).sent:
            pass
    finally:
        restarted.stop()
    slack_bot.delivered()  # the web process's worker finds nothing left to send

    assert len(slack_bot.fake.calls_to("chat.postMessage", to("U01MGRB2"))) == 1
    assert len(slack_bot.fake.calls_to("chat.postMessage", to("U01MGRB"))) == 2


def test_log_in_the_room_status_and_close_with_the_report(slack_bot: SlackBot) -> None:
    declare(slack_bot)
    command(slack_bot, "afdeling=Sociaal-Domein phishinggolf", "U01CISO")  # a second crisis: the room decides
    logged = command(slack_bot, "log netwerkkabels van de balie-pc's los", "U01CISO", channel_id="C00000001")
    refused = command(slack_bot, "status", "U01EMP2")
    report = command(slack_bot, "sluit", "U01CISO", channel_id="C00000001")

    fake = slack_bot.fake
    assert "Vastgelegd in CRISIS-2026-0001" in text(logged)
    assert fake.wait_for("chat.postMessage", where=lambda c: to("C00000001")(c) and "netwerkkabels" in text(c))
    assert "niet in het crisisteam" in text(refused)
    assert "Crisisverslag CRISIS-2026-0001" in text(report)
    assert "| Tijd | Wie | Gebeurtenis |" in text(report) and "netwerkkabels" in text(report)
    assert fake.wait_for("chat.postMessage", where=lambda c: to("C00000001")(c) and "Crisisverslag" in text(c))
    closed_pages = fake.wait_for("chat.update", count=4, where=lambda c: "Crisis gesloten" in text(c))
    assert {c.params["channel"] for c in closed_pages} == {f"D{u}" for u in SEATS}
