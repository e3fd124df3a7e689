"""Showing a command's Result in Slack: ephemeral replies, opened forms, updated messages."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.slack.blocks import form_view, message_args
from commands.messages import Result

log = logging.getLogger(__name__)


def show(result: Result, *, respond: Respond | None, client: WebClient, user_id: str, trigger_id: str | None = None) -> None:
    """Send `result` to the user who acted: via response_url when there is one, else by DM."""
    if respond is not None and respond.response_url is None:  # e.g. a button in App Home
        respond = None
    if result.form and trigger_id:
        client.views_open(trigger_id=trigger_id, view=form_view(result.form))
    if result.update and respond:
        respond(replace_original=True, **message_args(result.update))
    for message in result.messages:
        args: dict[str, Any] = message_args(message)
        if respond:
            respond(response_type="ephemeral", replace_original=False, **args)
        else:
            client.chat_postMessage(channel=user_id, **args)
