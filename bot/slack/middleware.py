"""Global middleware: drop Slack's retried event deliveries that were already handled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.runtime import Runtime
from commands.inbox import first_delivery

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.middleware
    def skip_repeated_events(body: dict[str, Any], request: BoltRequest, next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not first_delivery(runtime.ctx, f"slack-event:{event_id}"):
            retry = request.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("event %s already handled; ignoring retry %s", event_id, retry)
            return BoltResponse(status=200, body="")
        next()
        return None
