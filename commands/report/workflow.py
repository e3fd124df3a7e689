"""What every action on an existing report does first and last: find it, check access, record the change."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from commands.audit import record
from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.report.access import Viewer, actor_name, viewer_for
from commands.report.catalogue import status_label
from commands.report.routing import refresh
from commands.text import escape, mention
from storage.reports import IN_PROGRESS, Report, add_event, by_reference, reference_for

# Anything shaped like a reference is looked up, not filed as a report: "MELD-99999-1" is a typo, not an incident.
REFERENCE = re.compile(r"\s*MELD-(\d{1,9})-(\d{1,18})\s*", re.IGNORECASE)

Permission = Callable[[Viewer, Report], bool]


@dataclass
class Opened:
    report: Report
    viewer: Viewer

    @property
    def actor(self) -> str:
        """The name this viewer gets in the timeline and audit log of this report."""
        return actor_name(self.viewer, self.report)


def canonical(reference: str) -> str | None:
    """'meld-2026-42' -> 'MELD-2026-0042'; None when it is not a reference."""
    matched = REFERENCE.fullmatch(reference)
    return reference_for(int(matched.group(1)), int(matched.group(2))) if matched else None


def open_report(session: Session, ctx: Context, actor: Actor, reference: str, what: str, allowed: Permission) -> Opened | None:
    """The report if the actor may do `what` with it; otherwise None, and the attempt is logged.

    A missing report and a forbidden one get the same answer, so nobody learns which exist.
    """
    wanted = canonical(reference)
    report = by_reference(session, wanted) if wanted else None
    viewer = viewer_for(session, ctx, actor.user_id)
    if report is None or not allowed(viewer, report):
        record(session, ctx, actor.user_id, "report.denied", reference[:200], what)
        return None
    return Opened(report, viewer)


def not_found(reference: str) -> Result:
    shown = escape(reference.strip()[:40]) or "?"
    return Result.say(Message(text=f"Melding {shown} niet gevonden, of je mag hem niet zien. Je meldingen: `/meld status`."))


def changed(session: Session, ctx: Context, opened: Opened, audit_action: str, what: str, detail: str = "") -> int:
    """Record a change in the timeline (`what`, `detail`) and the audit log (`audit_action`, no
    texts: the audit log outlives the retention period), and update everyone's copy of the card.
    Returns the timeline event id, which numbers the change."""
    event = add_event(session, opened.report, ctx.now(), opened.actor, what, detail)
    record(session, ctx, opened.actor, audit_action, opened.report.reference)
    assert event.id is not None
    refresh(session, ctx, opened.report, event.id)
    return event.id


def taken_by_someone(report: Report) -> str:
    """Why an action lost a race: what the report is now."""
    if report.status == IN_PROGRESS and report.handler_id:
        return f"{report.reference} is al in behandeling bij {mention(report.handler_id)}."
    return f"{report.reference} is al {status_label(report.status)}."
