"""Slack listeners, one module per kind (as in the slack-bolt starter template).

Every listener is split in two: `acknowledge` answers Slack at once in the request
thread (well within its 3 seconds, and without waiting for a worker thread), and the
work runs after that as a bolt "lazy" listener in the listener pool. The app runs with
`process_before_response=True` for this (see bot.slack.app).
"""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.runtime import Runtime


def acknowledge(ack: Ack) -> None:
    ack()


def register(app: App, runtime: Runtime) -> None:
    from bot.slack.listeners import actions, commands, events, shortcuts, views

    commands.register(app, runtime)
    events.register(app, runtime)
    actions.register(app, runtime)
    shortcuts.register(app, runtime)
    views.register(app, runtime)
