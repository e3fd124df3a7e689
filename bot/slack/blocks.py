"""Rendering platform-neutral messages and forms as Slack Block Kit, within Slack's limits."""

from __future__ import annotations

from typing import Any

from commands.messages import Button, Fields, Form, FormField, Message
from commands.text import shorten, unescape

SECTION_LIMIT = 3000  # characters of text in one section block
MAX_BLOCKS = 50
FALLBACK_LIMIT = 3000
BUTTON_SEPARATOR = "|"  # action_id = "<action>|<index>": Slack wants unique ids per message


def message_blocks(message: Message) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if message.title:
        blocks.append(_plain("header", shorten(unescape(message.title), 150)))
    for block in message.blocks:
        if isinstance(block, Fields):
            blocks.extend(_fields(block))
        else:
            blocks.extend(_sections(block))
    if message.buttons:
        blocks.append({"type": "actions", "elements": [_button(b, i) for i, b in enumerate(message.buttons[:25])]})
    if message.footnote:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(message.footnote, 3000)}]})
    if len(blocks) > MAX_BLOCKS:  # keep the buttons (last) reachable
        blocks = blocks[: MAX_BLOCKS - 2] + [_section("_… (ingekort)_")] + blocks[-1:]
    return blocks


def message_args(message: Message) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage / chat.update / respond."""
    return {"text": _cut(message.text, FALLBACK_LIMIT), "blocks": message_blocks(message)}


def home_view(messages: list[Message]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        if index:
            blocks.append({"type": "divider"})
        blocks.extend(message_blocks(message))
    return {"type": "home", "blocks": blocks[:100]}


def parse_action_id(action_id: str) -> str:
    return action_id.split(BUTTON_SEPARATOR, 1)[0]


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return _entity_safe(text, limit - 1) + "…"


def _entity_safe(text: str, end: int) -> str:
    """text[:end], moved back if that would cut an entity like &amp; (at most 5 characters) in two."""
    amp = text.rfind("&", max(0, end - 5), end)
    if amp != -1 and ";" not in text[amp:end]:
        end = amp
    return text[:end]


def _sections(text: str) -> list[dict[str, Any]]:
    chunks = []
    while len(text) > SECTION_LIMIT:
        split = text.rfind("\n", 0, SECTION_LIMIT)
        if split < SECTION_LIMIT // 2:
            split = text.rfind(" ", 0, SECTION_LIMIT)
        if split < SECTION_LIMIT // 2:
            split = SECTION_LIMIT
        chunk = _entity_safe(text, split)
        chunks.append(chunk)
        text = text[len(chunk) :].lstrip("\n")
    chunks.append(text)
    return [_section(chunk) for chunk in chunks if chunk.strip()]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _plain(block_type: str, text: str) -> dict[str, Any]:
    return {"type": block_type, "text": {"type": "plain_text", "text": text, "emoji": True}}


def _fields(block: Fields) -> list[dict[str, Any]]:
    items = [{"type": "mrkdwn", "text": _cut(f"*{label}*\n{value}", 2000)} for label, value in block.pairs]
    return [{"type": "section", "fields": items[i : i + 10]} for i in range(0, len(items), 10)]


def _button(button: Button, index: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": shorten(button.label, 75), "emoji": True},
        "action_id": f"{button.action}{BUTTON_SEPARATOR}{index}",
        "value": button.value[:2000],
    }
    if button.style:
        element["style"] = button.style
    if button.confirm:
        element["confirm"] = {
            "title": {"type": "plain_text", "text": "Weet je het zeker?"},
            "text": {"type": "mrkdwn", "text": _cut(button.confirm, 300)},
            "confirm": {"type": "plain_text", "text": "Ja"},
            "deny": {"type": "plain_text", "text": "Nee"},
        }
    return element


# --- forms (modals) -------------------------------------------------------------------

VALUE = "value"  # the action_id of every input element; block_id is the field name


def form_view(form: Form) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "private_metadata": form.context[:3000],
        "title": {"type": "plain_text", "text": shorten(form.title, 24)},
        "submit": {"type": "plain_text", "text": shorten(form.submit_label, 24)},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": [_input(f) for f in form.fields],
    }


def _input(field: FormField) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.name,
        "label": {"type": "plain_text", "text": shorten(field.label, 2000)},
        "optional": field.optional,
        "element": _element(field),
    }
    if field.hint:
        block["hint"] = {"type": "plain_text", "text": shorten(field.hint, 2000)}
    return block


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": shorten(label, 75)}, "value": value}


def _element(field: FormField) -> dict[str, Any]:
    if field.kind == "choice":
        element: dict[str, Any] = {
            "type": "static_select",
            "action_id": VALUE,
            "options": [_option(c.value, c.label) for c in field.choices[:100]],
        }
        initial = next((c for c in field.choices if c.value == field.default), None)
        if initial:
            element["initial_option"] = _option(initial.value, initial.label)
        return element
    if field.kind == "yesno":
        options = [_option("ja", "Ja"), _option("nee", "Nee")]
        element = {"type": "radio_buttons", "action_id": VALUE, "options": options}
        if field.default in ("ja", "nee"):
            element["initial_option"] = options[0] if field.default == "ja" else options[1]
        return element
    if field.kind == "date":
        element = {"type": "datepicker", "action_id": VALUE}
        if field.default:
            element["initial_date"] = field.default
        return element
    if field.kind == "number":
        element = {"type": "number_input", "action_id": VALUE, "is_decimal_allowed": False, "min_value": "0"}
        if field.default:
            element["initial_value"] = field.default
        return element
    element = {"type": "plain_text_input", "action_id": VALUE, "multiline": field.kind == "multiline"}
    element["max_length"] = min(field.max_length or 3000, 3000)
    if field.default:
        element["initial_value"] = field.default
    return element


def form_values(state: dict[str, Any]) -> dict[str, str]:
    """Turn a view_submission's `state.values` into {field name: text}; empty fields are ''."""
    values: dict[str, str] = {}
    for block_id, actions in state.get("values", {}).items():
        element = actions.get(VALUE) or next(iter(actions.values()), {})
        values[block_id] = _element_value(element)
    return values


def _element_value(element: dict[str, Any]) -> str:
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons"):
        return (element.get("selected_option") or {}).get("value", "")
    if kind == "datepicker":
        return element.get("selected_date") or ""
    return element.get("value") or ""
