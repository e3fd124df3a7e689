"""Sending requests to the bot the way Slack does: signed, form-encoded or JSON."""

from __future__ import annotations

import http.client
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

_ids = itertools.count(1)


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


class SignedSlack:
    def __init__(self, base_url: str, signing_secret: str, response_url_base: str = "") -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.verifier = SignatureVerifier(signing_secret)
        self.response_url_base = response_url_base

    # --- what Slack sends -------------------------------------------------------------

    def command(self, command: str, text: str = "", user_id: str = "U01EMP", **extra: str) -> Response:
        n = next(_ids)
        form = {
            "token": "legacy-verification-token",
            "team_id": "T0001",
            "team_domain": "gemeente",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command if command.startswith("/") else f"/{command}",
            "text": text,
            "api_app_id": "A0001",
            "response_url": f"{self.response_url_base}/response/cmd{n}",
            "trigger_id": f"trigger.{n}",
            **extra,
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None) -> Response:
        body = {
            "token": "legacy-verification-token",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(json.dumps(body).encode(), "application/json", headers=headers)

    def interaction(self, payload: dict[str, Any]) -> Response:
        payload = {"team": {"id": "T0001", "domain": "gemeente"}, "api_app_id": "A0001", "token": "legacy", **payload}
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def button(self, user_id: str, action_id: str, value: str, message: dict[str, Any] | None = None) -> Response:
        n = next(_ids)
        return self.interaction({
            "type": "block_actions",
            "user": {"id": user_id},
            "trigger_id": f"trigger.{n}",
            "response_url": f"{self.response_url_base}/response/btn{n}",
            "container": {"type": "message"},
            "channel": {"id": f"D{user_id}"},
            "message": message or {"ts": "1700000000.000001", "text": ""},
            "actions": [{"type": "button", "action_id": action_id, "value": value, "block_id": "b1", "action_ts": "1"}],
        })

    def submit_view(self, user_id: str, callback_id: str, values: dict[str, dict[str, Any]], private_metadata: str = "") -> Response:
        """A modal submission; `values` is {block_id: element state}, e.g. {"what": {"type": "plain_text_input", "value": "x"}}."""
        state = {"values": {block: {"value": element} for block, element in values.items()}}
        return self.interaction({
            "type": "view_submission",
            "user": {"id": user_id},
            "view": {"id": "V0001", "type": "modal", "callback_id": callback_id, "private_metadata": private_metadata, "state": state},
        })

    # --- transport ----------------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        signed: bool = True,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> Response:
        sent = {"Content-Type": content_type, **(headers or {})}
        if signed:
            stamp = str(int(time.time()) if timestamp is None else timestamp)
            sent["X-Slack-Request-Timestamp"] = stamp
            sent["X-Slack-Signature"] = signature or self.verifier.generate_signature(timestamp=stamp, body=body)
        return self.request("POST", path, body, sent)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return Response(reply.status, reply.read().decode("utf-8"), {k.lower(): v for k, v in reply.getheaders()})
        finally:
            connection.close()
