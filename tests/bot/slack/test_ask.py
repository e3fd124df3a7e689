"""Asking over Slack: /wie, @-mentions and direct messages, answered privately and once."""

from __future__ import annotations

import time


def _all_text(params: dict) -> str:  # noqa: ANN001
    parts = [params.get("text", "")]
    for block in params.get("blocks", []):
        parts.append((block.get("text") or {}).get("text", ""))
        parts += [element.get("text", "") for element in block.get("elements", []) if isinstance(element, dict)]
    return "\n".join(parts)


def test_slash_wie_answers_with_role_section_and_people(slack_bot) -> None:  # noqa: ANN001
    assert slack_bot.slack.command("/wie", "Wie stelt een DPIA op?", user_id="U01EMP").status == 200
    [answer] = slack_bot.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    text = _all_text(answer.params)
    assert "§6.5" in text and "<@U01DSPOB>" in text
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in answer.params["blocks"])


def test_mention_is_answered_privately_in_the_channel(slack_bot) -> None:  # noqa: ANN001
    event = {"type": "app_mention", "user": "U01EMP2", "channel": "C0GENERAL", "ts": "1.0",
             "text": "<@UBOT> wie mag ingrijpen bij een incident"}
    slack_bot.slack.event(event)
    [reply] = slack_bot.fake.wait_for("chat.postEphemeral")
    assert reply.params["channel"] == "C0GENERAL" and reply.params["user"] == "U01EMP2"
    assert "<@U01CISO>" in _all_text(reply.params)
    assert slack_bot.fake.calls_to("chat.postMessage") == []  # nothing visible to the channel


def test_direct_message_is_answered_in_the_dm_once_despite_retries(slack_bot) -> None:  # noqa: ANN001
    event = {"type": "message", "channel_type": "im", "user": "U01EMP", "channel": "D01EMP", "ts": "2.0",
             "text": "Who is ultimately (politically) responsible for information security?"}
    for retry in (None, 1, 2):
        assert slack_bot.slack.event(event, event_id="Ev0DM1", retry_num=retry).status == 200
    [reply] = slack_bot.fake.wait_for("chat.postMessage")
    time.sleep(0.3)
    assert len(slack_bot.fake.calls_to("chat.postMessage")) == 1
    assert reply.params["channel"] == "D01EMP"
    assert "college" in _all_text(reply.params).lower()


def test_bot_messages_and_edits_in_the_dm_are_ignored(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.event({"type": "message", "channel_type": "im", "bot_id": "BBOT", "channel": "D01EMP", "text": "echo"})
    slack_bot.slack.event({"type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D01EMP"})
    slack_bot.slack.event({"type": "message", "channel_type": "channel", "user": "U01EMP", "channel": "C1", "text": "wie is de FG?"})
    time.sleep(0.5)
    assert [m for m in slack_bot.fake.methods() if m not in ("auth.test",)] == []


def test_question_with_markup_is_escaped(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/wie", "<!channel> who organises the <@U01CISO> christmas party?", user_id="U01EMP")
    [answer] = slack_bot.fake.wait_for("response_url")
    assert "<!channel>" not in _all_text(answer.params)
