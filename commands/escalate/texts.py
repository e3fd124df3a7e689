"""What the crisis team reads: pages, the pinned summary, status, notices (Dutch, phone-sized).

Everything a user typed (the description, log lines, actions) is escaped here; storage
keeps it as typed.
"""

from __future__ import annotations

from datetime import datetime

from commands.context import Context
from commands.escalate.team import covered_by
from commands.messages import Button, Fields, Message
from commands.text import escape, mention, shorten
from storage.crises import DEPUTY, INFORMED, INITIATOR, Crisis, CrisisAction, CrisisEvent, CrisisMember

ACK = "crisis.ack"
CONVENE = "crisis.convene"
DECLINE = "crisis.decline"
DECLARED_VIA = "uitgeroepen"  # acknowledged_via of the person who declared or convened
COMMANDS_HINT = "`/crisis log &lt;tekst&gt;` · `/crisis actie &lt;tekst&gt;` · `/crisis status` · `/crisis sluit`"

EVENT_ICONS = {
    "requested": "🙋", "declared": "🚨", "declined": "🟢", "vacant": "⚠️", "page": "📟", "informed": "ℹ️", "ack": "✅",
    "escalation": "⏫", "join": "➕", "unanswered": "❌", "log": "📝", "action": "📌", "action_done": "☑️",
    "closed": "🏁", "source": "📎",
}


def when(ctx: Context, moment: datetime | None) -> str:
    return ctx.local(moment).strftime("%H:%M") if moment else "—"


def minutes(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"


def what(crisis: Crisis, limit: int = 600) -> str:
    return escape(shorten(crisis.description, limit))


def facts(ctx: Context, crisis: Crisis) -> Fields:
    pairs = [("Afdeling", escape(crisis.department or "onbekend"))]
    if crisis.declared_by:
        pairs.append(("Uitgeroepen", f"{when(ctx, crisis.declared_at)} door {mention(crisis.declared_by)}"))
    elif crisis.requested_by:
        pairs.append(("Gevraagd", f"{when(ctx, crisis.created_at)} door {mention(crisis.requested_by)}"))
    pairs.append(("Persoonsgegevens", "ja" if crisis.personal_data else "niet gemeld"))
    if crisis.source:
        pairs.append(("Melding", escape(crisis.source)))
    return Fields(tuple(pairs))


# --- pages ---------------------------------------------------------------------------------


def page(ctx: Context, crisis: Crisis, member: CrisisMember, round_: int, *, standing_in_for: CrisisMember | None) -> Message:
    again = f" ({round_}e oproep)" if round_ > 1 else ""
    role = f"plaatsvervanger van {escape(standing_in_for.name)} ({escape(standing_in_for.seats)}), die niet reageert" \
        if standing_in_for else escape(member.seats)
    return Message(
        text=f"🚨 Crisis{again}: {what(crisis, 150)} — kom je?",
        title=f"🚨 ICT-crisisoverleg{again}",
        blocks=[
            f"*{crisis.reference}*: {what(crisis)}",
            facts(ctx, crisis),
            f"Je bent opgeroepen als *{role}*. Kanaal: *#{crisis.room_name}*",
        ],
        buttons=[Button("✅ Ik kom", action=ACK, value=crisis.reference, style="primary")],
        footnote=f"Bevestig dat je komt. Geen reactie binnen {minutes(ctx.options.escalation_ack_seconds)}? "
        "Dan roep ik je opnieuw op, en je plaatsvervanger.",
    )


def informed(ctx: Context, crisis: Crisis, member: CrisisMember) -> Message:
    return Message(
        text=f"ℹ️ Crisis {crisis.reference}: {what(crisis, 150)}",
        title="ℹ️ ICT-crisisoverleg: ter informatie",
        blocks=[
            f"*{crisis.reference}*: {what(crisis)}",
            facts(ctx, crisis),
            f"Je bent erbij gehaald als *{escape(member.seats or 'betrokkene')}* en toegevoegd aan *#{crisis.room_name}*. "
            "Sluit aan als je kunt; ik roep je niet opnieuw op.",
        ],
        buttons=[Button("Ik sluit aan", action=ACK, value=crisis.reference)],
    )


def decision_page(ctx: Context, crisis: Crisis, round_: int, *, instead_of_ciso: bool = False) -> Message:
    again = f" ({round_}e oproep)" if round_ > 1 else ""
    who = "De CISO reageert niet; wil jij besluiten?" if instead_of_ciso else "Besluit of het crisisoverleg (§7.3) nodig is."
    return Message(
        text=f"🚨 Crisisoverleg nodig?{again} {what(crisis, 150)}",
        title=f"🚨 Crisisoverleg nodig?{again}",
        blocks=[f"*{crisis.reference}*: {what(crisis)}", facts(ctx, crisis)],
        buttons=[
            Button("🚨 Crisisoverleg bijeenroepen", action=CONVENE, value=crisis.reference, style="danger"),
            Button("Niet nodig", action=DECLINE, value=crisis.reference),
        ],
        footnote=f"{who} Bijeenroepen roept het crisisteam direct op.",
    )


def settled(original: Message, note: str) -> Message:
    """The page without its buttons and instructions, with what happened on top."""
    return Message(text=f"{note} — {original.text}", title=original.title, blocks=[note, *original.blocks])


# --- the room ------------------------------------------------------------------------------


def team_lines(ctx: Context, members: list[CrisisMember]) -> list[str]:
    by_id = {m.user_id: m for m in members}
    return [_member_line(ctx, m, by_id) for m in members]


def _member_line(ctx: Context, m: CrisisMember, by_id: dict[str, CrisisMember]) -> str:
    who = f"{mention(m.user_id)} ({escape(m.seats)})" if m.seats else mention(m.user_id)
    if m.acknowledged_via == DECLARED_VIA:
        return f"✅ {who}: riep de crisis uit"
    if m.acknowledged_at:
        return f"✅ {who}: bevestigd {when(ctx, m.acknowledged_at)}"
    cover = covered_by(m, by_id)
    if cover:
        return f"↪️ {who}: vervangen door {mention(cover.user_id)}"
    if m.kind == INITIATOR:
        return f"🧭 {who}"
    if m.kind == INFORMED:
        return f"ℹ️ {who}: geïnformeerd"
    if m.kind == DEPUTY:
        seats = [s for s in by_id.values() if s.deputy_id == m.user_id and s.pages > 1]
        if seats and all(covered_by(s, by_id) for s in seats):
            return f"➖ {who}: niet meer nodig"
        if seats and all(covered_by(s, by_id) or s.unanswered_at for s in seats):
            return f"❌ {who}: geen reactie na {m.pages} oproepen"
    if m.unanswered_at:
        return f"❌ {who}: geen reactie na {m.pages} oproepen"
    if m.pages == 0:
        return f"⏳ {who}: nog niet opgeroepen"
    times = f", {m.pages}×" if m.pages > 1 else ""
    return f"⏳ {who}: opgeroepen {when(ctx, m.first_paged_at)}{times}"


def vacancy_lines(crisis: Crisis) -> list[str]:
    return [f"⚠️ {escape(v)}: niemand in het rooster, regel zelf iemand" for v in crisis.vacancies]


def first_steps(ctx: Context, crisis: Crisis) -> str:
    steps = [
        "Beperk de schade: haal getroffen systemen van het netwerk (niet uitzetten).",
        "Schakel IBD-CERT in voor ondersteuning (§7.2); contact hieronder.",
        "Leg alles vast: `/crisis log &lt;wat&gt;`; acties: `/crisis actie &lt;wat&gt;`.",
        "Eén woordvoerder; niets naar buiten zonder afstemming met communicatie.",
    ]
    if crisis.personal_data:
        steps.insert(2, "Persoonsgegevens geraakt: datalek. FG adviseert; melden bij de AP binnen 72 uur (AVG art. 33).")
    return "*Eerste stappen*\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))


def summary(ctx: Context, crisis: Crisis, members: list[CrisisMember]) -> Message:
    closed = f" (gesloten {when(ctx, crisis.closed_at)})" if crisis.closed_at else ""
    return Message(
        text=f"🚨 {crisis.reference}: {what(crisis, 150)}",
        title=f"🚨 {crisis.reference}: ICT-crisisoverleg{closed}",
        blocks=[
            f"*Wat er speelt:* {what(crisis)}",
            facts(ctx, crisis),
            "*Crisisteam (§7.3)*\n" + "\n".join(team_lines(ctx, members) + vacancy_lines(crisis)),
            first_steps(ctx, crisis),
            f"*IBD-CERT, 24/7 (§7.2):* {escape(ctx.options.ibd_cert_contact)}",
        ],
        footnote=COMMANDS_HINT,
    )


def event_line(ctx: Context, event: CrisisEvent) -> str:
    return f"`{when(ctx, event.at)}` {EVENT_ICONS.get(event.kind, '•')} {escape(event.text)}"


def event_post(ctx: Context, crisis: Crisis, event: CrisisEvent) -> Message:
    return Message(text=f"{crisis.reference}: {escape(shorten(event.text, 150))}", blocks=[event_line(ctx, event)])


def unanswered(ctx: Context, crisis: Crisis, seat: CrisisMember, deputy: CrisisMember | None) -> Message:
    total = minutes(ctx.options.escalation_ack_seconds * seat.pages)
    deputy_note = f" Plaatsvervanger {mention(deputy.user_id)} reageerde ook niet." if deputy else " Er is geen plaatsvervanger."
    return Message(
        text=f"⚠️ {crisis.reference}: geen reactie van {escape(seat.name)}",
        title="⚠️ Crisisteam niet compleet",
        blocks=[
            f"*{crisis.reference}*: {mention(seat.user_id)} ({escape(seat.seats)}) reageerde niet op {seat.pages} oproepen "
            f"in {total}.{deputy_note}",
            "Bel zelf, of haal iemand anders erbij met `/crisis erbij &lt;naam of id&gt;`.",
        ],
    )


def undecided(ctx: Context, crisis: Crisis) -> Message:
    return Message(
        text=f"⚠️ {crisis.reference}: nog geen besluit over een crisisoverleg",
        blocks=[
            f"*{crisis.reference}*: de CISO heeft nog niet besloten of een crisisoverleg nodig is.",
            "Is er direct gevaar? Bel de CISO of de gemeentesecretaris zelf.",
        ],
    )


# --- replies -------------------------------------------------------------------------------


def status(ctx: Context, crisis: Crisis, members: list[CrisisMember], events: list[CrisisEvent], actions: list[CrisisAction]) -> Message:
    state = {"requested": "wacht op besluit van de CISO", "open": f"open sinds {when(ctx, crisis.declared_at)}",
             "closed": f"gesloten {when(ctx, crisis.closed_at)}", "declined": "niet nodig bevonden"}[crisis.status]
    blocks: list = [f"*Wat er speelt:* {what(crisis)}", facts(ctx, crisis)]
    if members or crisis.vacancies:
        blocks.append("*Crisisteam*\n" + "\n".join(team_lines(ctx, members) + vacancy_lines(crisis)))
    open_actions = [a for a in actions if a.done_at is None]
    if open_actions:
        blocks.append("*Open acties*\n" + "\n".join(f"{a.number}. {escape(a.text)}" for a in open_actions))
    recent = events[-10:]
    blocks.append("*Tijdlijn*" + (" (laatste 10)" if len(events) > 10 else "") + "\n" + "\n".join(event_line(ctx, e) for e in recent))
    return Message(text=f"{crisis.reference}: {state}", title=f"{crisis.reference}: {state}", blocks=blocks, footnote=COMMANDS_HINT)


def unknown_crisis(reference: str) -> Message:
    return Message(text=f"Crisis `{escape(reference)}` ken ik niet. Kijk de kenmerk na, of typ `/crisis status`.")
