"""Delivering outbox messages through the Slack Web API (the `Sender` port for Slack)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import message_args
from commands.delivery import DeliveryFailed, Receipt
from commands.messages import Message

log = logging.getLogger(__name__)

# Slack error codes that no retry will fix.
PERMANENT = {
    "account_inactive", "cannot_dm_bot", "channel_not_found", "invalid_auth", "invalid_blocks",
    "is_archived", "missing_scope", "msg_too_long", "no_text", "not_authed", "not_in_channel",
    "restricted_action", "token_revoked", "user_disabled", "user_not_found", "users_not_found",
}


class SlackSender:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send_direct(self, user_id: str, message: Message) -> Receipt:
        # chat.postMessage to a user id posts in the bot's DM with that user
        response = self._call("chat_postMessage", channel=user_id, **message_args(message))
        return {"channel": response["channel"], "ts": response["ts"]}

    def post(self, channel: str, message: Message) -> Receipt:
        response = self._call("chat_postMessage", channel=channel, **message_args(message))
        return {"channel": response["channel"], "ts": response["ts"]}

    def update(self, receipt: Receipt, message: Message) -> Receipt:
        response = self._call("chat_update", channel=receipt["channel"], ts=receipt["ts"], **message_args(message))
        return {"channel": response["channel"], "ts": response["ts"]}

    def invite(self, channel: str, members: list[str]) -> Receipt:
        """Add people to a channel; failures are raised so the outbox retries (a retry may find some already in)."""
        for member in members:
            try:
                self._call("conversations_invite", channel=channel, users=member)
            except DeliveryFailed as error:
                if error.reason != "already_in_channel":
                    raise
        return {"channel": channel, "ts": ""}

    def create_room(self, name: str, members: list[str], message: Message) -> Receipt:
        channel = self._create_private_channel(name)
        self._invite(channel, members)
        posted = self.post(channel, message)
        try:
            self._call("pins_add", channel=channel, timestamp=posted["ts"])
        except DeliveryFailed as error:  # the room works without the pin; don't create a second room
            log.warning("could not pin the summary in %s: %s", channel, error.reason)
        return {"channel": channel, "ts": posted["ts"]}

    def _create_private_channel(self, name: str) -> str:
        for attempt in range(5):
            candidate = name if attempt == 0 else f"{name}-{attempt + 1}"
            try:
                return self._call("conversations_create", name=candidate, is_private=True)["channel"]["id"]
            except DeliveryFailed as error:
                if error.reason != "name_taken":
                    raise
        raise DeliveryFailed(f"kanaalnaam {name} is al in gebruik", permanent=True)

    def _invite(self, channel: str, members: list[str]) -> None:
        if not members:
            return
        try:
            self._call("conversations_invite", channel=channel, users=",".join(members))
        except DeliveryFailed:
            for member in members:  # one unknown user must not keep the others out
                try:
                    self._call("conversations_invite", channel=channel, users=member)
                except DeliveryFailed as error:
                    log.warning("could not invite %s to %s: %s", member, channel, error.reason)

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(**kwargs)
        except SlackApiError as error:
            code = error.response.get("error", "") if error.response is not None else ""
            status = error.response.status_code if error.response is not None else 0
            permanent = code in PERMANENT or (400 <= status < 500 and status != 429 and not code)
            raise DeliveryFailed(code or f"HTTP {status}", permanent=permanent) from None
        except (OSError, TimeoutError) as error:  # network failures after the client's own retries
            raise DeliveryFailed(f"verbinding met Slack mislukt ({type(error).__name__})") from None
