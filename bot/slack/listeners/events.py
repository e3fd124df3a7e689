"""Events: questions by @-mention or direct message, and the App Home tab."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.blocks import home_view, message_args
from commands.context import Actor

LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>[:,]?\s*")


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_mention")
    def answer_mention(event: dict[str, Any], client: WebClient) -> None:
        question = LEADING_MENTION.sub("", event.get("text", ""))
        result = runtime.router.ask(runtime.ctx, Actor(event["user"]), question)
        for message in result.messages:  # privately: the answer mentions people who need no ping
            client.chat_postEphemeral(
                channel=event["channel"], user=event["user"], thread_ts=event.get("thread_ts"), **message_args(message)
            )
        runtime.deliver_soon()

    @app.event("message")
    def answer_direct_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im":
            return  # channel messages are not for the bot (mentions arrive as app_mention)
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return  # edits, deletions, joins and bot messages are not questions
        result = runtime.router.ask(runtime.ctx, Actor(event["user"]), event.get("text", ""))
        for message in result.messages:
            client.chat_postMessage(channel=event["channel"], **message_args(message))
        runtime.deliver_soon()

    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        actor = Actor(event["user"])
        client.views_publish(user_id=actor.user_id, view=home_view(runtime.router.home(runtime.ctx, actor)))
