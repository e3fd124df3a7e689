"""Slash commands: /wie, /meld, /crisis, /agenda. Acknowledged at once; the use case runs after.

Slack sends the text with `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`; the use case gets
what the person typed (and escapes it again wherever it is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.replies import show
from commands.context import Actor
from commands.text import unescape

SLASH_COMMANDS = ("wie", "meld", "crisis", "agenda")


def register(app: App, runtime: Runtime) -> None:
    for name in SLASH_COMMANDS:
        app.command(f"/{name}")(ack=_acknowledger(runtime, name), lazy=[_handler(runtime, name)])


def _actor(command: dict[str, Any]) -> Actor:
    return Actor(command["user_id"], channel=command.get("channel_id"), request=command.get("trigger_id"))


def _acknowledger(runtime: Runtime, name: str) -> Callable[..., None]:
    """Keep what must not be lost (a report) before Slack hears the command arrived."""

    def accept_and_ack(ack: Ack, command: dict[str, Any]) -> None:
        runtime.router.accept_command(runtime.ctx, _actor(command), name, unescape(command.get("text") or ""))
        ack()

    return accept_and_ack


def _handler(runtime: Runtime, name: str) -> Callable[..., None]:
    def run_command(command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        actor = _actor(command)
        result = runtime.router.run_command(runtime.ctx, actor, name, unescape(command.get("text") or ""))
        show(result, respond=respond, client=client, user_id=actor.user_id, trigger_id=command.get("trigger_id"))
        runtime.deliver_soon()

    run_command.__name__ = f"run_slash_{name}"
    return run_command
