"""Block Kit rendering stays within Slack's limits and never turns user text into markup."""

from __future__ import annotations

from bot.slack.blocks import (
    form_values,
    form_view,
    message_args,
    message_blocks,
    parse_action_id,
)
from commands.messages import Button, Choice, Fields, Form, FormField, Message
from commands.text import escape


def test_user_text_cannot_ping_or_link() -> None:
    typed = "<!channel> <@U01CISO> <https://evil.example|klik> & 'DROP TABLE report;--"
    [section] = message_blocks(Message(text="x", blocks=[escape(typed)]))
    rendered = section["text"]["text"]
    assert "<" not in rendered and ">" not in rendered
    assert rendered.startswith("&lt;!channel&gt; &lt;@U01CISO&gt;")
    assert "&amp; 'DROP TABLE" in rendered


def test_long_text_is_split_into_sections_without_breaking_entities() -> None:
    text = escape("a&b " * 3000)  # 12,000 characters typed, more after escaping
    blocks = message_blocks(Message(text="x", blocks=[text]))
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert "".join(b["text"]["text"] for b in blocks).replace(" ", "") == text.replace(" ", "")
    assert all(not b["text"]["text"].rstrip().endswith(("&", "&a", "&am", "&amp")) for b in blocks)


def test_never_more_than_fifty_blocks_and_buttons_stay() -> None:
    message = Message(text="x", blocks=[f"regel {n}" for n in range(80)], buttons=[Button("OK", "a.b", "1")])
    blocks = message_blocks(message)
    assert len(blocks) <= 50
    assert blocks[-1]["type"] == "actions"


def test_fallback_text_is_cut_safely() -> None:
    args = message_args(Message(text="&amp;" * 1000))
    assert len(args["text"]) <= 3000
    assert args["text"].endswith("&amp;…")


def test_title_header_and_fields() -> None:
    blocks = message_blocks(Message(text="x", title="Melding &amp; meer " + "x" * 200, blocks=[Fields((("Status", "nieuw"),))]))
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("Melding & meer")  # plain text: no entities
    assert len(blocks[0]["text"]["text"]) <= 150
    assert blocks[1]["fields"][0]["text"] == "*Status*\nnieuw"


def test_buttons_get_unique_action_ids_that_route_back() -> None:
    buttons = [Button("Neem", "report.take", "MELD-1"), Button("Sluit", "report.close", "MELD-1", style="danger", confirm="Zeker?")]
    [actions] = [b for b in message_blocks(Message(text="x", buttons=buttons)) if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == 2
    assert [parse_action_id(i) for i in ids] == ["report.take", "report.close"]
    assert actions["elements"][1]["confirm"]["text"]["text"] == "Zeker?"


def test_form_round_trip() -> None:
    form = Form("report.form", "Melding doen (een te lange titel)", (
        FormField("category", "Soort", "choice", (Choice("phishing", "Phishing"), Choice("datalek", "Datalek")), default="phishing"),
        FormField("what", "Wat is er gebeurd?", "multiline", max_length=10_000),
        FormField("anonymous", "Anoniem?", "yesno", default="nee"),
        FormField("when", "Wanneer?", "date", optional=True),
        FormField("people", "Hoeveel mensen?", "number", optional=True),
    ), context="ctx-1")
    view = form_view(form)
    assert len(view["title"]["text"]) <= 24
    assert view["private_metadata"] == "ctx-1"
    assert view["blocks"][1]["element"]["max_length"] == 3000  # Slack's maximum
    state = {"values": {
        "category": {"value": {"type": "static_select", "selected_option": {"value": "datalek"}}},
        "what": {"value": {"type": "plain_text_input", "value": "Mail naar verkeerde adres"}},
        "anonymous": {"value": {"type": "radio_buttons", "selected_option": None}},
        "when": {"value": {"type": "datepicker", "selected_date": "2026-11-29"}},
        "people": {"value": {"type": "number_input", "value": None}},
    }}
    assert form_values(state) == {"category": "datalek", "what": "Mail naar verkeerde adres", "anonymous": "", "when": "2026-11-29", "people": ""}
