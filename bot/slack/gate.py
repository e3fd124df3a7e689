"""A first look at every request to /slack/events, before bolt parses it: the signature, then the shape.

bolt trusts the shape of what Slack sends. A signed request with missing or odd fields (a
payload that is not JSON, an event that is `null`, a view without a type, a user that is not
an object) made it raise inside its own parsing, and the server answered 500 with a stack
trace in the log. Here, unsigned or stale requests get 401 (as bolt would answer them), and
signed ones the listeners cannot use get 400 with the reason in the log. Everything else goes
to bolt unchanged. Only the fields the listeners read are checked; Slack adds fields freely.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

USER_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # as the roster (and every user-id column) allows
EVENT_ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")
MAX_BODY = 1_000_000  # Slack's largest payloads (a modal with 100 blocks, 40,000 characters of text) are far smaller

Problem = str | None


class Gate:
    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)

    def signed(self, body: bytes, headers: dict[str, str]) -> bool:
        try:
            return self.verifier.is_valid_request(body, headers)
        except (UnicodeDecodeError, ValueError, TypeError):  # a body or header that is not text
            return False


def problem_with(body: bytes, content_type: str) -> Problem:
    """Why the listeners cannot use this (signed) request; None when bolt may have it."""
    if len(body) > MAX_BODY:
        return f"body of more than {MAX_BODY} bytes"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if content_type.startswith("application/json"):
        return _event_problem(_json(text))
    form = {key: values[-1] for key, values in parse_qs(text, keep_blank_values=True).items()}
    if "payload" in form:
        return _interaction_problem(_json(form["payload"]))
    if "command" in form:
        return _command_problem(form)
    return None  # e.g. Slack's ssl_check: bolt answers it


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return ValueError  # a marker no JSON document can be


OBJECT_OR_TEXT = ("user", "channel", "team", "enterprise")
OBJECTS = ("view", "event", "message", "container", "item", "previous_message", "assistant_thread", "state", "bot_profile")
TEXTS = ("type", "team_id", "user_id", "channel_id", "enterprise_id", "thread_ts", "trigger_id", "response_url", "callback_id",
         "api_app_id", "token", "event_id", "ts", "text", "subtype", "channel_type", "tab", "private_metadata", "user_team", "team")


def _envelope_problem(body: dict[str, Any], where: str = "") -> Problem:
    """The fields bolt reads while building its context, wherever they occur: of the type it expects."""
    for key in OBJECT_OR_TEXT:
        value = body.get(key)
        if value is not None and not isinstance(value, (str, dict)):
            return f"{where}{key} is neither text nor an object"
        if isinstance(value, dict):
            for inner in ("id", "team_id", "enterprise_id", "domain"):
                if value.get(inner) is not None and not isinstance(value[inner], str):
                    return f"{where}{key}.{inner} is not text"
    for key in OBJECTS:
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"{where}{key} is not an object"
    for key in TEXTS:
        if body.get(key) is not None and not isinstance(body[key], (str, dict) if key == "team" else str):
            return f"{where}{key} is not text"
    for key in ("is_enterprise_install", "is_ext_shared_channel"):
        if body.get(key) is not None and not isinstance(body[key], (bool, str)):
            return f"{where}{key} is not true or false"
    authorizations = body.get("authorizations")
    if authorizations is not None and not (isinstance(authorizations, list) and all(isinstance(a, dict) for a in authorizations)):
        return f"{where}authorizations is not a list of objects"
    for authorization in authorizations or []:
        problem = _envelope_problem(authorization, f"{where}authorizations.")
        if problem:
            return problem
    for key in ("event", "message", "view", "previous_message", "item", "assistant_thread"):
        if isinstance(body.get(key), dict):
            problem = _envelope_problem(body[key], f"{where}{key}.")
            if problem:
                return problem
    return None


def _event_problem(body: Any) -> Problem:
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return "event body is not an object with a type"
    problem = _envelope_problem(body)
    if problem:
        return problem
    if body["type"] == "url_verification":
        return None if isinstance(body.get("challenge"), str) else "url_verification without a challenge"
    if body["type"] != "event_callback":
        return None
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event_callback without an event object with a type"
    for key in ("user", "channel", "text", "channel_type", "subtype", "tab", "thread_ts"):
        if key in event and event[key] is not None and not isinstance(event[key], str):
            return f"event field {key!r} is not text"
    if isinstance(event.get("user"), str) and not USER_ID.fullmatch(event["user"]):
        return "event user is not a user id"
    if "event_id" in body and not (isinstance(body["event_id"], str) and EVENT_ID.fullmatch(body["event_id"])):
        return "event_id is not an event id"  # it is stored (the inbox) to handle each event once
    return None


def _user_problem(payload: dict[str, Any]) -> Problem:
    user = payload.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not USER_ID.fullmatch(user["id"]):
        return "no user with an id"
    return None


def _interaction_problem(payload: Any) -> Problem:
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        return "payload is not a JSON object with a type"
    problem = _envelope_problem(payload)
    if problem:
        return problem
    kind = payload["type"]
    if kind not in ("block_actions", "view_submission", "view_closed", "message_action", "shortcut"):
        return None  # bolt answers what nobody listens to with 404
    problem = _user_problem(payload)
    if problem:
        return problem
    for key in ("trigger_id", "response_url", "callback_id"):
        if key in payload and not isinstance(payload[key], str):
            return f"{key} is not text"
    for key in ("channel", "message", "container", "team"):
        if payload.get(key) is not None and not isinstance(payload[key], dict):
            return f"{key} is not an object"
    if kind == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions or not all(isinstance(a, dict) for a in actions):
            return "block_actions without actions"
        for action in actions:
            if not isinstance(action.get("action_id"), str):
                return "an action without an action_id"
            if "value" in action and not isinstance(action["value"], str):
                return "an action value that is not text"
    if kind in ("view_submission", "view_closed"):
        return _view_problem(payload.get("view"))
    if kind == "message_action":
        message = payload.get("message") or {}
        if not isinstance(message.get("text", ""), str) or not isinstance(message.get("ts", ""), str):
            return "message text or ts is not text"
        if not isinstance(message.get("user", ""), str):
            return "message user is not text"
    if kind in ("message_action", "shortcut") and not isinstance(payload.get("callback_id"), str):
        return "shortcut without a callback_id"
    return None


def _view_problem(view: Any) -> Problem:
    if not isinstance(view, dict) or not isinstance(view.get("type"), str) or not isinstance(view.get("callback_id"), str):
        return "view without a type and callback_id"
    if "private_metadata" in view and not isinstance(view["private_metadata"], str):
        return "private_metadata is not text"
    state = view.get("state")
    if state is None:
        return None
    values = state.get("values") if isinstance(state, dict) else None
    if not isinstance(values, dict) or not all(
        isinstance(block, dict) and all(isinstance(element, dict) for element in block.values()) for block in values.values()
    ):
        return "view state is not blocks of elements"
    for block in values.values():
        for element in block.values():
            for key in ("value", "selected_date"):
                if element.get(key) is not None and not isinstance(element[key], str):
                    return f"a form {key} that is not text"
            option = element.get("selected_option")
            if option is not None and not (isinstance(option, dict) and isinstance(option.get("value"), str)):
                return "a selected option without a text value"
    return None


def _command_problem(form: dict[str, str]) -> Problem:
    if not form["command"].startswith("/"):
        return "command does not start with /"
    if not USER_ID.fullmatch(form.get("user_id", "")):
        return "command without a user id"
    return None
