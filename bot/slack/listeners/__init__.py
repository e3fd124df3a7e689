"""Slack listeners, one module per kind (as in the slack-bolt starter template)."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from bot.slack.listeners import actions, commands, events, shortcuts, views


def register(app: App, runtime: Runtime) -> None:
    commands.register(app, runtime)
    events.register(app, runtime)
    actions.register(app, runtime)
    shortcuts.register(app, runtime)
    views.register(app, runtime)
