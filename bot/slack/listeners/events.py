"""Events: questions by @-mention or direct message, and the App Home tab.

Slack redelivers an event it thinks was not received (X-Slack-Retry-Num); each event's
work runs once per event_id, checked in the worker so the acknowledgement never waits
for the database.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.blocks import home_view, message_args
from bot.slack.listeners import acknowledge
from commands.context import Actor
from commands.inbox import first_delivery
from commands.text import unescape

LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+>[:,]?\s*")


log = logging.getLogger(__name__)
EventWork = Callable[[dict[str, Any], WebClient], None]


def once_per_event(runtime: Runtime, work: EventWork) -> Callable[..., None]:
    def run_once(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        event_id = body.get("event_id")
        if event_id and not first_delivery(runtime.ctx, f"slack-event:{event_id}"):
            log.info("event %s was handled before; ignoring the redelivery", event_id)
            return
        work(event, client)

    run_once.__name__ = f"once_{work.__name__}"
    return run_once


def register(app: App, runtime: Runtime) -> None:
    def answer_mention(event: dict[str, Any], client: WebClient) -> None:
        if not event.get("user") or not event.get("channel"):
            return  # nobody to answer, or nowhere to answer
        question = unescape(LEADING_MENTION.sub("", event.get("text") or ""))  # Slack sends &, < and > escaped
        result = runtime.router.ask(runtime.ctx, Actor(event["user"]), question)
        for message in result.messages:  # privately: the answer mentions people who need no ping
            client.chat_postEphemeral(
                channel=event["channel"], user=event["user"], thread_ts=event.get("thread_ts"), **message_args(message)
            )
        runtime.deliver_soon()

    def answer_direct_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im":
            return  # channel messages are not for the bot (mentions arrive as app_mention)
        if event.get("subtype") or event.get("bot_id") or not event.get("user") or not event.get("channel"):
            return  # edits, deletions, joins and bot messages are not questions
        result = runtime.router.ask(runtime.ctx, Actor(event["user"]), unescape(event.get("text") or ""))
        for message in result.messages:
            client.chat_postMessage(channel=event["channel"], **message_args(message))
        runtime.deliver_soon()

    def publish_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        actor = Actor(event["user"])
        client.views_publish(user_id=actor.user_id, view=home_view(runtime.router.home(runtime.ctx, actor)))

    app.event("app_mention")(ack=acknowledge, lazy=[once_per_event(runtime, answer_mention)])
    app.event("message")(ack=acknowledge, lazy=[once_per_event(runtime, answer_direct_message)])
    app.event("app_home_opened")(ack=acknowledge, lazy=[once_per_event(runtime, publish_home)])
