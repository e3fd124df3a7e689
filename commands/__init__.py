"""Platform-neutral use cases: ask, report, remind, escalate, roster, export.

A command takes a plain request (who, what text) and returns plain messages; messages
for other people go through the outbox (see `commands.outbox`). Nothing here knows Slack.
"""

from commands.router import Router


def build_router() -> Router:
    """The router with every use case registered; the one list of what the bot can do."""
    from commands import ask, escalate, help, remind, report

    router = Router()
    help.register(router)
    ask.register(router)
    report.register(router)
    remind.register(router)
    escalate.register(router)
    return router
