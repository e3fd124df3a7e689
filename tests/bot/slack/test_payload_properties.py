"""Slack payloads with missing or odd fields, through the real HTTP app (signed requests, fake Slack).

Whatever arrives, the app answers at once with 200 or a clear 4xx (401 unsigned, 400 signed
but unusable, 404 for what nobody listens to), logs no crash, keeps working, and nothing it
sends anywhere pings anyone or carries markup from the request. Table-driven cases for
specific odd payloads, hypothesis (few examples: these are HTTP round trips) for the rest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.gate import problem_with
from tests.conftest import SIGNING_SECRET
from tests.support.slack_safety import CRASHED, assert_calls_safe, known_ids
from tests.support.user_text import USER_TEXT

FORM = "application/x-www-form-urlencoded"
OVER_HTTP = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NOT_A_CRASH = (200, 400, 401, 404)


def post_raw(bot, body: bytes, content_type: str, signed: bool = True) -> int:  # noqa: ANN001
    """Post bytes as Slack would, signed over the bytes themselves (they need not be UTF-8)."""
    stamp = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"} if signed else {}
    return bot.slack.post(body, content_type, signed=False, headers=headers).status


def interaction(bot, payload: Any) -> int:  # noqa: ANN001
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return post_raw(bot, urlencode({"payload": raw}).encode(), FORM)


def event(bot, body: Any) -> int:  # noqa: ANN001
    return post_raw(bot, json.dumps(body).encode(), "application/json")


def command(bot, form: dict[str, str]) -> int:  # noqa: ANN001
    return post_raw(bot, urlencode(form).encode(), FORM)


def still_works(bot, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    """The bot answers a normal question, logged no crash, and sent nothing that pings."""
    assert bot.slack.command("/wie", "wie stelt een DPIA op?", user_id="U01EMP", response_url=f"{bot.fake.base}/response/alive").status == 200
    # generous: the answer waits behind the work of every generated request (a few listener workers)
    answer = bot.fake.wait_for("response_url", where=lambda c: c.params["name"] == "alive", timeout=30)[-1]
    assert "DSPO" in answer.params["text"]
    time.sleep(0.2)  # lazy listeners of earlier requests finish
    crashes = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(("slack_bolt", "commands", "bot"))]
    assert not crashes, [f"{r.name}: {r.getMessage()}" for r in crashes]
    assert_calls_safe(bot.fake.calls, known_ids(bot.ctx) | {"U0NEW", "U0STRANGER"})  # real users, not in the roster
    for call in bot.fake.calls:
        assert CRASHED not in json.dumps(call.params, ensure_ascii=False)


USER = {"id": "U01EMP"}
VIEW = {"id": "V1", "type": "modal", "callback_id": "report.new", "private_metadata": "", "state": {"values": {}}}
TABLE: list[tuple[str, str, Any, tuple[int, ...]]] = [
    # (name, how, what, acceptable statuses)
    ("command without a user", "command", {"command": "/meld", "text": "x"}, (400,)),
    ("command without text or response_url", "command", {"command": "/meld", "user_id": "U01EMP"}, (200,)),
    ("command with an odd user id", "command", {"command": "/meld", "user_id": "<!channel>", "text": "x"}, (400,)),
    ("command with a 65-character user id", "command", {"command": "/meld", "user_id": "U" * 65, "text": "x"}, (400,)),
    ("unknown command", "command", {"command": "/onbekend", "user_id": "U01EMP", "text": "x"}, (404,)),
    ("command not starting with /", "command", {"command": "meld", "user_id": "U01EMP", "text": "x"}, (400,)),
    ("payload is not JSON", "interaction", "{niet json", (400,)),
    ("payload is null", "interaction", "null", (400,)),
    ("payload is a list", "interaction", "[]", (400,)),
    ("payload of an unknown type", "interaction", {"type": "wat"}, (404,)),
    ("block_actions without user or actions", "interaction", {"type": "block_actions"}, (400,)),
    ("block_actions with null user and actions", "interaction", {"type": "block_actions", "user": None, "actions": None}, (400,)),
    ("block_actions with a user that is text", "interaction", {"type": "block_actions", "user": "U01EMP", "actions": []}, (400,)),
    ("action without a value", "interaction", {"type": "block_actions", "user": USER, "actions": [{"action_id": "report.view|0"}]}, (200,)),
    ("unknown action id", "interaction", {"type": "block_actions", "user": USER, "actions": [{"action_id": "zzz|0", "value": "x"}]}, (200,)),
    ("action value that is an object", "interaction",
     {"type": "block_actions", "user": USER, "actions": [{"action_id": "report.view|0", "value": {"a": 1}}]}, (400,)),
    ("action value that is garbage", "interaction",
     {"type": "block_actions", "user": USER, "actions": [{"action_id": "report.take|0", "value": "'; DROP TABLE report;--<!channel>"}]}, (200,)),
    ("button of a crisis with a garbage value", "interaction",
     {"type": "block_actions", "user": USER, "actions": [{"action_id": "crisis.ack|0", "value": "CRISIS-9999-999999"}]}, (200,)),
    ("view without state", "interaction", {"type": "view_submission", "user": USER, "view": {**VIEW, "state": None}}, (200,)),
    ("view without a type", "interaction", {"type": "view_submission", "user": USER, "view": {"callback_id": "report.new"}}, (400,)),
    ("view state with a null block", "interaction",
     {"type": "view_submission", "user": USER, "view": {**VIEW, "state": {"values": {"what": None}}}}, (400,)),
    ("view value that is a number", "interaction", {"type": "view_submission", "user": USER, "view": {
        **VIEW, "state": {"values": {"what": {"value": {"type": "plain_text_input", "value": 5}}}}}}, (400,)),
    ("view of an unknown form", "interaction", {"type": "view_submission", "user": USER, "view": {**VIEW, "callback_id": "zzz"}}, (200,)),
    ("view submission without a user", "interaction", {"type": "view_submission", "view": VIEW}, (400,)),
    ("view with forged private metadata", "interaction", {"type": "view_submission", "user": USER, "view": {
        **VIEW, "callback_id": "report.close", "private_metadata": "MELD-2026-0001<!channel>",
        "state": {"values": {"outcome": {"value": {"type": "static_select", "selected_option": {"value": "afgehandeld"}}}}}}}, (200,)),
    ("shortcut on a message that is null", "interaction",
     {"type": "message_action", "callback_id": "report_message", "user": USER, "message": None}, (200,)),
    ("shortcut with null text and channel", "interaction",
     {"type": "message_action", "callback_id": "report_message", "user": USER, "message": {"text": None}, "channel": None}, (400,)),
    ("shortcut with an odd channel and ts", "interaction",
     {"type": "message_action", "callback_id": "report_message", "user": USER, "channel": {"id": "C1|<!channel>"},
      "team": {"domain": "evil.example/x"}, "message": {"text": "<!here> kijk", "ts": "1.2|x", "user": "<@U01CISO>"}}, (200,)),
    ("app_mention without anything", "event", {"type": "event_callback", "event": {"type": "app_mention"}}, (200,)),
    ("app_mention with null text", "event",
     {"type": "event_callback", "event": {"type": "app_mention", "user": "U01EMP", "text": None, "channel": "C1"}}, (200,)),
    ("app_mention with a number as text", "event",
     {"type": "event_callback", "event": {"type": "app_mention", "user": "U01EMP", "text": 5, "channel": "C1"}}, (400,)),
    ("direct message without text or channel", "event",
     {"type": "event_callback", "event": {"type": "message", "channel_type": "im", "user": "U01EMP"}}, (200,)),
    ("app_home_opened without a user", "event", {"type": "event_callback", "event": {"type": "app_home_opened"}}, (200,)),
    ("unknown event type", "event", {"type": "event_callback", "event": {"type": "unknown_thing", "user": "U01EMP"}}, (404,)),
    ("event that is null", "event", {"type": "event_callback", "event": None}, (400,)),
    ("event_callback without event", "event", {"type": "event_callback"}, (400,)),
    ("event id of 300 characters", "event", {"type": "event_callback", "event_id": "Ev" * 150, "event": {"type": "app_home_opened", "user": "U01EMP"}}, (400,)),
    ("event body that is a list", "event", [], (400,)),
    ("event body that is text", "event", "x", (400,)),
    ("url_verification", "event", {"type": "url_verification", "challenge": "abc"}, (200,)),
]


def test_specific_odd_payloads_get_a_clear_answer(slack_bot, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    caplog.set_level(logging.WARNING)
    send = {"command": command, "interaction": interaction, "event": event}
    for name, how, what, expected in TABLE:
        assert send[how](slack_bot, what) in expected, name
    assert post_raw(slack_bot, b"\xff\xfe payload=\x00", FORM) == 401  # a signature over bytes that are not text
    assert post_raw(slack_bot, b"payload=" + b"x" * 1_100_000, FORM) == 413
    assert post_raw(slack_bot, b"{niet json", "application/json") == 400
    assert post_raw(slack_bot, b"payload=null", FORM, signed=False) == 401
    still_works(slack_bot, caplog)


ACTION_IDS = st.sampled_from(["report.view|0", "report.take|1", "report.close|2", "report.reveal|0", "report.ap|0", "report.new|0",
                              "crisis.ack|0", "crisis.convene|1", "crisis.from_report|0", "remind.done|0", "zzz|0", "", "|"])
ODD = st.none() | st.integers() | st.booleans() | USER_TEXT | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2)
USERS = st.sampled_from([{"id": "U01EMP"}, {"id": "U01CISO"}, {"id": "U0STRANGER"}]) | ODD
VALUES = st.sampled_from(["MELD-2026-0001", "CRISIS-2026-0001", "remind:x:2026-01-01"]) | ODD
ELEMENTS = st.fixed_dictionaries(
    {"type": st.sampled_from(["plain_text_input", "static_select", "datepicker", "radio_buttons"])},
    optional={"value": VALUES, "selected_option": st.fixed_dictionaries({"value": VALUES}) | ODD, "selected_date": VALUES},
)
STATE = st.dictionaries(st.sampled_from(["what", "category", "outcome", "note", "text", "person", "x"]),
                        st.fixed_dictionaries({"value": ELEMENTS}) | ODD, max_size=4)
VIEWS = st.fixed_dictionaries(
    {"type": st.just("modal"), "callback_id": st.sampled_from(["report.new", "report.close", "report.amend", "report.ap", "report.assign", "zzz"])},
    optional={"private_metadata": VALUES, "state": STATE.map(lambda values: {"values": values}) | ODD},
) | ODD


@OVER_HTTP
@given(data=st.data())
def _interactions(bot, data: st.DataObject) -> None:  # noqa: ANN001
    kind = data.draw(st.sampled_from(["block_actions", "view_submission", "message_action", "view_closed", "shortcut", "wat"]))
    payload: dict[str, Any] = {"type": kind, "user": data.draw(USERS), "trigger_id": data.draw(st.sampled_from(["t1", None, 5]))}
    if kind == "block_actions":
        payload["actions"] = data.draw(st.lists(st.fixed_dictionaries({"action_id": ACTION_IDS, "value": VALUES}), max_size=2) | ODD)
        payload["response_url"] = f"{bot.fake.base}/response/prop"
    elif kind.startswith("view"):
        payload["view"] = data.draw(VIEWS)
    else:
        payload["callback_id"] = data.draw(st.sampled_from(["report_message", "zzz"]) | ODD)
        payload["message"] = data.draw(st.fixed_dictionaries({}, optional={"text": USER_TEXT | ODD, "ts": VALUES, "user": VALUES}) | ODD)
        payload["channel"] = data.draw(st.fixed_dictionaries({"id": VALUES}) | ODD)
    assert interaction(bot, payload) in NOT_A_CRASH


@OVER_HTTP
@given(data=st.data())
def _events(bot, data: st.DataObject) -> None:  # noqa: ANN001
    inner = data.draw(st.fixed_dictionaries({"type": st.sampled_from(["app_mention", "message", "app_home_opened", "reaction_added"]) | ODD},
                                            optional={"user": USERS.map(lambda u: u.get("id") if isinstance(u, dict) else u),
                                                      "text": USER_TEXT | ODD, "channel": st.sampled_from(["C0GENERAL", "DU01EMP"]) | ODD,
                                                      "channel_type": st.sampled_from(["im", "channel"]) | ODD, "subtype": ODD,
                                                      "tab": st.sampled_from(["home", "messages"]) | ODD}))
    body = {"type": data.draw(st.sampled_from(["event_callback", "event_callback", "app_rate_limited"]) | ODD), "event": inner,
            "event_id": data.draw(st.text(max_size=10).map(lambda s: f"EvP{s}") | ODD)}
    assert event(bot, body) in NOT_A_CRASH


@OVER_HTTP
@given(name=st.sampled_from(["/wie", "/meld", "/crisis", "/agenda"]), text=USER_TEXT, user=st.sampled_from(["U01EMP", "U01CISO", "U0NEW"]))
def _commands(bot, name: str, text: str, user: str) -> None:  # noqa: ANN001
    assert bot.slack.command(name, text, user_id=user).status == 200


@pytest.mark.parametrize("kind", ["interactions", "events", "commands"])
def test_generated_payloads_get_a_clear_answer(slack_bot, caplog: pytest.LogCaptureFixture, kind: str) -> None:  # noqa: ANN001
    caplog.set_level(logging.WARNING)
    slack_bot.slack.command("/meld", "phishingmail ontvangen", user_id="U01EMP")  # MELD-2026-0001, for buttons to find
    {"interactions": _interactions, "events": _events, "commands": _commands}[kind](slack_bot)
    still_works(slack_bot, caplog)


def test_text_from_slack_is_stored_as_typed(slack_bot) -> None:  # noqa: ANN001
    """Slack sends `&`, `<` and `>` escaped in command and message text; the register keeps what was typed."""
    typed = "R&D: 3 < 4 > 2 &amp; <!channel>"
    slack_escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    slack_bot.slack.command("/meld", slack_escaped, user_id="U01EMP")
    slack_bot.fake.wait_for("response_url")
    from tests.support.reports import report

    assert report(slack_bot.ctx, "MELD-2026-0001").text == typed


# Payloads as Slack sends them (fields as in Slack's documentation, ids made up): the gate lets them through.
FULL_BLOCK_ACTIONS = {
    "type": "block_actions", "user": {"id": "U01CISO", "username": "sanne", "name": "sanne", "team_id": "T0001"},
    "api_app_id": "A0001", "token": "legacy", "trigger_id": "123.456.abc", "team": {"id": "T0001", "domain": "gemeente"},
    "enterprise": None, "is_enterprise_install": False,
    "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "D0CISO", "is_ephemeral": False},
    "channel": {"id": "D0CISO", "name": "directmessage"},
    "message": {"type": "message", "user": "UBOT", "ts": "1700000000.000100", "bot_id": "B1", "text": "Melding MELD-2026-0001",
                "blocks": [{"type": "section", "block_id": "x", "text": {"type": "mrkdwn", "text": "hoi"}}]},
    "state": {"values": {}}, "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
    "actions": [{"action_id": "report.take|0", "block_id": "b1", "text": {"type": "plain_text", "text": "Neem"},
                 "value": "MELD-2026-0001", "style": "primary", "type": "button", "action_ts": "1700000001.000200"}],
}
FULL_VIEW_SUBMISSION = {
    "type": "view_submission", "team": {"id": "T0001", "domain": "gemeente"}, "user": {"id": "U01EMP", "team_id": "T0001"},
    "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.3", "is_enterprise_install": False, "enterprise": None,
    "view": {"id": "V1", "team_id": "T0001", "type": "modal", "callback_id": "report.new", "private_metadata": "abc",
             "title": {"type": "plain_text", "text": "Melding doen"}, "blocks": [], "hash": "1.x", "root_view_id": "V1",
             "previous_view_id": None, "app_installed_team_id": "T0001", "bot_id": "B1", "external_id": "", "close": None,
             "state": {"values": {"category": {"value": {"type": "static_select", "selected_option": {
                 "text": {"type": "plain_text", "text": "Phishing"}, "value": "phishing"}}},
                 "discovered_date": {"value": {"type": "datepicker", "selected_date": None}},
                 "people_affected": {"value": {"type": "number_input", "value": None}}}}},
    "response_urls": [],
}
FULL_HOME_OPENED = {
    "token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback", "event_id": "Ev1", "event_time": 1,
    "authorizations": [{"enterprise_id": None, "team_id": "T0001", "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
    "is_ext_shared_channel": False, "event_context": "4-abc",
    "event": {"type": "app_home_opened", "user": "U01EMP", "channel": "D0EMP", "tab": "home", "event_ts": "1.2",
              "view": {"id": "V2", "team_id": "T0001", "type": "home", "blocks": [], "private_metadata": "", "callback_id": "",
                       "state": {"values": {}}, "hash": "h", "title": {"type": "plain_text", "text": "Home"}, "close": None,
                       "submit": None, "previous_view_id": None, "root_view_id": "V2", "app_id": "A0001", "external_id": "",
                       "app_installed_team_id": "T0001", "bot_id": "B1"}},
}
FULL_MESSAGE_CHANGED = {
    "type": "event_callback", "team_id": "T0001", "event_id": "Ev2",
    "event": {"type": "message", "subtype": "message_changed", "channel": "D0EMP", "channel_type": "im", "hidden": True, "ts": "1.3",
              "message": {"type": "message", "user": "U01EMP", "text": "nieuw", "ts": "1.1", "edited": {"user": "U01EMP", "ts": "1.3"}},
              "previous_message": {"type": "message", "user": "U01EMP", "text": "oud", "ts": "1.1"}},
}


@pytest.mark.parametrize("body,content_type", [
    (urlencode({"payload": json.dumps(FULL_BLOCK_ACTIONS)}).encode(), FORM),
    (urlencode({"payload": json.dumps(FULL_VIEW_SUBMISSION)}).encode(), FORM),
    (json.dumps(FULL_HOME_OPENED).encode(), "application/json"),
    (json.dumps(FULL_MESSAGE_CHANGED).encode(), "application/json"),
    (urlencode({"command": "/meld", "text": "x", "user_id": "U01EMP", "team_id": "T0001", "channel_id": "C1",
                "response_url": "https://hooks.slack.com/commands/1", "trigger_id": "1.2"}).encode(), FORM),
    (b"ssl_check=1&token=legacy", FORM),
])
def test_payloads_as_slack_sends_them_pass_the_gate(body: bytes, content_type: str) -> None:
    assert problem_with(body, content_type) is None


@settings(max_examples=200, deadline=None)
@given(body=st.fixed_dictionaries({}, optional={
    "message": st.fixed_dictionaries({}, optional={"text": USER_TEXT | ODD, "ts": VALUES | st.just("1700000000.000100"),
                                                   "user": VALUES | st.just("U01EMP2")}) | ODD,
    "channel": st.fixed_dictionaries({}, optional={"id": VALUES | st.just("C0GENERAL")}) | ODD,
    "team": st.fixed_dictionaries({}, optional={"domain": VALUES | st.just("gemeente")}) | ODD,
}))
def test_the_reported_message_link_and_author_are_only_slack_shaped(body: dict[str, Any]) -> None:
    from bot.slack.listeners.shortcuts import shared_message

    shared = shared_message(body)
    assert shared.link == "" or re.fullmatch(r"https://[a-z0-9-]+\.slack\.com/archives/[A-Z0-9]+/p[0-9]+", shared.link)
    assert shared.author == "" or re.fullmatch(r"[A-Z0-9]+", shared.author)
    assert isinstance(shared.text, str)
