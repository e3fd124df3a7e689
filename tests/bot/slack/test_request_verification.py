"""Slack's signature check: unsigned, forged and stale requests are refused before anything happens."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func
from sqlmodel import select

from storage.audit import AuditEntry
from storage.inbox import ProcessedDelivery
from storage.outbox import OutboxMessage

COMMAND = urlencode({"command": "/meld", "text": "phishingmail ontvangen", "user_id": "U01EMP", "team_id": "T0001",
                     "response_url": "http://127.0.0.1:9/none", "trigger_id": "t"}).encode()
EVENT = json.dumps({"type": "event_callback", "event_id": "EvForged", "team_id": "T0001",
                    "event": {"type": "app_home_opened", "user": "U01EMP", "tab": "home"}}).encode()


def _rows(ctx, model) -> int:  # noqa: ANN001
    with ctx.db.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _counts(bot) -> list[int]:  # noqa: ANN001
    return [_rows(bot.ctx, model) for model in (ProcessedDelivery, OutboxMessage, AuditEntry)]


def _nothing_happened(bot, before: list[int]) -> None:  # noqa: ANN001
    time.sleep(0.3)  # give a (wrongly) started listener time to call Slack
    assert [m for m in bot.fake.methods() if m != "auth.test"] == []
    assert _counts(bot) == before


@pytest.mark.parametrize("body,content_type", [(COMMAND, "application/x-www-form-urlencoded"), (EVENT, "application/json")])
def test_unsigned_request_is_refused(slack_bot, body, content_type) -> None:  # noqa: ANN001
    before = _counts(slack_bot)
    response = slack_bot.slack.post(body, content_type, signed=False)
    assert response.status == 401
    _nothing_happened(slack_bot, before)


def test_forged_signature_is_refused(slack_bot) -> None:  # noqa: ANN001
    before = _counts(slack_bot)
    response = slack_bot.slack.post(COMMAND, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert response.status == 401
    _nothing_happened(slack_bot, before)


def test_signature_for_other_body_is_refused(slack_bot) -> None:  # noqa: ANN001
    before = _counts(slack_bot)
    stamp = int(time.time())
    other = slack_bot.slack.verifier.generate_signature(timestamp=str(stamp), body=b"text=iets+anders")
    response = slack_bot.slack.post(COMMAND, "application/x-www-form-urlencoded", timestamp=stamp, signature=other)
    assert response.status == 401
    _nothing_happened(slack_bot, before)


def test_stale_request_is_refused_even_with_a_valid_signature(slack_bot) -> None:  # noqa: ANN001
    before = _counts(slack_bot)
    six_minutes_ago = int(time.time()) - 6 * 60
    response = slack_bot.slack.post(EVENT, "application/json", timestamp=six_minutes_ago)
    assert response.status == 401
    _nothing_happened(slack_bot, before)


def test_signed_request_is_accepted(slack_bot) -> None:  # noqa: ANN001
    response = slack_bot.slack.post(EVENT, "application/json")
    assert response.status == 200
    slack_bot.fake.wait_for("views.publish")


def test_health_check_needs_no_signature(slack_bot) -> None:  # noqa: ANN001
    response = slack_bot.slack.request("GET", "/healthz")
    assert response.status == 200
    health = response.json()
    assert (health["status"], health["database"]) == ("ok", True)
    assert health.get("queue", {"waiting": 0})["waiting"] == 0  # with a work queue (serve --queue): nothing waits


def test_unknown_path_is_not_found(slack_bot) -> None:  # noqa: ANN001
    assert slack_bot.slack.request("GET", "/admin").status == 404
