"""Message shortcuts, e.g. "Meld als onveilig" on any message."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.listeners import acknowledge
from bot.slack.replies import show
from commands.context import Actor
from commands.router import SharedMessage
from commands.text import unescape

# The parts of the link to the reported message: only what Slack's ids look like, so the link
# (stored, and shown as `<link|het gemelde bericht>`) cannot carry anything else.
SLACK_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
CHANNEL = re.compile(r"[A-Z0-9]{1,30}")
TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,8}")
USER_ID = re.compile(r"[A-Z0-9]{1,30}")


def register(app: App, runtime: Runtime) -> None:
    for shortcut_id in runtime.router.shortcuts:
        app.message_shortcut(shortcut_id)(ack=acknowledge, lazy=[_handler(runtime, shortcut_id)])


def _handler(runtime: Runtime, shortcut_id: str) -> Callable[..., None]:
    def run_shortcut(body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        actor = Actor(body["user"]["id"])
        result = runtime.router.run_shortcut(runtime.ctx, actor, shortcut_id, shared_message(body))
        show(result, respond=respond, client=client, user_id=actor.user_id, trigger_id=body.get("trigger_id"))
        runtime.deliver_soon()

    return run_shortcut


def shared_message(body: dict[str, Any]) -> SharedMessage:
    message = _object(body.get("message"))
    channel = _text(_object(body.get("channel")).get("id"))
    ts = _text(message.get("ts"))
    domain = _text(_object(body.get("team")).get("domain"))
    host = f"https://{domain}.slack.com" if SLACK_DOMAIN.fullmatch(domain) else "https://slack.com"
    link = f"{host}/archives/{channel}/p{ts.replace('.', '')}" if CHANNEL.fullmatch(channel) and TS.fullmatch(ts) else ""
    author = _text(message.get("user"))
    return SharedMessage(text=unescape(_text(message.get("text"))),  # Slack sends &, < and > escaped
                         author=author if USER_ID.fullmatch(author) else "", link=link, channel=channel)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
