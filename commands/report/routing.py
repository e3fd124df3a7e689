"""Who gets a report, from the roster: the CISO always, the DSPO of the department, the
afdelingsmanager for unsafe behaviour, the FG for a possible data breach. A vacant role
sends the report to the CISO with a note that says so.

Messages go through the outbox with keys per report and person, so routing again after a
change (a new category, a new handler) reaches only the people who did not have it yet,
and everyone who had it sees the update in the message they already got.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from commands.context import Context
from commands.escalate import request_crisis_decision
from commands.messages import Message
from commands.outbox import replace_message, send_direct
from commands.report.access import may_view, viewer_for
from commands.report.catalogue import UNSAFE_BEHAVIOUR, category_label
from commands.report.render import card, plain_summary
from commands.text import escape, mention, shorten
from storage.people import Member, holders
from storage.reports import Report, add_recipient, recipients


@dataclass
class Routing:
    reasons: dict[str, list[str]] = field(default_factory=dict)  # user id -> why they get it
    notes: list[str] = field(default_factory=list)  # vacancies, said to everyone who gets it

    def add(self, members: list[Member], reason: str) -> bool:
        for member in members:
            self.reasons.setdefault(member.id, []).append(reason)
        return bool(members)

    def reason(self, user_id: str) -> str:
        return " en ".join(self.reasons[user_id])


def plan(session: Session, report: Report) -> Routing:
    routing = Routing()
    if not routing.add(holders(session, "ciso"), "CISO"):
        routing.add(holders(session, "cio"), "CIO, want er staat geen CISO in het rooster")
        routing.notes.append("Let op: er staat geen CISO in het rooster; de CIO krijgt deze melding.")
    department = report.department
    if not department:
        routing.notes.append("Er is geen afdeling opgegeven, dus ook geen DSPO: de CISO pakt deze melding op.")
    elif not routing.add(holders(session, "dspo", department), f"DSPO van {department}"):
        routing.notes.append(f"Er staat geen DSPO voor {escape(department)} in het rooster: de CISO pakt deze melding op.")
    managers = holders(session, "afdelingsmanager", department) if report.category == UNSAFE_BEHAVIOUR and department else None
    if managers is not None and not routing.add(managers, f"afdelingsmanager van {department}, bij onveilig gedrag"):
        routing.notes.append(f"Er staat geen afdelingsmanager voor {escape(department or '')} in het rooster: "
                             "de CISO spreekt de afdeling aan.")
    if report.possible_breach and not routing.add(holders(session, "fg"), "FG, bij een mogelijk datalek"):
        routing.notes.append("Er staat geen FG in het rooster: de CISO vraagt zelf advies over de melding bij de AP.")
    return routing


def route(session: Session, ctx: Context, report: Report) -> Routing:
    """Send the report to everyone who should have it and does not yet; returns the plan."""
    routing = plan(session, report)
    cisos = [m.id for m in holders(session, "ciso")]
    for user_id in routing.reasons:
        reason = routing.reason(user_id)
        if add_recipient(session, report, user_id, reason, ctx.now()):
            message = card(ctx, report, viewer_for(session, ctx, user_id), notes=routing.notes, reason=reason)
            send_direct(session, _route_key(report, user_id), user_id, message, ctx.now(), report_failure_to=cisos)
    return routing


def refresh(session: Session, ctx: Context, report: Report, version: int) -> None:
    """Replace every routed message with the report as it is now (after the change numbered `version`)."""
    notes = plan(session, report).notes
    for recipient in recipients(session, report):
        viewer = viewer_for(session, ctx, recipient.user_id)
        if may_view(viewer, report):
            message = card(ctx, report, viewer, notes=notes, reason=recipient.reason)
        else:  # left the role since: they keep what they got, but see no changes
            message = Message(text=f"{report.reference} is bijgewerkt; je hebt er geen toegang meer toe.")
        replace_message(session, f"{_route_key(report, recipient.user_id)}:v{version}", _route_key(report, recipient.user_id),
                        message, ctx.now())


def tell_routed(session: Session, ctx: Context, report: Report, key: str, message: Message, *, skip: str | None = None) -> None:
    """A separate message to everyone the report was routed to who may still see it (e.g. an amendment)."""
    for recipient in recipients(session, report):
        if recipient.user_id != skip and may_view(viewer_for(session, ctx, recipient.user_id), report):
            send_direct(session, f"report:{report.reference}:{key}:{recipient.user_id}", recipient.user_id, message, ctx.now())


def alert_critical(session: Session, ctx: Context, report: Report) -> None:
    """A report is critical: page the CISO (and deputy) to decide on the crisis team (§7.3),
    the same way `/crisis` does for someone without a declaring role. Once per report (the
    report is the crisis request's source); an anonymous reporter is not named."""
    request_crisis_decision(
        session, ctx,
        requested_by=None if report.anonymous else report.reporter_id,
        description=f"Kritieke melding {report.reference} ({category_label(report.category)}): {plain_summary(report.text, 300)}",
        department=report.department,
        personal_data=report.personal_data,
        source=report.reference,  # the same source as the "Opschalen naar crisis" button: one crisis per report
    )


def recipients_sentence(routing: Routing) -> str:
    """'<@U1> (DSPO van X) en <@U2> (CISO)' for the reporter's receipt."""
    names = [f"{mention(user_id)} ({escape(shorten(routing.reason(user_id), 80))})" for user_id in routing.reasons]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def _route_key(report: Report, user_id: str) -> str:
    return f"report:{report.reference}:route:{user_id}"
