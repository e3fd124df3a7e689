"""Reporting over signed Slack requests: /meld, the form, the shortcut, buttons and App Home,
with the fake Slack API's recorded calls as the proof of what people got to see."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storage.db import Database
from tests.support.fake_slack_api import Call
from tests.support.reports import UNREACHABLE, all_reports, report


def _shown(call: Call) -> str:
    """All a person sees of a recorded message or view: fallback text and blocks, as sent."""
    return json.dumps({k: call.params.get(k) for k in ("text", "blocks", "view")}, ensure_ascii=False)


def _dms(bot, user: str, count: int = 1) -> list[Call]:  # noqa: ANN001
    return bot.fake.wait_for("chat.postMessage", count, where=lambda c: c.params.get("channel") == user)


def _reply(bot, name_prefix: str = "cmd") -> Call:  # noqa: ANN001
    return bot.fake.wait_for("response_url", where=lambda c: c.params["name"].startswith(name_prefix))[-1]


def _select(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def _radio(value: str) -> dict[str, Any]:
    return {"type": "radio_buttons", "selected_option": {"value": value}}


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def test_slash_meld_files_replies_privately_and_routes(slack_bot) -> None:  # noqa: ANN001
    text = "Phishing <!channel> van <@U01CISO> met link <https://evil.example|klik> & 🎣"
    assert slack_bot.slack.command("/meld", text, user_id="U01EMP").status == 200

    reply = _reply(slack_bot)
    assert reply.params["response_type"] == "ephemeral"
    assert "MELD-2026-0001" in reply.params["text"]
    slack_bot.delivered()
    for user in ("U01CISO", "U01DSPOB"):
        card = _shown(_dms(slack_bot, user)[0])
        assert "&lt;!channel&gt;" in card and "&lt;@U01CISO&gt;" in card and "&amp; 🎣" in card
        assert "<!channel>" not in card and "<https://evil" not in card
    assert report(slack_bot.ctx, "MELD-2026-0001").text == text
    assert not slack_bot.fake.calls_to("chat.postMessage", where=lambda c: c.params.get("channel") == "U01EMP2")


def test_a_slash_command_of_4000_plus_characters_is_kept_whole(slack_bot) -> None:  # noqa: ANN001
    text = ("Heel lang verhaal over een laptop die kwijt is & <meer>. " * 90)[:4400]
    slack_bot.slack.command("/meld", text, user_id="U01EMP")

    _reply(slack_bot)
    slack_bot.delivered()
    card = _dms(slack_bot, "U01CISO")[0]
    assert all(len(b["text"]["text"]) <= 3000 for b in card.params["blocks"] if b["type"] == "section" and "text" in b)
    assert report(slack_bot.ctx, "MELD-2026-0001").text == text


def test_meld_alone_opens_the_form_and_its_submission_is_filed_once(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "", user_id="U01EMP2")
    view = slack_bot.fake.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == "report.new"
    values = {"category": _select("datalek"), "what": _text("40 dossiers naar de verkeerde gemeente gemaild"),
              "discovered_date": {"type": "datepicker", "selected_date": "2026-11-30"}, "discovered_time": _text("08:15"),
              "department": _select("Sociaal Domein"), "personal_data": _radio("ja"),
              "people_affected": {"type": "number_input", "value": "40"}, "severity": _select("hoog"), "anonymous": _radio("nee")}

    for _ in range(2):  # a double submit
        assert slack_bot.slack.submit_view("U01EMP2", "report.new", values, view["private_metadata"]).status == 200
    receipts = _dms(slack_bot, "U01EMP2", 2)
    assert all("MELD-2026-0001" in c.params["text"] for c in receipts)

    slack_bot.delivered()
    assert len(all_reports(slack_bot.ctx)) == 1
    fg = _shown(_dms(slack_bot, "U01FG")[0])
    assert "uiterlijk do 3 december 08:15" in fg and "ongeveer 40 personen" in fg


def test_the_form_refuses_a_bad_time_with_the_field_named(slack_bot) -> None:  # noqa: ANN001
    values = {"category": _select("phishing"), "what": _text("mail"), "discovered_time": _text("half negen"),
              "personal_data": _radio("nee"), "severity": _select("middel"), "anonymous": _radio("nee")}

    response = slack_bot.slack.submit_view("U01EMP", "report.new", values, "filing-1")

    assert response.json() == {"response_action": "errors", "errors": {"discovered_time": "Geef de tijd als UU:MM, bijvoorbeeld 14:30."}}
    assert all_reports(slack_bot.ctx) == []


def test_meld_als_onveilig_reports_the_message_with_its_link(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.interaction({
        "type": "message_action", "callback_id": "report_message", "trigger_id": "t1", "user": {"id": "U01EMP"},
        "channel": {"id": "C0GENERAL"}, "response_url": f"{slack_bot.fake.base}/response/short1",
        "message": {"type": "message", "user": "U01EMP2", "ts": "1700000000.000100", "text": "wachtwoord van de balie: Lente2026!"},
    })

    assert "MELD-2026-0001" in _reply(slack_bot, "short").params["text"]
    stored = report(slack_bot.ctx, "MELD-2026-0001")
    assert stored.source_link == "https://gemeente.slack.com/archives/C0GENERAL/p1700000000000100"
    assert (stored.text, stored.source_author, stored.category) == ("wachtwoord van de balie: Lente2026!", "U01EMP2", "onveilig-gedrag")
    slack_bot.delivered()
    assert "het gemelde bericht" in _shown(_dms(slack_bot, "U01MGRB")[0])


def test_taking_it_updates_everyones_direct_message(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "phishingmail", user_id="U01EMP")
    slack_bot.delivered()
    _dms(slack_bot, "U01CISO")

    slack_bot.slack.button("U01DSPOB", "report.take|0", "MELD-2026-0001")

    assert "in behandeling genomen" in _reply(slack_bot, "btn").params["text"]
    slack_bot.delivered()
    updates = slack_bot.fake.wait_for("chat.update", 2)
    ciso_update = next(c for c in updates if c.params["channel"] == "DU01CISO")  # the DM the CISO got
    assert "in behandeling" in _shown(ciso_update) and "In behandeling nemen" not in _shown(ciso_update)


@pytest.mark.parametrize("action", ["report.take", "report.close", "report.view", "report.reveal", "report.assign"])
def test_a_forged_button_from_someone_else_changes_and_shows_nothing(slack_bot, action) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "phishing met BSN-lijst", user_id="U01EMP")
    _reply(slack_bot)
    slack_bot.delivered()

    slack_bot.slack.button("U01EMP2", f"{action}|0", "MELD-2026-0001")

    answer = _reply(slack_bot, "btn").params["text"]
    assert "niet gevonden" in answer or "Alleen de CISO" in answer
    assert "BSN" not in answer
    assert report(slack_bot.ctx, "MELD-2026-0001").status == "nieuw"
    assert not slack_bot.fake.calls_to("views.open")
    slack_bot.delivered()
    assert not slack_bot.fake.calls_to("chat.update")


def test_a_forged_form_submission_changes_nothing(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "phishing", user_id="U01EMP")
    _reply(slack_bot)

    slack_bot.slack.submit_view("U01EMP2", "report.close", {"outcome": _select("afgewezen"), "note": _text("weg ermee")},
                                "MELD-2026-0001")

    assert "niet gevonden" in _dms(slack_bot, "U01EMP2")[0].params["text"]
    assert report(slack_bot.ctx, "MELD-2026-0001").status == "nieuw"


def test_app_home_shows_own_reports_and_to_handlers_what_they_may_see(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "phishing", user_id="U01EMP")
    _reply(slack_bot)
    slack_bot.slack.command("/meld", "wachtwoord gedeeld", user_id="U01EMP2")
    slack_bot.fake.wait_for("response_url", 2)

    for user, sees, not_sees in (("U01EMP", "MELD-2026-0001", "MELD-2026-0002"), ("U01DSPOS", "MELD-2026-0002", "MELD-2026-0001"),
                                 ("U01GSEC", None, "MELD-2026-")):
        slack_bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
        view = _shown(slack_bot.fake.wait_for("views.publish", where=lambda c, u=user: c.params["user_id"] == u)[0])
        assert sees is None or sees in view
        assert not_sees not in view


def test_a_button_in_app_home_answers_by_direct_message(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "phishing", user_id="U01EMP")
    _reply(slack_bot)

    slack_bot.slack.interaction({"type": "block_actions", "user": {"id": "U01CISO"}, "trigger_id": "t9",
                                 "container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "home"},
                                 "actions": [{"type": "button", "action_id": "report.view|0", "value": "MELD-2026-0001"}]})

    slack_bot.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "U01CISO" and "Tijdlijn" in _shown(c))


def test_when_the_database_is_down_the_reporter_is_told_and_nothing_is_lost(slack_bot) -> None:  # noqa: ANN001
    ctx = slack_bot.ctx
    working = ctx.db
    ctx.db = Database(UNREACHABLE)
    try:
        slack_bot.slack.command("/meld", "laptop gestolen <uit> de auto", user_id="U01EMP")
        answer = _reply(slack_bot).params
    finally:
        ctx.db = working
    assert "niet bereikbaar" in answer["text"] and "&lt;uit&gt;" in json.dumps(answer["blocks"])

    slack_bot.slack.command("/meld", "phishing", user_id="U01EMP2")
    slack_bot.fake.wait_for("response_url", 2)
    slack_bot.delivered()

    assert [r.text for r in all_reports(ctx)] == ["laptop gestolen <uit> de auto", "phishing"]
    late = _dms(slack_bot, "U01EMP")[0]
    assert "MELD-2026-0001" in late.params["text"] and "staat nu in het register" in _shown(late)
