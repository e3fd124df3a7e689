"""Form (modal) submissions: checked while acknowledging (field errors go back in the ack),
stored after."""

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
    def check_form(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form_id = view["callback_id"]
        values = form_values(view.get("state") or {})
        problems = runtime.router.check_form(form_id, values) if form_id in runtime.router.forms else {}
        if problems:
            ack(response_action="errors", errors=problems)
            return
        user_id = (body.get("user") or {}).get("id")
        if form_id in runtime.router.forms and user_id:  # keep what must not be lost (a report) before Slack hears it arrived
            runtime.router.accept_form(runtime.ctx, Actor(user_id), form_id, values, view.get("private_metadata") or "")
        ack()

    def submit_form(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        form_id = view["callback_id"]
        values = form_values(view.get("state") or {})
        if form_id not in runtime.router.forms or runtime.router.check_form(form_id, values):
            return  # unknown form, or sent back to the user with the problems by check_form
        actor = Actor(body["user"]["id"])
        result = runtime.router.submit(runtime.ctx, actor, form_id, values, view.get("private_metadata") or "")
        show(result, respond=None, client=client, user_id=actor.user_id)
        runtime.deliver_soon()

    app.view(re.compile(r".+"))(ack=check_form, lazy=[submit_form])
