"""Message shortcuts, e.g. "Meld als onveilig" on any message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.listeners import acknowledge
from bot.slack.replies import show
from commands.context import Actor
from commands.router import SharedMessage


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
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id", "")
    ts = message.get("ts", "")
    domain = (body.get("team") or {}).get("domain")
    host = f"https://{domain}.slack.com" if domain else "https://slack.com"
    link = f"{host}/archives/{channel}/p{ts.replace('.', '')}" if channel and ts else ""
    return SharedMessage(text=message.get("text", ""), author=message.get("user", ""), link=link, channel=channel)
