"""How a report looks in chat: the card routed people get, the full view, list lines.

Everything the reporter or a handler typed goes through `escape`; long texts are cut
before escaping so an entity like `&amp;` is never cut in two.
"""

from __future__ import annotations

from commands.context import Context
from commands.escalate import FROM_REPORT
from commands.messages import Block, Button, Fields, Message
from commands.report.access import ANONYMOUS_REPORTER, Viewer, is_reporter, may_handle, may_reveal
from commands.report.catalogue import CRITICAL, category_label, status_label
from commands.report.deadlines import when
from commands.text import escape, mention, shorten
from storage.reports import NEW, Report, ReportEvent

CARD_TEXT_LIMIT = 1500  # a direct message shows this much; the full view shows everything


def described(text: str, limit: int | None = None) -> str:
    if not text.strip():
        return "_(geen omschrijving)_"
    return escape(shorten(text, limit) if limit else text)


def plain_summary(text: str, limit: int) -> str:
    """The text as typed, cut to `limit`: for other modules that escape it themselves (a crisis description)."""
    return shorten(text, limit) if text.strip() else "(geen omschrijving)"


def reporter_shown(report: Report) -> str:
    if report.purged_at:
        return "verwijderd"
    if report.anonymous:
        return "anoniem"
    return mention(report.reporter_id) if report.reporter_id else "onbekend"


def actor_shown(actor: str) -> str:
    if actor == ANONYMOUS_REPORTER:
        return "melder (anoniem)"
    if actor in ("systeem", "cli", ""):
        return actor or "—"
    return mention(actor)


def summary_fields(ctx: Context, report: Report) -> Fields:
    severity = f"🚨 {report.severity}" if report.severity == CRITICAL else report.severity
    return Fields((
        ("Categorie", category_label(report.category)),
        ("Ernst", severity),
        ("Status", status_label(report.status)),
        ("Afdeling", escape(report.department) if report.department else "onbekend"),
        ("Melder", reporter_shown(report)),
        ("Behandelaar", mention(report.handler_id) if report.handler_id else "nog niemand"),
        ("Gemeld", when(ctx, report.created_at)),
    ))


def breach_lines(ctx: Context, report: Report) -> list[str]:
    lines: list[str] = []
    if report.personal_data:
        affected = f", ongeveer {report.people_affected} personen" if report.people_affected else ""
        lines.append(f"Persoonsgegevens: ja{affected}.")
    if not report.possible_breach or report.ap_deadline is None:
        return lines
    if report.ap_reported is True and report.ap_reported_at:
        reference = f" (kenmerk {escape(report.ap_reference)})" if report.ap_reference else ""
        lines.append(f"✅ Gemeld bij de Autoriteit Persoonsgegevens op {when(ctx, report.ap_reported_at)}{reference}.")
    elif report.ap_reported is False:
        lines.append("AP: besloten dit niet te melden (geen meldplichtig datalek). Het blijft geregistreerd.")
    elif report.ap_deadline > ctx.now():
        unknown = " (tijdstip onbekend: gerekend vanaf 00:00)" if not report.discovered_time_known else ""
        lines.append(
            f"⏱️ *Mogelijk datalek.* Melden bij de Autoriteit Persoonsgegevens *uiterlijk {when(ctx, report.ap_deadline)}*: "
            f"72 uur na ontdekking op {when(ctx, report.discovered_at)}{unknown}. Nachten en weekenden tellen mee."
        )
    else:
        lines.append(
            f"⚠️ *Mogelijk datalek: de 72 uur voor de AP zijn voorbij* ({when(ctx, report.ap_deadline)}). "
            "Meld zo snel mogelijk en leg de reden van de vertraging vast."
        )
    return lines


def source_line(report: Report) -> str | None:
    if not report.source_link and not report.source_author:
        return None
    link = f"<{escape(report.source_link)}|het gemelde bericht>" if report.source_link else "het gemelde bericht"
    author = f" (geplaatst door {mention(report.source_author)})" if report.source_author else ""
    return f"Gemeld via {link}{author}."


def buttons_for(viewer: Viewer, report: Report, *, full_view: bool) -> list[Button]:
    """The buttons this viewer may use; each action checks again when pressed."""
    reference = report.reference
    buttons: list[Button] = []
    handles = may_handle(viewer, report)
    if report.is_open and handles:
        if report.status == NEW:
            buttons.append(Button("In behandeling nemen", "report.take", reference, style="primary"))
        buttons.append(Button("Toewijzen", "report.assign", reference))
        if report.possible_breach and report.ap_reported is None:
            buttons.append(Button("AP-besluit vastleggen", "report.ap", reference))
        buttons.append(Button("Afsluiten", "report.close", reference))
        if full_view or report.severity == CRITICAL:
            buttons.append(Button("🚨 Opschalen naar crisis", FROM_REPORT, reference, style="danger",
                                  confirm="Hiermee roep je het ICT-crisisteam op (§7.3), of vraag je de CISO dat te doen."))
    if report.is_open and (handles or is_reporter(viewer, report)):
        if full_view or not handles:
            buttons.append(Button("Aanvullen", "report.amend", reference))
        if full_view and (handles or report.status == NEW):
            buttons.append(Button("Categorie of ernst wijzigen", "report.recategorise", reference))
    if not full_view:
        buttons.append(Button("Details", "report.view", reference))
    if full_view and report.anonymous and report.reporter_sealed and may_reveal(viewer):
        buttons.append(Button("Melder onthullen", "report.reveal", reference, style="danger",
                              confirm="De identiteit van de melder wordt getoond en dat wordt vastgelegd."))
    return buttons


def card(ctx: Context, report: Report, viewer: Viewer, *, notes: list[str], reason: str) -> Message:
    """The direct message a routed person gets (and gets updated after every change)."""
    critical = report.severity == CRITICAL
    label = category_label(report.category)
    headline = "🚨 Kritieke melding" if critical else "Melding"
    blocks: list[Block] = [summary_fields(ctx, report), f"*Wat er gebeurde*\n{described(report.text, CARD_TEXT_LIMIT)}"]
    blocks += [line for line in (source_line(report),) if line]
    blocks += breach_lines(ctx, report)
    if critical and report.is_open:
        blocks.append("🚨 *Kritiek:* beoordeel direct of het ICT-crisisteam nodig is (`/crisis`).")
    blocks += notes
    return Message(
        text=f"{headline} {report.reference}: {label} ({status_label(report.status)})",
        title=f"{headline} {report.reference} · {label}",
        blocks=blocks,
        buttons=buttons_for(viewer, report, full_view=False),
        footnote=f"Je krijgt dit als {escape(reason)}. Alles over deze melding: `/meld {report.reference}`.",
    )


def full_view(ctx: Context, report: Report, viewer: Viewer, events: list[ReportEvent]) -> Message:
    blocks: list[Block] = [summary_fields(ctx, report), f"*Wat er gebeurde*\n{described(report.text)}"]
    if report.purged_at:
        blocks[1] = f"_Tekst en persoonsgegevens verwijderd op {when(ctx, report.purged_at)} (bewaartermijn)._"
    blocks += [line for line in (source_line(report),) if line]
    blocks += breach_lines(ctx, report)
    if report.outcome_note:
        blocks.append(f"*Toelichting bij afsluiten*\n{described(report.outcome_note)}")
    blocks.append("*Tijdlijn*\n" + "\n".join(timeline_line(ctx, event) for event in events))
    return Message(
        text=f"{report.reference}: {category_label(report.category)} ({status_label(report.status)})",
        title=f"{report.reference} · {category_label(report.category)}",
        blocks=blocks,
        buttons=buttons_for(viewer, report, full_view=True),
    )


def timeline_line(ctx: Context, event: ReportEvent) -> str:
    detail = f": {described(event.detail, 300)}" if event.detail else ""
    return f"• {when(ctx, event.at)} · {actor_shown(event.actor)} · {event.action}{detail}"


def list_line(ctx: Context, report: Report) -> str:
    department = f" · {escape(report.department)}" if report.department else ""
    critical = "🚨 " if report.severity == CRITICAL and report.is_open else ""
    return (f"{critical}*{report.reference}* · {category_label(report.category)} · {status_label(report.status)}"
            f"{department} · {when(ctx, report.created_at)}")
