"""The Slack wiring end to end: commands ack and answer via response_url, events are
de-duplicated, outbox messages are delivered through the Web API."""

from __future__ import annotations

import time

from commands.messages import Button, Message
from commands.outbox import send_direct


def test_slash_command_is_acknowledged_and_answered_privately(slack_bot) -> None:  # noqa: ANN001
    started = time.monotonic()
    response = slack_bot.slack.command("/agenda", "", user_id="U01EMP")
    assert response.status == 200
    assert time.monotonic() - started < 3  # Slack's limit
    [answer] = slack_bot.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["text"]


def test_retried_event_is_handled_once(slack_bot) -> None:  # noqa: ANN001
    event = {"type": "app_home_opened", "user": "U01EMP", "tab": "home", "channel": "D1"}
    assert slack_bot.slack.event(event, event_id="Ev0RETRY").status == 200
    slack_bot.fake.wait_for("views.publish")
    assert slack_bot.slack.event(event, event_id="Ev0RETRY", retry_num=1).status == 200
    assert slack_bot.slack.event(event, event_id="Ev0RETRY", retry_num=2).status == 200
    time.sleep(0.3)
    assert len(slack_bot.fake.calls_to("views.publish")) == 1


def test_outbox_message_is_delivered_as_a_dm_with_buttons(slack_bot) -> None:  # noqa: ANN001
    message = Message(text="Test <@U01CISO>", title="Titel", blocks=["regel"], buttons=[Button("Ik kom", "page.ack", "42")])
    with slack_bot.ctx.db.session() as session:
        send_direct(session, "test:1", "U01CISO", message, slack_bot.ctx.now())
    slack_bot.delivered()
    [call] = slack_bot.fake.calls_to("chat.postMessage")
    assert call.params["channel"] == "U01CISO"
    assert call.headers["authorization"] == "Bearer xoxb-test-token"
    actions = [b for b in call.params["blocks"] if b["type"] == "actions"][0]
    assert actions["elements"][0]["action_id"] == "page.ack|0"
    assert actions["elements"][0]["value"] == "42"
