"""Remind: the quarterly meetings and ENSIA deadlines of the policy, to the right people, once.

The calendar is data (knowledge/calendar.yaml, read by `loader`). `timing` and `due` decide,
as pure functions of the clock, what is due and for whom; `delivery` sends it through the
outbox with a delivery log that makes every message go out once. The scheduler (bot/)
only wakes `delivery` at the right moments. `/agenda`, the App Home section and the
"Gereed" button are registered here; the CLI uses `agenda` and `ics`.
"""

from __future__ import annotations

from commands.remind.agenda import agenda_home, show_agenda
from commands.remind.deliverables import mark_deliverable_done
from commands.remind.texts import DONE_ACTION
from commands.router import Router


def register(router: Router) -> None:
    router.command("agenda", show_agenda)
    router.action(DONE_ACTION, mark_deliverable_done)
    router.home_section(agenda_home)
