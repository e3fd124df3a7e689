"""Driving /crisis over signed Slack requests and reading the fake Slack's calls (crisis tests)."""

from __future__ import annotations

import itertools
import threading

from tests.conftest import SlackBot
from tests.support.fake_slack_api import Call

REF = "CRISIS-2026-0001"
SEATS = ("U01GSEC", "U01CIO", "U01DSPOB", "U01MGRB")
_replies = itertools.count(1)


def to(user_or_channel: str):  # noqa: ANN201 - a Call predicate
    return lambda call: call.params.get("channel") == user_or_channel


def text(call: Call) -> str:
    return str(call.params.get("text", "")) + str(call.params.get("blocks", ""))


def ack_button(call: Call) -> dict:
    actions = [b for b in call.params["blocks"] if b["type"] == "actions"]
    return actions[0]["elements"][0]


def command(slack_bot: SlackBot, typed: str, user_id: str, **extra: str) -> Call:
    """Run `/crisis typed` and wait for its reply and for what it put in the outbox to be sent."""
    name = f"crisis{next(_replies)}"
    response = slack_bot.slack.command("/crisis", typed, user_id=user_id, response_url=slack_bot.fake.response_url(name), **extra)
    assert response.status == 200
    reply = slack_bot.fake.wait_for("response_url", where=lambda c: c.params["name"] == name)[0]
    slack_bot.delivered()
    return reply


def press(slack_bot: SlackBot, user_id: str, times: int = 1) -> list[Call]:
    """Press the acknowledge button `times` times at once; the replies, in the order they came."""
    before = len(slack_bot.fake.calls_to("response_url"))
    clicks = [threading.Thread(target=slack_bot.slack.button, args=(user_id, "crisis.ack|0", REF)) for _ in range(times)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    replies = slack_bot.fake.wait_for("response_url", count=before + times)[before:]
    slack_bot.delivered()
    return replies


def declare(slack_bot: SlackBot) -> Call:
    return command(slack_bot, "afdeling=Burgerzaken ransomware op de balie-pc's", "U01CISO")
