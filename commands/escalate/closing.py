"""Closing a crisis and the report (Markdown) that feeds the analysis and reporting of §7.3."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from commands.audit import record
from commands.context import Context
from commands.escalate import keys, paging, texts, timeline
from commands.escalate.team import covered_by, name_of
from commands.messages import Message
from commands.outbox import messages_with_prefix, post_in_room
from commands.text import escape
from commands.timers import cancel_timers
from storage import crises
from storage.crises import CLOSED, OPEN, Crisis, CrisisMember
from storage.outbox import FAILED, SENT

SLACK_CHUNK = 2800  # characters of report per code block (a Slack section holds 3000)


def close(session: Session, ctx: Context, crisis: Crisis, actor: str) -> bool:
    """Close an open crisis: stop all escalation, settle open pages, post the report. False if closed already."""
    cancel_timers(session, keys.crisis_prefix(crisis.reference))
    now = ctx.now()
    if not crises.move(session, crisis, OPEN, CLOSED, closed_by=actor, closed_at=now, open_key=None):
        return False
    for member in crises.members(session, crisis.id):
        if not member.acknowledged_at:
            paging.settle_pages(session, ctx, keys.pages_to(crisis.reference, member.user_id),
                                f"🏁 Crisis gesloten om {texts.when(ctx, now)}; je hoeft niet meer te reageren.")
    timeline.record(session, ctx, crisis, "closed", f"Crisis gesloten door {name_of(session, actor)}", actor=actor, refresh=True)
    post_in_room(session, keys.report(crisis.reference), keys.room(crisis.reference),
                 report_message(ctx, crisis, report_markdown(session, ctx, crisis)), now)
    record(session, ctx, actor, "crisis.close", crisis.reference)
    cancel_timers(session, keys.crisis_prefix(crisis.reference))  # again: one a running timer scheduled meanwhile
    return True


def report_message(ctx: Context, crisis: Crisis, markdown: str) -> Message:
    """The report for chat: a short intro and the Markdown in code blocks (Slack does not render tables)."""
    duration = _duration(crisis.declared_at, crisis.closed_at) if crisis.closed_at else "nog open"
    blocks: list = [f"Duur: {duration}. Dit verslag is de basis voor de analyse en rapportage (§7.3)."]
    blocks += [_code_block(chunk) for chunk in _chunks(markdown, SLACK_CHUNK)]
    return Message(
        text=f"🏁 {crisis.reference}: verslag",
        title=f"🏁 {crisis.reference}: verslag",
        blocks=blocks,
        footnote=f"Ook op te vragen met `python -m bot crises report {crisis.reference}`.",
    )


def _code_block(text: str) -> str:
    fence = "```"
    safe = escape(text).replace(fence, "'''")  # typed backticks must not end the block
    return f"{fence}\n{safe}\n{fence}"


def _chunks(text: str, limit: int) -> list[str]:
    chunks, current = [], ""
    for line in text.splitlines():
        line = line[:limit]
        if current and len(current) + len(line) + 1 > limit:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks


# --- the report --------------------------------------------------------------------------------


def report_markdown(session: Session, ctx: Context, crisis: Crisis) -> str:
    members = crises.members(session, crisis.id)
    events = crises.events(session, crisis.id)
    actions = crises.actions(session, crisis.id)
    names = {m.user_id: m.name for m in members}
    stamp = _stamper(ctx, crisis)
    lines = [
        f"# Crisisverslag {crisis.reference}",
        "",
        "| | |",
        "|---|---|",
        f"| Wat | {_cell(crisis.description)} |",
        f"| Afdeling | {_cell(crisis.department or 'onbekend')} |",
    ]
    if crisis.requested_by:
        lines.append(f"| Gevraagd | {_full(ctx, crisis.created_at)} door {_cell(_name(session, names, crisis.requested_by))} |")
    if crisis.declared_by:
        lines.append(f"| Uitgeroepen | {_full(ctx, crisis.declared_at)} door {_cell(_name(session, names, crisis.declared_by))} |")
    if crisis.closed_by:
        duration = _duration(crisis.declared_at, crisis.closed_at)
        lines.append(f"| Gesloten | {_full(ctx, crisis.closed_at)} door {_cell(_name(session, names, crisis.closed_by))} (duur {duration}) |")
    lines.append(f"| Persoonsgegevens | {'ja' if crisis.personal_data else 'niet gemeld'} |")
    if crisis.source:
        lines.append(f"| Melding | {_cell(crisis.source)} |")
    lines.append(f"| Kanaal | #{crisis.room_name} |")

    lines += ["", "## Oproepen en bevestigingen", "",
              "| Wie | Rol | Opgeroepen | Oproepen | Afgeleverd | Bevestigd | Reactietijd |", "|---|---|---|---|---|---|---|"]
    pages = [row for row in messages_with_prefix(session, f"crisis:{crisis.reference}:page:") if row.kind == "direct"]
    team_by_id = {m.user_id: m for m in members}
    for member in members:
        lines.append(_member_row(member, team_by_id, pages, stamp))
    failed = [row for row in pages if row.status == FAILED]
    if crisis.vacancies or failed:
        lines.append("")
    lines += [f"- Niet ingevuld: {_cell(v)} (niemand in het rooster)" for v in crisis.vacancies]
    lines += [f"- Niet afgeleverd: oproep aan {_cell(names.get(row.recipient, row.recipient))} ({_cell(row.last_error or 'onbekend')})"
              for row in failed]

    open_actions = [a for a in actions if a.done_at is None]
    lines += ["", "## Open acties", ""]
    lines += [f"- [ ] {a.number}. {_cell(a.text)} ({_cell(_name(session, names, a.created_by))}, {stamp(a.created_at)})"
              for a in open_actions] or ["Geen."]
    done = [a for a in actions if a.done_at is not None]
    if done:
        lines += ["", "Afgerond:", ""]
        lines += [f"- [x] {a.number}. {_cell(a.text)} ({stamp(a.done_at)})" for a in done]

    lines += ["", "## Tijdlijn", "", "| Tijd | Wie | Gebeurtenis |", "|---|---|---|"]
    lines += [f"| {stamp(e.at)} | {_cell(_name(session, names, e.actor))} | {_cell(e.text)} |" for e in events]

    lines += ["", "## Na de crisis", "",
              "- Analyse: oorzaak, gevolgen, wat ging goed en wat kan beter.",
              "- Rapportage aan directie en portefeuillehouder (§6.7); deel wat nuttig is met de IBD (§7.2)."]
    if crisis.personal_data:
        lines.append("- Datalek: registreren, en melden bij de AP binnen 72 uur na ontdekking (AVG art. 33); de FG adviseert.")
    if crisis.vacancies:
        lines.append(f"- Rooster aanvullen: {_cell(', '.join(crisis.vacancies))}.")
    return "\n".join(lines) + "\n"


def _member_row(member: CrisisMember, team_by_id: dict[str, CrisisMember], pages: list, stamp) -> str:  # noqa: ANN001
    own = [row for row in pages if row.recipient == member.user_id]
    delivered = [row.sent_at for row in own if row.status == SENT and row.sent_at]
    if member.acknowledged_via == texts.DECLARED_VIA:
        acknowledged, reaction = f"{stamp(member.acknowledged_at)} (riep uit)", "—"
    elif member.acknowledged_at:
        reaction = _duration(member.first_paged_at, member.acknowledged_at) if member.first_paged_at else "—"
        acknowledged = stamp(member.acknowledged_at)
    elif cover := covered_by(member, team_by_id):
        acknowledged, reaction = "—", f"vervangen door {cover.name}"
    else:
        acknowledged, reaction = "—", "geen reactie" if member.pages else "—"
    return (f"| {_cell(member.name)} | {_cell(member.seats or member.kind)} | {stamp(member.first_paged_at)} | {member.pages} "
            f"| {stamp(min(delivered)) if delivered else '—'} | {acknowledged} | {reaction} |")


def _stamper(ctx: Context, crisis: Crisis):  # noqa: ANN202 - a formatter
    """Times of day; with the date when the crisis runs past midnight."""
    start = ctx.local(crisis.declared_at or crisis.created_at).date()

    def stamp(moment: datetime | None) -> str:
        if moment is None:
            return "—"
        local = ctx.local(moment)
        return local.strftime("%H:%M:%S") if local.date() == start else local.strftime("%Y-%m-%d %H:%M:%S")

    return stamp


def _full(ctx: Context, moment: datetime | None) -> str:
    return ctx.local(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "—"
    seconds = int((end - start).total_seconds())
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours} u {rest // 60} min"
    return f"{rest // 60} min {rest % 60} s" if rest >= 60 else f"{rest} s"


def _name(session: Session, names: dict[str, str], user_id: str) -> str:
    if user_id == timeline.SYSTEM:
        return "bot"
    return names.get(user_id) or name_of(session, user_id)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return " ".join(text.split()).replace("|", "\\|")
