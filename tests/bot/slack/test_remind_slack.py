"""Reminders through Slack: signed requests for /agenda, App Home and "Gereed", DMs checked on the fake Slack API."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from commands.remind.delivery import send_due_reminders
from storage.reminders import DeliverableDone
from tests.conftest import SlackBot
from tests.support.clock import FakeClock
from tests.support.fake_slack_api import Call

AMS = ZoneInfo("Europe/Amsterdam")
MANAGERS = ["U01MGRB", "U01MGRI", "U01MGRS"]


def about(words: str):
    return lambda call: words in str(call.params.get("text", ""))


def block_texts(blocks: list[dict]) -> str:
    """All text in Block Kit blocks, to search in."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [field["text"] for field in block.get("fields", [])]
        found += [element["text"]["text"] for element in block.get("elements", []) if isinstance(element.get("text"), dict)]
        found += [element["text"] for element in block.get("elements", []) if isinstance(element.get("text"), str)]
    return "\n".join(found)


def dms(bot: SlackBot, words: str) -> list[Call]:
    return bot.fake.calls_to("chat.postMessage", about(words))


def send_at(bot: SlackBot, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    send_due_reminders(bot.ctx)
    bot.delivered()


def test_a_deadline_reminder_arrives_once_as_a_dm_with_a_gereed_button(slack_bot: SlackBot, clock: FakeClock) -> None:
    send_at(slack_bot, clock, datetime(2027, 3, 18, 9, 0, tzinfo=AMS))
    send_at(slack_bot, clock, datetime(2027, 3, 18, 10, 0, tzinfo=AMS))  # a second scheduler round sends nothing
    calls = dms(slack_bot, "Deelrapportage ENSIA")
    assert sorted(c.params["channel"] for c in calls) == MANAGERS
    blocks = next(c for c in calls if c.params["channel"] == "U01MGRB").params["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "⏰ Over 14 dagen: Deelrapportage ENSIA", "emoji": True}}
    text = block_texts(blocks)
    for expected in ("*Uiterlijk*\ndonderdag 1 april 2027, 17:00", "*Wie nog meer*\n<@U01MGRI>", "*Beleid*\n§8.1", "*Wat je doet:*"):
        assert expected in text
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert actions["elements"][0]["action_id"] == "remind.done|0"
    assert actions["elements"][0]["value"] == "ensia-deelrapportage|2027-04-01|U01MGRB"


def test_gereed_stops_the_reminders_and_the_ciso_gets_the_list_of_who_is_missing(slack_bot: SlackBot, clock: FakeClock) -> None:
    send_at(slack_bot, clock, datetime(2027, 3, 18, 9, 0, tzinfo=AMS))
    response = slack_bot.slack.button("U01MGRB", "remind.done|0", "ensia-deelrapportage|2027-04-01|U01MGRB")
    assert response.status == 200
    [update] = slack_bot.fake.wait_for("response_url")
    assert update.params["replace_original"] is True
    assert update.params["text"].startswith("✅ Gereed gemeld: Deelrapportage ENSIA (donderdag 1 april 2027, 17:00)")

    send_at(slack_bot, clock, datetime(2027, 3, 30, 9, 0, tzinfo=AMS))
    assert sorted(c.params["channel"] for c in dms(slack_bot, "Over 2 dagen: Deelrapportage")) == ["U01MGRI", "U01MGRS"]
    send_at(slack_bot, clock, datetime(2027, 4, 2, 9, 0, tzinfo=AMS))
    [report] = dms(slack_bot, "Deelrapportage ENSIA: nog niet gereed")
    assert report.params["channel"] == "U01CISO"
    listed = block_texts(report.params["blocks"])
    assert "(2 van 3)" in listed and "<@U01MGRI>" in listed and "<@U01MGRS>" in listed and "<@U01MGRB>" not in listed


def test_someone_else_cannot_press_my_gereed_button(slack_bot: SlackBot) -> None:
    slack_bot.slack.button("U01MGRS", "remind.done|0", "ensia-deelrapportage|2027-04-01|U01MGRB")
    [answer] = slack_bot.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral" and answer.params.get("replace_original") is False
    assert "alleen die kan dit gereed melden" in answer.params["text"]
    with slack_bot.ctx.db.session() as session:
        assert session.exec(select(DeliverableDone)).all() == []


def test_agenda_answers_only_the_asker(slack_bot: SlackBot, clock: FakeClock) -> None:
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=AMS))
    assert slack_bot.slack.command("/agenda", "", user_id="U01DSPOB").status == 200
    [answer] = slack_bot.fake.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    text = block_texts(answer.params["blocks"])
    assert "Informatieveiligheid- en privacyoverleg (§7.3) — als DSPO" in text
    assert "stem vooraf af met je afdelingsmanager" in text
    assert slack_bot.fake.calls_to("chat.postMessage") == []


def test_agenda_alles_for_everyone(slack_bot: SlackBot, clock: FakeClock) -> None:
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=AMS))
    slack_bot.slack.command("/agenda", "alles", user_id="U01EMP")
    [answer] = slack_bot.fake.wait_for("response_url")
    text = block_texts(answer.params["blocks"])
    assert "Opdrachtgever–opdrachtnemeroverleg (§7.3)\n    met bestuurlijk opdrachtgever <@U01WETH>" in text


def test_app_home_shows_my_agenda(slack_bot: SlackBot, clock: FakeClock) -> None:
    clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=AMS))
    slack_bot.slack.event({"type": "app_home_opened", "user": "U01MGRB", "tab": "home"})
    [publish] = slack_bot.fake.wait_for("views.publish")
    assert publish.params["user_id"] == "U01MGRB"
    text = block_texts(publish.params["view"]["blocks"])
    assert "Jouw agenda (komende 90 dagen)" in text and "Deelrapportage ENSIA (§8.1) — als afdelingsmanager — nog niet gereed" in text
