"""Form (modal) submissions: check first and ack with field errors, else ack and store."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.blocks import form_values
from bot.slack.replies import show
from commands.context import Actor


def register(app: App, runtime: Runtime) -> None:
    @app.view(re.compile(r".+"))
    def submit_form(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        form_id = view["callback_id"]
        if form_id not in runtime.router.forms:
            ack()
            return
        values = form_values(view.get("state", {}))
        problems = runtime.router.check_form(form_id, values)
        if problems:
            ack(response_action="errors", errors=problems)
            return
        ack()
        actor = Actor(body["user"]["id"])
        result = runtime.router.submit(runtime.ctx, actor, form_id, values, view.get("private_metadata", ""))
        show(result, respond=None, client=client, user_id=actor.user_id)
        runtime.deliver_soon()
