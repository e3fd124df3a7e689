"""Buttons: every button's action id names a use case in the router."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.blocks import parse_action_id
from bot.slack.listeners import acknowledge
from bot.slack.replies import show
from commands.context import Actor


def register(app: App, runtime: Runtime) -> None:
    def press_button(body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient) -> None:
        actor = Actor(body["user"]["id"])
        result = runtime.router.press(runtime.ctx, actor, parse_action_id(action["action_id"]), action.get("value", ""))
        show(result, respond=respond, client=client, user_id=actor.user_id, trigger_id=body.get("trigger_id"))
        runtime.deliver_soon()

    app.action(re.compile(r".+"))(ack=acknowledge, lazy=[press_button])
