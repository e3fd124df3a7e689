"""What handlers (and the reporter) do with a report: take, assign, close, recategorise, amend.

Each action re-checks access from the roster, changes state with a conditional update (a
double click or a second handler finds the report changed and is told by whom), writes
the timeline and the audit log, and updates the cards of everyone the report was routed to.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from commands.context import Actor, Context
from commands.messages import Button, Choice, Form, FormField, Message, Result
from commands.outbox import send_direct
from commands.report import breach, deadlines
from commands.report.access import Viewer, handler_candidates, is_reporter, may_handle, viewer_for
from commands.report.catalogue import (
    CATEGORY_CHOICES, CRITICAL, SEVERITY_CHOICES, category_label, status_label,
)
from commands.report.render import card, described
from commands.report.routing import alert_critical, plan, route, tell_routed
from commands.report.workflow import Opened, changed, not_found, open_report, taken_by_someone
from commands.text import mention
from storage.people import get_member
from storage.reports import IN_PROGRESS, NEW, OPEN_STATUSES, REJECTED, RESOLVED, Report, add_recipient, transition

ASSIGN_FORM, CLOSE_FORM, RECATEGORISE_FORM, AMEND_FORM = "report.assign", "report.close", "report.recategorise", "report.amend"
OUTCOMES = (Choice(RESOLVED, "Afgehandeld"), Choice(REJECTED, "Afgewezen (geen incident of dubbel)"))


def _handler_or_reporter(viewer: Viewer, report: Report) -> bool:
    return may_handle(viewer, report) or is_reporter(viewer, report)


# --- take -------------------------------------------------------------------------------------


def take(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "in behandeling nemen", may_handle)
        if opened is None:
            return not_found(reference)
        report = opened.report
        if report.status == IN_PROGRESS and report.handler_id == actor.user_id:
            return Result.say(Message(text=f"Je hebt {report.reference} al in behandeling."))
        if not transition(session, report, [NEW], ctx.now(), status=IN_PROGRESS, handler_id=actor.user_id):
            return Result.say(Message(text=taken_by_someone(report)))
        changed(session, ctx, opened, "report.take", "in behandeling genomen")
    return Result.say(Message(text=f"✅ Je hebt {report.reference} in behandeling genomen. De anderen zien dat in hun bericht."))


# --- assign -----------------------------------------------------------------------------------


def open_assign_form(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "toewijzen", may_handle)
        if opened is None:
            return not_found(reference)
        if not opened.report.is_open:
            return Result.say(Message(text=taken_by_someone(opened.report)))
        choices = tuple(Choice(user_id, label) for user_id, label in handler_candidates(session, opened.report))
    field = FormField("person", "Aan wie?", "choice", choices, default=opened.report.handler_id)
    return Result(form=Form(ASSIGN_FORM, "Toewijzen", (field,), submit_label="Toewijzen", context=opened.report.reference))


def assign(ctx: Context, actor: Actor, values: dict[str, str], reference: str) -> Result:
    person = values.get("person", "")
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "toewijzen", may_handle)
        if opened is None:
            return not_found(reference)
        report = opened.report
        if person not in dict(handler_candidates(session, report)):  # never trust a submitted value, nor echo it
            return Result.say(Message(text=f"Die persoon mag {report.reference} niet behandelen. Kies iemand uit de lijst."))
        if report.handler_id == person and report.status == IN_PROGRESS:
            return Result.say(Message(text=f"{report.reference} was al toegewezen aan {mention(person)}."))
        if not transition(session, report, OPEN_STATUSES, ctx.now(), status=IN_PROGRESS, handler_id=person):
            return Result.say(Message(text=taken_by_someone(report)))
        member = get_member(session, person)
        version = changed(session, ctx, opened, "report.assign", "toegewezen", member.name if member else person)
        _tell_new_handler(session, ctx, opened, person, version)
    return Result.say(Message(text=f"✅ {report.reference} is toegewezen aan {mention(person)}. Die krijgt een bericht."))


def _tell_new_handler(session: Session, ctx: Context, opened: Opened, person: str, version: int) -> None:
    report = opened.report
    if add_recipient(session, report, person, "behandelaar", ctx.now()):  # not routed to them before: the card
        viewer = viewer_for(session, ctx, person)
        send_direct(session, f"report:{report.reference}:route:{person}", person,
                    card(ctx, report, viewer, notes=plan(session, report).notes, reason="behandelaar"), ctx.now())
    told = f"📌 {mention(opened.actor)} heeft {report.reference} ({category_label(report.category)}) aan je toegewezen."
    send_direct(session, f"report:{report.reference}:assigned:{version}:{person}", person,
                Message(text=told, buttons=[Button("Details", "report.view", report.reference)]), ctx.now())


# --- close ------------------------------------------------------------------------------------


def open_close_form(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "afsluiten", may_handle)
        if opened is None:
            return not_found(reference)
        report = opened.report
        if not report.is_open:
            return Result.say(Message(text=taken_by_someone(report)))
        fields = (
            FormField("outcome", "Uitkomst", "choice", OUTCOMES),
            FormField("note", "Toelichting", "multiline", optional=True, max_length=3000,
                      hint="Wat is er gedaan? Alleen zichtbaar voor wie de melding mag zien."),
        )
        if breach.needs_decision(report):
            fields += breach.ap_fields(ctx)
    return Result(form=Form(CLOSE_FORM, "Afsluiten", fields, submit_label="Afsluiten", context=report.reference))


def check_close(values: dict[str, str]) -> dict[str, str]:
    problems = {} if values.get("outcome") in (RESOLVED, REJECTED) else {"outcome": "Kies afgehandeld of afgewezen."}
    if "ap_decision" in values:
        problems |= breach.check_ap(values)
    return problems


def close(ctx: Context, actor: Actor, values: dict[str, str], reference: str) -> Result:
    outcome, note = values.get("outcome", RESOLVED), values.get("note", "")
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "afsluiten", may_handle)
        if opened is None:
            return not_found(reference)
        report = opened.report
        facts: dict[str, Any] = {}
        if breach.needs_decision(report):
            if "ap_decision" not in values:  # it became a possible breach after the form was opened
                return Result.say(Message(text=f"{report.reference} is een mogelijk datalek: leg eerst het AP-besluit vast.",
                                          buttons=[Button("AP-besluit vastleggen", "report.ap", report.reference)]))
            facts, ap_detail = breach.ap_facts(ctx, values)
            note = f"{note}\nAP-besluit: {ap_detail}".strip()
        if not transition(session, report, OPEN_STATUSES, ctx.now(), status=outcome, closed_at=ctx.now(),
                          handler_id=report.handler_id or actor.user_id, outcome_note=note or None, **facts):
            return Result.say(Message(text=taken_by_someone(report)))
        deadlines.cancel_reminders(session, report.reference)
        changed(session, ctx, opened, "report.close", f"afgesloten: {status_label(outcome)}", note)
        if report.reporter_id and not report.anonymous and report.reporter_id != actor.user_id:
            thanks = Message(text=f"Je melding {report.reference} is {status_label(outcome)}. Bedankt voor het melden!")
            send_direct(session, f"report:{report.reference}:closed:{report.reporter_id}", report.reporter_id, thanks, ctx.now())
    return Result.say(Message(text=f"✅ {report.reference} is {status_label(outcome)}."))


# --- category and severity ----------------------------------------------------------------------


def _may_recategorise(viewer: Viewer, report: Report) -> bool:
    return may_handle(viewer, report) or (is_reporter(viewer, report) and report.status == NEW)


def open_recategorise_form(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "categorie wijzigen", _may_recategorise)
        if opened is None:
            return not_found(reference)
        report = opened.report
        if not report.is_open:
            return Result.say(Message(text=taken_by_someone(report)))
    fields = (
        FormField("category", "Categorie", "choice", CATEGORY_CHOICES, default=report.category),
        FormField("severity", "Ernst", "choice", SEVERITY_CHOICES, default=report.severity),
        FormField("personal_data", "Gaat het om persoonsgegevens?", "yesno", default="ja" if report.personal_data else "nee"),
    )
    return Result(form=Form(RECATEGORISE_FORM, "Categorie of ernst", fields, submit_label="Opslaan", context=report.reference))


def check_recategorise(values: dict[str, str]) -> dict[str, str]:
    problems = {}
    if values.get("category") not in {c.value for c in CATEGORY_CHOICES}:
        problems["category"] = "Kies een categorie."
    if values.get("severity") not in {c.value for c in SEVERITY_CHOICES}:
        problems["severity"] = "Kies hoe ernstig het is."
    return problems


def recategorise(ctx: Context, actor: Actor, values: dict[str, str], reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "categorie wijzigen", _may_recategorise)
        if opened is None:
            return not_found(reference)
        report = opened.report
        was_breach, was_critical = report.possible_breach, report.severity == CRITICAL
        wanted = {"category": values["category"], "severity": values["severity"],
                  "personal_data": values.get("personal_data", "ja" if report.personal_data else "nee") == "ja"}
        changes = _changes(report, wanted)
        if not changes:
            return Result.say(Message(text=f"Niets gewijzigd aan {report.reference}."))
        allowed_from = OPEN_STATUSES if may_handle(opened.viewer, report) else [NEW]
        if not transition(session, report, allowed_from, ctx.now(), **wanted):
            return Result.say(Message(text=taken_by_someone(report)))
        _follow_new_category(session, ctx, report, was_breach=was_breach)
        changed(session, ctx, opened, "report.recategorise", "gewijzigd", "; ".join(changes))
        route(session, ctx, report)  # e.g. the FG for a breach, the manager for unsafe behaviour
        if report.severity == CRITICAL and not was_critical:
            alert_critical(session, ctx, report)
    return Result.say(Message(text=f"✅ {report.reference} aangepast: {'; '.join(changes)}."))


def _changes(report: Report, wanted: dict[str, Any]) -> list[str]:
    """The changes in words, for the timeline and the reply."""
    changes = []
    if wanted["category"] != report.category:
        changes.append(f"categorie {category_label(report.category)} → {category_label(wanted['category'])}")
    if wanted["severity"] != report.severity:
        changes.append(f"ernst {report.severity} → {wanted['severity']}")
    if wanted["personal_data"] != report.personal_data:
        changes.append("persoonsgegevens: " + ("ja" if wanted["personal_data"] else "nee"))
    return changes


def _follow_new_category(session: Session, ctx: Context, report: Report, *, was_breach: bool) -> None:
    """Start or stop the AP deadline when a report becomes, or stops being, a possible breach."""
    if report.possible_breach and not was_breach and report.ap_reported is None:
        report.ap_deadline = deadlines.ap_deadline(report.discovered_at)
        deadlines.schedule_reminders(session, ctx, report.reference, report.ap_deadline)
    elif was_breach and not report.possible_breach and report.ap_reported is None:
        report.ap_deadline = None
        deadlines.cancel_reminders(session, report.reference)
    session.add(report)


# --- amend ------------------------------------------------------------------------------------


def open_amend_form(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "aanvullen", _handler_or_reporter)
        if opened is None:
            return not_found(reference)
        if not opened.report.is_open:
            return Result.say(Message(text=taken_by_someone(opened.report)))
    field = FormField("text", "Wat wil je toevoegen?", "multiline", max_length=3000,
                      hint="Bijvoorbeeld: ik heb op de link geklikt, of: het ging om 40 dossiers.")
    return Result(form=Form(AMEND_FORM, "Aanvullen", (field,), submit_label="Toevoegen", context=opened.report.reference))


def amend(ctx: Context, actor: Actor, values: dict[str, str], reference: str) -> Result:
    text = values.get("text", "")
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "aanvullen", _handler_or_reporter)
        if opened is None:
            return not_found(reference)
        report = opened.report
        if not report.is_open:
            return Result.say(Message(text=taken_by_someone(report)))
        version = changed(session, ctx, opened, "report.amend", "aangevuld", text)
        by = "de melder" if opened.actor != actor.user_id else mention(actor.user_id)
        tell_routed(session, ctx, report, f"amend:{version}",
                    Message(text=f"✏️ Aanvulling op {report.reference} van {by}",
                            blocks=[f"✏️ Aanvulling op *{report.reference}* van {by}:", described(text)],
                            buttons=[Button("Details", "report.view", report.reference)]),
                    skip=actor.user_id)
    return Result.say(Message(text=f"✅ Aanvulling opgeslagen bij {report.reference}. De behandelaars krijgen hem te zien."))
