"""Looking into the register from chat: one report, your own and the ones you may see, App Home,
and the CISO revealing an anonymous reporter. Every report shown is logged in the audit log."""

from __future__ import annotations

from sqlmodel import Session, and_, col, not_

from commands.audit import record
from commands.context import Actor, Context
from commands.messages import Button, Message, Result
from commands.report.access import Viewer, actor_name, handled_condition, may_reveal, may_view, own_condition, viewer_for
from commands.report.render import full_view, list_line
from commands.report.sealing import SealBroken, seal_for
from commands.report.workflow import not_found, open_report
from commands.text import escape, mention
from storage.people import get_member
from storage.reports import OPEN_STATUSES, Report, add_event, counts_where, reports_where, timeline

OWN_LIMIT = 10
HANDLED_LIMIT = 20
HOME_OWN_LIMIT, HOME_HANDLED_LIMIT, HOME_BUTTONS = 5, 10, 5


def view(ctx: Context, actor: Actor, reference: str) -> Result:
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "bekijken", may_view)
        if opened is None:
            return not_found(reference)
        record(session, ctx, opened.actor, "report.view", opened.report.reference)
        return Result.say(full_view(ctx, opened.report, opened.viewer, timeline(session, opened.report)))


def status(ctx: Context, actor: Actor) -> Result:
    """Your own reports and the ones you may see: the first few of each (open first, newest first), with how many there are."""
    with ctx.db.session() as session:
        viewer = viewer_for(session, ctx, actor.user_id)
        own, handled = _visible(session, viewer, OWN_LIMIT, HANDLED_LIMIT)
        own_counts = counts_where(session, own_condition(viewer)) if len(own) >= OWN_LIMIT else None
        handled_counts = (counts_where(session, handled_condition(viewer), not_(own_condition(viewer)))
                          if len(handled) >= HANDLED_LIMIT else None)
        _log_shown(session, ctx, viewer, own + handled)
    if own:
        mine = f"*Jouw meldingen*{_how_many(len(own), own_counts)}\n" + "\n".join(list_line(ctx, r) for r in own)
    else:
        mine = "Je hebt nog niets gemeld. Zie je iets onveiligs? `/meld &lt;wat er gebeurde&gt;`, of `/meld` voor het formulier."
    messages = [Message(text="Jouw meldingen", blocks=[mine])]
    if handled:
        lines = "\n".join(list_line(ctx, r) for r in handled)
        heading = f"*Meldingen die jij mag zien*{_how_many(len(handled), handled_counts)}"
        messages.append(Message(text="Meldingen die jij mag zien", blocks=[f"{heading}\n{lines}"]))
    if own or handled:
        messages[-1].footnote = f"Eén melding bekijken: `/meld {(own + handled)[0].reference}` (met het nummer)."
    return Result(messages=messages)


def home(ctx: Context, actor: Actor) -> list[Message]:
    with ctx.db.session() as session:
        viewer = viewer_for(session, ctx, actor.user_id)
        own, handled = _visible(session, viewer, HOME_OWN_LIMIT, HOME_HANDLED_LIMIT, open_only=True)
        still_open = col(Report.status).in_(OPEN_STATUSES)
        open_handled = (counts_where(session, handled_condition(viewer), not_(own_condition(viewer)), still_open)[1]
                        if len(handled) >= HOME_HANDLED_LIMIT else len(handled))
        _log_shown(session, ctx, viewer, own + handled)
    mine = "\n".join(list_line(ctx, r) for r in own) or "Geen lopende meldingen van jou."
    messages = [Message(
        text="Melden",
        title="Melden",
        blocks=["Zie je iets onveiligs, een datalek of phishing? Meld het meteen: `/meld &lt;wat er gebeurde&gt;`.",
                f"*Jouw lopende meldingen*\n{mine}"],
        buttons=[Button("Nieuwe melding", "report.new", style="primary")],
    )]
    if handled:
        more = (f"_De nieuwste {len(handled)} van {_number(open_handled)} open meldingen; alles: `/meld status`._"
                if open_handled > len(handled) else "")
        messages.append(Message(
            text="Open meldingen",
            title="Open meldingen die jij mag zien",
            blocks=["\n".join(list_line(ctx, r) for r in handled)] + ([more] if more else []),
            buttons=[Button(f"{r.reference} bekijken", "report.view", r.reference) for r in handled[:HOME_BUTTONS]],
        ))
    return messages


def _how_many(shown: int, counts: tuple[int, int] | None) -> str:
    """' (open eerst)', or with more than are shown: ' (open eerst; 20 van 9.812, waarvan 412 open)'."""
    if counts is None or counts[1] <= shown:
        return " (open eerst)"
    open_count, total = counts
    return f" (open eerst; {shown} van {_number(total)}, waarvan {_number(open_count)} open)"


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _visible(
    session: Session, viewer: Viewer, own_limit: int, handled_limit: int, *, open_only: bool = False
) -> tuple[list[Report], list[Report]]:
    """The viewer's own reports and, apart from those, the ones their role lets them see."""
    extra = [col(Report.status).in_(OPEN_STATUSES)] if open_only else []
    mine = own_condition(viewer)
    own = [r for r in reports_where(session, mine, *extra, limit=own_limit) if may_view(viewer, r)]
    handled = [r for r in reports_where(session, and_(handled_condition(viewer), not_(mine)), *extra, limit=handled_limit)
               if may_view(viewer, r)]
    return own, handled


def _log_shown(session: Session, ctx: Context, viewer: Viewer, reports: list[Report]) -> None:
    """One audit row per report shown, each under the name that fits it (an anonymous report stays anonymous)."""
    for report in reports:
        record(session, ctx, actor_name(viewer, report), "report.list", report.reference)


def reveal(ctx: Context, actor: Actor, reference: str) -> Result:
    """The CISO sees who filed an anonymous report; the reveal is in the timeline and the audit log."""
    with ctx.db.session() as session:
        opened = open_report(session, ctx, actor, reference, "melder onthullen", lambda v, r: may_reveal(v) and may_view(v, r))
        if opened is None:
            return Result.say(Message(text="Alleen de CISO kan de melder van een anonieme melding inzien. "
                                           "Deze poging is vastgelegd."))
        report, seal = opened.report, seal_for(ctx)
        if not report.anonymous:
            return Result.say(Message(text=f"{report.reference} is niet anoniem gemeld; de melder staat gewoon in de melding."))
        if not report.reporter_sealed or seal is None:
            return Result.say(Message(text=f"{report.reference} is zonder naam opgeslagen; niemand kan de melder achterhalen."))
        try:
            user_id = seal.open(report.reporter_sealed)
        except SealBroken:
            return Result.say(Message(text=f"De melder van {report.reference} kan niet worden onthuld: "
                                           "BOT_SEAL_KEY is gewijzigd sinds de melding."))
        add_event(session, report, ctx.now(), opened.actor, "identiteit van de melder ingezien")
        record(session, ctx, opened.actor, "report.reveal", report.reference)
        member = get_member(session, user_id)
    name = f" ({escape(member.name)})" if member else ""
    return Result.say(Message(text=f"🔓 De melder van {report.reference} is {mention(user_id)}{name}. "
                                   "Dit is vastgelegd in de tijdlijn en het auditlog."))
