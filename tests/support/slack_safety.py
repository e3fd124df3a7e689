"""Checks shared by the property tests: what the bot says is something Slack accepts, and
nothing a user typed became markup (a mention, `@channel`, a link) on the way.

Slack's limits are written out here, independently of `bot.slack.blocks`, so a change
there that breaks them is caught. "Markup" is any `<…>` in a mrkdwn text; the only ones
the bot itself writes are mentions of people (`<@U…>`) and, for a reported message, a
link to it. `KNOWN` ids are the ones the bot may mention; user text in the tests uses
other ids (`UEVIL…`), so a leaked mention can never pass for a legitimate one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select

from bot.slack.blocks import form_view, message_args
from commands.context import Context
from commands.messages import Form, Message, Result
from storage.outbox import OutboxMessage

CRASHED = "Er ging iets mis aan onze kant"  # router.guarded's answer to an unhandled exception
UNREACHABLE = "Het register is even niet bereikbaar"

# Block Kit limits (https://api.slack.com/reference/block-kit): per message, per block, per element.
MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS = 50, 100
SECTION_TEXT, FIELD_TEXT, MAX_FIELDS = 3000, 2000, 10
HEADER_TEXT = 150
MAX_ACTION_ELEMENTS, BUTTON_TEXT, BUTTON_VALUE, ACTION_ID = 25, 75, 2000, 255
CONFIRM_TEXT = 300
MAX_CONTEXT_ELEMENTS = 10
FALLBACK_TEXT = 40_000  # chat.postMessage `text`; the bot cuts at 3000 itself
INPUT_LABEL, INPUT_HINT, OPTION_TEXT, OPTION_VALUE, MAX_OPTIONS = 2000, 2000, 75, 150, 100
MODAL_TITLE, PRIVATE_METADATA, TEXT_INPUT_MAX = 24, 3000, 3000

MENTION = re.compile(r"<@([A-Z0-9]+)>")
OWN_LINK = re.compile(r"<https://[a-z0-9-]+\.slack\.com/archives/[A-Za-z0-9]+/p[0-9]+\|het gemelde bericht>")


def known_ids(ctx: Context) -> set[str]:
    """Everyone in the roster (active or not): the people the bot may mention."""
    from storage.people import Person

    with ctx.db.session() as session:
        return set(session.exec(select(Person.id)))


def assert_not_crashed(result: Result) -> None:
    for message in result.messages + ([result.update] if result.update else []):
        assert CRASHED not in message.text, f"the use case crashed: {message.text}"
        assert UNREACHABLE not in message.text, f"the database was unreachable: {message.text}"


def assert_result_safe(result: Result, known: set[str]) -> None:
    """No crash, every message within Slack's limits and free of user markup, any form valid."""
    assert_not_crashed(result)
    for message in result.messages + ([result.update] if result.update else []):
        assert_message_safe(message, known)
    if result.form:
        assert_form_safe(result.form)


def assert_message_safe(message: Message, known: set[str]) -> None:
    args = message_args(message)
    assert 0 < len(args["text"]) <= FALLBACK_TEXT
    assert_markup_free(args["text"], known)
    for text in block_texts(args["blocks"], MAX_MESSAGE_BLOCKS):
        assert_markup_free(text, known)


def assert_markup_free(mrkdwn: str, known: set[str]) -> None:
    """Only mentions of known people and the bot's own links; nothing else in angle brackets."""
    for found in MENTION.finditer(mrkdwn):
        assert found.group(1) in known, f"mention of an unknown id {found.group(0)!r} in {mrkdwn[:300]!r}"
    rest = OWN_LINK.sub("", MENTION.sub("", mrkdwn))
    assert "<" not in rest and ">" not in rest, f"markup from user text in {mrkdwn[:300]!r}"
    assert "<!" not in mrkdwn


def block_texts(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    """Check each block against Slack's limits; return the mrkdwn texts in them."""
    assert len(blocks) <= max_blocks, f"{len(blocks)} blocks"
    texts: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            assert block["text"]["type"] == "plain_text" and 0 < len(block["text"]["text"]) <= HEADER_TEXT
        elif kind == "section":
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= SECTION_TEXT, len(block["text"]["text"])
                texts.append(block["text"]["text"])
            fields = block.get("fields", [])
            assert len(fields) <= MAX_FIELDS
            for item in fields:
                assert 0 < len(item["text"]) <= FIELD_TEXT
                texts.append(item["text"])
            assert "text" in block or fields
        elif kind == "actions":
            assert 0 < len(block["elements"]) <= MAX_ACTION_ELEMENTS
            ids = [element["action_id"] for element in block["elements"]]
            assert len(set(ids)) == len(ids)
            for element in block["elements"]:
                assert 0 < len(element["text"]["text"]) <= BUTTON_TEXT
                assert len(element.get("value", "")) <= BUTTON_VALUE and len(element["action_id"]) <= ACTION_ID
                if "confirm" in element:
                    assert len(element["confirm"]["text"]["text"]) <= CONFIRM_TEXT
                    texts.append(element["confirm"]["text"]["text"])
        elif kind == "context":
            assert 0 < len(block["elements"]) <= MAX_CONTEXT_ELEMENTS
            for element in block["elements"]:
                assert 0 < len(element["text"]) <= SECTION_TEXT
                texts.append(element["text"])
        elif kind == "input":
            assert 0 < len(block["label"]["text"]) <= INPUT_LABEL
            assert len(block.get("hint", {}).get("text", "")) <= INPUT_HINT
            element = block["element"]
            for option in element.get("options", []):
                assert 0 < len(option["text"]["text"]) <= OPTION_TEXT and 0 < len(option["value"]) <= OPTION_VALUE
            assert len(element.get("options", [])) <= MAX_OPTIONS
            assert element.get("max_length", 0) <= TEXT_INPUT_MAX
        else:
            assert kind == "divider", f"unexpected block type {kind}"
    return texts


def assert_form_safe(form: Form) -> None:
    view = form_view(form)
    assert 0 < len(view["title"]["text"]) <= MODAL_TITLE and 0 < len(view["submit"]["text"]) <= MODAL_TITLE
    assert len(view["private_metadata"]) <= PRIVATE_METADATA
    block_texts(view["blocks"], MAX_VIEW_BLOCKS)


def last_outbox_id(ctx: Context) -> int:
    with ctx.db.session() as session:
        return session.exec(select(OutboxMessage.id).order_by(col(OutboxMessage.id).desc())).first() or 0


def outbox_after(ctx: Context, after_id: int) -> list[OutboxMessage]:
    with ctx.db.session() as session:
        return list(session.exec(select(OutboxMessage).where(col(OutboxMessage.id) > after_id).order_by(OutboxMessage.id)))


def assert_outbox_safe(ctx: Context, after_id: int, known: set[str]) -> list[OutboxMessage]:
    """Every message put in the outbox since `after_id` is safe to send; returns those rows."""
    rows = outbox_after(ctx, after_id)
    for row in rows:
        assert_message_safe(Message.from_dict(row.payload["message"]), known)
        for member in row.payload.get("members", []):
            assert member in known, f"outbox row {row.key} adds an unknown id {member!r} to a room"
        if row.kind == "direct":
            assert row.recipient in known, f"outbox row {row.key} goes to an unknown id {row.recipient!r}"
    return rows


def assert_calls_safe(calls: Iterable[Any], known: set[str]) -> None:
    """Recorded fake-Slack calls (messages, views, responses) carry no user markup."""
    for call in calls:
        params = call.params
        if isinstance(params.get("text"), str):
            assert_markup_free(params["text"], known)
        blocks = params.get("blocks") or (params.get("view") or {}).get("blocks") or []
        if isinstance(blocks, list):
            limit = MAX_VIEW_BLOCKS if params.get("view") else MAX_MESSAGE_BLOCKS
            for text in block_texts(blocks, limit):
                assert_markup_free(text, known)
