"""Escalate: page the ICT crisis team (§7.3) with acknowledgement, timed escalation, a crisis
room and a timeline, and close with a report.

Modules: `team` (who sits at the table, from the roster), `declare` (declaring, asking the
CISO, deciding), `paging` (pages, escalation timers, acknowledgement), `timeline` (events,
room posts, the pinned summary), `closing` (close and the Markdown report), `command`
(`/crisis` and the buttons), `texts` (what people read), `keys` (outbox and timer keys).
"""

from __future__ import annotations

from commands.escalate import command, keys, paging, texts
from commands.escalate.declare import request_crisis_decision
from commands.router import Router

FROM_REPORT = "crisis.from_report"  # button on a report: value = the report's reference

__all__ = ["FROM_REPORT", "register", "request_crisis_decision"]


def register(router: Router) -> None:
    router.command("crisis", command.crisis_command)
    router.action(texts.ACK, command.acknowledge_button)
    router.action(texts.CONVENE, command.convene_button)
    router.action(texts.DECLINE, command.decline_button)
    router.action(FROM_REPORT, command.escalate_report)
    router.timer(keys.ESCALATE, paging.escalate)
    router.timer(keys.DECISION, paging.remind_decision)
