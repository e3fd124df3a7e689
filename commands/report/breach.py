"""Possible data breaches: recording the decision on reporting to the Autoriteit Persoonsgegevens,
and reminding the handler (or the CISO) before the 72 hours run out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col

from commands.context import Actor, Context
from commands.messages import Button, Choice, Form, FormField, Message, Result
from commands.outbox import send_direct
from commands.report import deadlines
from commands.report.access import may_handle, viewer_for
from commands.report.catalogue import category_label
from commands.report.deadlines import when
from commands.report.filing import TIME, form_date, moment_from_form
from commands.report.workflow import changed, not_found, open_report
from commands.text import escape
from storage.people import holders
from storage.reports import OPEN_STATUSES, Report, by_reference, transition

FORM_ID = "report.ap"
REFERENCE_LENGTH = 100  # the column's size
REPORTED, NOT_REPORTED = "gemeld", "niet-melden"
DECISIONS = (Choice(REPORTED, "Gemeld bij de AP"), Choice(NOT_REPORTED, "Niet melden: geen meldplichtig datalek"))


def ap_fields(ctx: Context) -> tuple[FormField, ...]:
    now = ctx.local(ctx.now())
    return (
        FormField("ap_decision", "Besluit over melden bij de AP", "choice", DECISIONS),
        FormField("ap_date", "Gemeld op", "date", optional=True, default=now.date().isoformat(), hint="Alleen als je gemeld hebt."),
        FormField("ap_time", "Hoe laat gemeld?", optional=True, default=f"{now:%H:%M}", max_length=5, hint="UU:MM"),
        FormField("ap_reference", "Kenmerk van de AP-melding", optional=True, max_length=REFERENCE_LENGTH),
    )


def check_ap(values: dict[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    decision = values.get("ap_decision")
    if decision not in (REPORTED, NOT_REPORTED):
        problems["ap_decision"] = "Kies of het datalek bij de AP is gemeld."
    if decision == REPORTED and not values.get("ap_date"):
        problems["ap_date"] = "Geef de datum waarop je bij de AP hebt gemeld."
    elif values.get("ap_date") and form_date(values["ap_date"]) is None:
        problems["ap_date"] = "Geef de datum als JJJJ-MM-DD."
    if decision == REPORTED and not TIME.fullmatch(values.get("ap_time", "").strip()):
        problems["ap_time"] = "Geef de tijd als UU:MM, bijvoorbeeld 14:30."
    if len(values.get("ap_reference", "").strip()) > REFERENCE_LENGTH:
        problems["ap_reference"] = f"Het kenmerk mag hooguit {REFERENCE_LENGTH} tekens zijn."
    return problems


def ap_facts(ctx: Context, values: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The report columns for the AP decision in `values`, and how the timeline says it."""
    if values.get("ap_decision") != REPORTED:
        return {"ap_reported": False, "ap_reported_at": ctx.now(), "ap_reference": None}, "niet melden"
    reported_at, _ = moment_from_form(ctx, values.get("ap_date", ""), values.get("ap_time", ""))
    reported_at = reported_at or ctx.now()
    reference = values.get("ap_reference", "").strip() or None
    detail = f"gemeld op {when(ctx, reported_at)}" + (f", kenmerk {reference}" if reference else "")
    return {"ap_reported": True, "ap_reported_at": reported_at, "ap_reference": reference}, detail


def needs_decision(report: Report) -> bool:
    return report.possible_breach and report.ap_reported is None


def open_form(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "AP-besluit", may_handle)
        if opened is None:
            return not_found(reference)
        if not needs_decision(opened.report):
            return Result.say(Message(text=f"Voor {opened.report.reference} is geen AP-besluit (meer) nodig."))
        return Result(form=Form(FORM_ID, "AP-besluit", ap_fields(ctx), submit_label="Vastleggen", context=opened.report.reference))


def submit(ctx: Context, actor: Actor, values: dict[str, str], reference: str) -> Result:
    facts, detail = ap_facts(ctx, values)
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "AP-besluit", may_handle)
        if opened is None:
            return not_found(reference)
        report = opened.report
        if not report.possible_breach or not transition(session, report, OPEN_STATUSES, ctx.now(),
                                                         col(Report.ap_reported).is_(None), **facts):
            return Result.say(Message(text=f"Voor {report.reference} is het AP-besluit al vastgelegd, of de melding is gesloten."))
        deadlines.cancel_reminders(session, report.reference)
        changed(session, ctx, opened, "report.ap_decision", "AP-besluit vastgelegd", detail)
    done = f"✅ AP-besluit vastgelegd bij {report.reference}: {escape(detail)}. De herinneringen zijn gestopt."
    return Result.say(Message(text=done))


STAGES = {"24u": "nog 24 uur", "4u": "nog 4 uur", "verlopen": "de termijn is verlopen"}


def remind(ctx: Context, session: Session, payload: dict[str, Any]) -> None:
    """Timer: the AP deadline comes near. Silent once the decision is recorded or the report is closed."""
    report = by_reference(session, payload["reference"])
    if report is None or not report.is_open or not needs_decision(report) or report.ap_deadline is None:
        return
    stage = payload["stage"]
    cisos = [member.id for member in holders(session, "ciso")]
    handler = report.handler_id if report.handler_id and may_handle(viewer_for(session, ctx, report.handler_id), report) else None
    targets = ([handler] if handler else []) + (cisos if stage == "verlopen" or not handler else [])
    message = _reminder(ctx, report, stage, report.ap_deadline)
    for user_id in dict.fromkeys(targets):
        key = f"report:{report.reference}:ap:{stage}:{user_id}"
        send_direct(session, key, user_id, message, ctx.now(), report_failure_to=cisos)


def _reminder(ctx: Context, report: Report, stage: str, deadline: datetime) -> Message:
    department = f", {escape(report.department)}" if report.department else ""
    if stage == "verlopen":
        lead = f"De 72 uur om {report.reference} bij de Autoriteit Persoonsgegevens te melden zijn voorbij ({when(ctx, deadline)})."
        then = "Meld zo snel mogelijk en leg de reden van de vertraging vast. Besloten niet te melden? Leg dat ook vast."
    else:
        lead = f"Mogelijk datalek {report.reference}: melden bij de Autoriteit Persoonsgegevens *uiterlijk {when(ctx, deadline)}*."
        then = "Leg het besluit vast, ook als je niet meldt; dan stoppen deze herinneringen."
    return Message(
        text=f"⏰ {report.reference}: {STAGES[stage]} voor de AP-melding",
        title=f"⏰ {report.reference}: {STAGES[stage]}",
        blocks=[f"{lead}\n({category_label(report.category)}{department})", then],
        buttons=[Button("AP-besluit vastleggen", "report.ap", report.reference, style="primary"),
                 Button("Details", "report.view", report.reference)],
    )
