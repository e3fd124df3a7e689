"""`/crisis` and the crisis buttons: read what was typed, find the crisis, check who may."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from sqlmodel import Session

from commands.audit import record
from commands.context import Actor, Context
from commands.escalate import closing, declare, keys, paging, team, texts, timeline
from commands.escalate.team import UnknownDepartment, name_of
from commands.messages import Message, Result
from commands.outbox import receipt
from commands.roles import ROLE_IDS, role_label
from commands.text import clean, escape, mention, shorten
from storage import crises
from storage.crises import CLOSED, DECLINED, OPEN, REQUESTED, Crisis
from storage.db import DatabaseUnavailable
from storage.people import Member, active_members, get_member, holders

log = logging.getLogger(__name__)

REFERENCE = re.compile(r"^CRISIS-\d{4}-\d{1,6}$", re.IGNORECASE)
USER_MENTION = re.compile(r"^<@([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$")
ACKNOWLEDGING = re.compile(r"ik\s+kom(?:\s+(?P<rest>.*))?", re.IGNORECASE | re.DOTALL)
LOG_LIMIT = 3000

HELP = Message(
    text="Zo werkt /crisis",
    title="ICT-crisisoverleg (§7.3)",
    blocks=[
        "• `/crisis &lt;wat er speelt&gt;`: roep het crisisteam op (gemeentesecretaris, CISO, CIO, DSPO en afdelingsmanager). "
        "Heb je geen crisisrol, dan vraag ik de CISO om te besluiten.\n"
        "• `/crisis afdeling=Burgerzaken &lt;wat&gt;`: voor een andere afdeling dan de jouwe.\n"
        "• `/crisis ik kom`: bevestig je oproep.\n"
        "• `/crisis status` · `/crisis log &lt;tekst&gt;` · `/crisis actie &lt;tekst&gt;` · `/crisis klaar &lt;nr&gt;`\n"
        "• `/crisis erbij &lt;fg | communicatie | naam&gt;`: haal iemand erbij.\n"
        "• `/crisis sluit`: sluit de crisis en maak het verslag.",
        "Zijn er meer crises tegelijk? Zet het kenmerk erachter, bijvoorbeeld `/crisis status CRISIS-2026-0003`, "
        "of typ het commando in het crisiskanaal.",
    ],
)


def crisis_command(ctx: Context, actor: Actor, text: str) -> Result:
    try:
        return _crisis_command(ctx, actor, text)
    except DatabaseUnavailable:  # perhaps the very crisis: say what to do instead of "try again later"
        log.error("database unavailable; /crisis could not page anyone")
        return Result.say(Message(
            text="⚠️ Het register is niet bereikbaar: ik kan nu *niemand* oproepen en er is niets vastgelegd.",
            blocks=["⚠️ Het register is niet bereikbaar: ik kan nu *niemand* oproepen en er is niets vastgelegd.",
                    ("Is het dringend? Bel de CISO en het crisisteam zelf.\n"
                     f"*IBD-CERT, 24/7 (§7.2):* {escape(ctx.options.ibd_cert_contact)}")],
        ))


def _crisis_command(ctx: Context, actor: Actor, text: str) -> Result:
    text = clean(text)
    word, rest = _first_word(text)
    word = word.lower()
    if not text or word in ("help", "hulp", "?"):
        return Result.say(HELP)
    if word in SUBCOMMANDS:
        return SUBCOMMANDS[word](ctx, actor, rest)
    acknowledging = ACKNOWLEDGING.fullmatch(text)
    if acknowledging:
        return _acknowledge_command(ctx, actor, (acknowledging.group("rest") or "").strip())
    return _declare_or_request(ctx, actor, text)


def _first_word(text: str) -> tuple[str, str]:
    """The first word and the rest, split at any whitespace: on a phone `/crisis log` is often
    followed by a new line, and that must stay a log line, not become a new crisis."""
    parts = text.split(None, 1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (parts[0] if parts else "", "")


# --- declaring -------------------------------------------------------------------------------


def _declare_or_request(ctx: Context, actor: Actor, text: str) -> Result:
    with ctx.db.session() as session:
        person = get_member(session, actor.user_id)
        try:
            department, description = team.split_department(session, text, person)
        except UnknownDepartment as unknown:
            known = ", ".join(unknown.known) or "geen (het rooster is leeg)"
            return Result.say(Message(text=f"Afdeling '{escape(unknown.name)}' ken ik niet. Bekende afdelingen: {escape(known)}."))
        if not description:
            return Result.say(Message(text="Wat speelt er? Typ `/crisis &lt;wat er speelt&gt;`, bijvoorbeeld `/crisis ransomware op de balie-pc's`."))
        personal_data = team.mentions_personal_data(description)
        if team.may_declare(person):
            crisis, created = declare.declare(session, ctx, declarer=actor.user_id, description=description,
                                              department=department, personal_data=personal_data)
            reply = declared_reply(session, ctx, crisis, created)
        else:
            reference = declare.request_crisis_decision(session, ctx, requested_by=actor.user_id, description=description,
                                                        department=department, personal_data=personal_data)
            reply = requested_reply(session, ctx, _crisis(session, reference))
    return Result.say(reply)


def declared_reply(session: Session, ctx: Context, crisis: Crisis, created: bool) -> Message:
    if crisis.status == REQUESTED:
        return requested_reply(session, ctx, crisis)
    members = crises.members(session, crisis.id)
    paged = [m for m in members if m.pages]
    title = f"🚨 {crisis.reference} uitgeroepen" if created else f"{crisis.reference} was al uitgeroepen"
    blocks: list = [f"*Wat er speelt:* {texts.what(crisis)}"]
    if created:
        blocks.append("Opgeroepen: " + (", ".join(f"{mention(m.user_id)} ({escape(m.seats)})" for m in paged) or "niemand"))
    else:
        blocks.append(f"Om {texts.when(ctx, crisis.declared_at)} uitgeroepen; niemand is opnieuw opgeroepen.\n"
                      + "\n".join(texts.team_lines(ctx, members)))
    blocks += texts.vacancy_lines(crisis)
    blocks.append(f"Kanaal: *#{crisis.room_name}*; je bent toegevoegd.")
    return Message(text=title, title=title, blocks=blocks, footnote=texts.COMMANDS_HINT)


def requested_reply(session: Session, ctx: Context, crisis: Crisis) -> Message:
    deciders = paging.deciders(session)
    if not deciders:
        decide = "⚠️ Er staat geen CISO of gemeentesecretaris in het rooster. Bel zelf iemand van het crisisteam."
    else:
        asked = ", ".join(mention(p.id) for p in deciders)
        decide = f"Gevraagd aan {asked}: zij beslissen of het crisisoverleg bijeenkomt. Je hoort het."
    return Message(
        text=f"🙋 {crisis.reference}: gevraagd aan de CISO",
        title=f"🙋 {crisis.reference}: gevraagd aan de CISO",
        blocks=[f"*Wat er speelt:* {texts.what(crisis)}", decide, "Direct gevaar? Bel de CISO ook zelf."],
    )


# --- buttons: acknowledge, decide, escalate a report --------------------------------------------


def acknowledge_button(ctx: Context, actor: Actor, reference: str) -> Result:
    return _acknowledge(ctx, actor, reference, via="knop")


def _acknowledge_command(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        if REFERENCE.fullmatch(rest):
            reference = rest
        else:
            waiting = [c for c in crises.active(session) if c.status == OPEN and _awaits(session, c, actor.user_id)]
            if len(waiting) != 1:
                return Result.say(_which(waiting, "ik kom") if waiting else Message(text="Je hebt geen openstaande oproep."))
            reference = waiting[0].reference
    return _acknowledge(ctx, actor, reference, via="commando")


def _awaits(session: Session, crisis: Crisis, user_id: str) -> bool:
    member = crises.member(session, crisis.id, user_id)
    return member is not None and member.acknowledged_at is None


def _acknowledge(ctx: Context, actor: Actor, reference: str, via: str) -> Result:
    with ctx.db.session() as session:
        crisis = crises.by_reference(session, reference)
        if crisis is None:
            return Result.say(texts.unknown_crisis(reference))
        if crisis.status in (CLOSED, DECLINED):
            return Result.say(Message(text=f"{crisis.reference} is al afgesloten; je hoeft niets meer te doen. Dank je."))
        if crisis.status == REQUESTED:
            return Result.say(Message(text=f"{crisis.reference} is nog niet bijeengeroepen; de CISO beslist."))
        member, first = paging.acknowledge(session, ctx, crisis, actor.user_id, via)
        if member is None:
            return Result.say(Message(text=f"Je staat niet op de oproeplijst van {crisis.reference}. Wil je helpen? "
                                      "Vraag iemand uit het crisisteam om `/crisis erbij &lt;jouw naam&gt;`."))
        at = texts.when(ctx, member.acknowledged_at)
        text = f"✅ Bevestigd om {at}. Kanaal: *#{crisis.room_name}*." if first else \
            f"Je had al bevestigd om {at}. Kanaal: *#{crisis.room_name}*."
    return Result.say(Message(text=text))


def convene_button(ctx: Context, actor: Actor, reference: str) -> Result:
    return _decide(ctx, actor, reference, declare.convene, _may_decide,
                   "Alleen de CISO, de plaatsvervanger of iemand met een crisisrol kan hierover besluiten.")


def decline_button(ctx: Context, actor: Actor, reference: str) -> Result:
    """"Niet nodig" stops asking the CISO: only those asked to decide may say it (anyone with a
    crisis role may convene, as they may declare a crisis themselves, but not silence a request)."""
    return _decide(ctx, actor, reference, declare.decline, _is_decider,
                   "Alleen de CISO of de plaatsvervanger kan besluiten dat een crisisoverleg niet nodig is.")


def _decide(ctx: Context, actor: Actor, reference: str, decision: Callable[[Session, Context, Crisis, str], bool],
            allowed: Callable[[Session, str], bool], refusal: str) -> Result:
    with ctx.db.session() as session:
        crisis = crises.by_reference(session, reference)
        if crisis is None:
            return Result.say(texts.unknown_crisis(reference))
        if not allowed(session, actor.user_id):
            return Result.say(Message(text=refusal))
        if not decision(session, ctx, crisis, actor.user_id):
            return Result.say(_already_decided(ctx, crisis))
        reply = declared_reply(session, ctx, crisis, True) if crisis.status == OPEN else \
            Message(text=f"🟢 {crisis.reference}: niet nodig. Ik laat {mention(crisis.requested_by or '')} het weten.")
    return Result.say(reply)


def _may_decide(session: Session, user_id: str) -> bool:
    return team.may_declare(get_member(session, user_id)) or _is_decider(session, user_id)


def _is_decider(session: Session, user_id: str) -> bool:
    return user_id in {p.id for p in paging.deciders(session)}


def _already_decided(ctx: Context, crisis: Crisis) -> Message:
    who = f"{mention(crisis.decided_by)} om {texts.when(ctx, crisis.decided_at)}" if crisis.decided_by else "iemand anders"
    outcome = "niet nodig bevonden" if crisis.status == DECLINED else "bijeengeroepen"
    return Message(text=f"{crisis.reference} is al {outcome} door {who}. Er is niets veranderd.")


def escalate_report(ctx: Context, actor: Actor, report_reference: str) -> Result:
    """Button `crisis.from_report`: a report from the incident register becomes a crisis (or a request)."""
    from commands.report import crisis_seed  # late: the register imports this package too

    with ctx.db.session() as session:
        seed = crisis_seed(session, ctx, report_reference, actor.user_id)
        if seed is None:
            return Result.say(Message(text=f"Melding `{escape(report_reference)}` vind ik niet, of je mag hem niet zien; "
                                      "er is niets opgeschaald."))
        if seed.by_anonymous_reporter or not team.may_declare(get_member(session, actor.user_id)):
            # an anonymous reporter asks without a name: a request names who asked, and would tie them to the report
            requester = None if seed.by_anonymous_reporter else actor.user_id
            reference = declare.request_crisis_decision(session, ctx, requested_by=requester, description=seed.summary,
                                                        department=seed.department, personal_data=seed.personal_data,
                                                        source=seed.reference)
            record(session, ctx, seed.actor, "report.escalate", seed.reference, reference)
            return Result.say(requested_reply(session, ctx, _crisis(session, reference)))
        crisis, created = declare.declare(session, ctx, declarer=actor.user_id, description=seed.summary,
                                          department=seed.department, personal_data=seed.personal_data, source=seed.reference)
        if not created and crisis.status == REQUESTED:  # asked for earlier; someone who may declare now decides
            created = declare.convene(session, ctx, crisis, actor.user_id)
        if created:
            timeline.record(session, ctx, crisis, "source", f"Opgeschaald vanuit melding {seed.reference} ({seed.category})",
                            actor=actor.user_id, post=True)
        record(session, ctx, seed.actor, "report.escalate", seed.reference, crisis.reference)
        reply = declared_reply(session, ctx, crisis, created)
    return Result.say(reply)


# --- subcommands on an existing crisis -----------------------------------------------------------


def _status(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        crisis, _ = _resolve(session, actor, rest, "status", (OPEN, REQUESTED, CLOSED, DECLINED))
        if isinstance(crisis, Message):
            return Result.say(crisis)
        reply = texts.status(ctx, crisis, crises.members(session, crisis.id), crises.events(session, crisis.id),
                             crises.actions(session, crisis.id))
    return Result.say(reply)


def _log(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        crisis, text = _resolve(session, actor, rest, "log")
        if isinstance(crisis, Message):
            return Result.say(crisis)
        if not text:
            return Result.say(Message(text="Wat wil je vastleggen? `/crisis log &lt;tekst&gt;`"))
        event = timeline.record(session, ctx, crisis, "log", f"{name_of(session, actor.user_id)}: {shorten(text, LOG_LIMIT)}",
                                actor=actor.user_id, post=True)
        reply = Message(text=f"📝 Vastgelegd in {crisis.reference} om {texts.when(ctx, event.at)}.")
    return Result.say(reply)


def _add_action(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        crisis, text = _resolve(session, actor, rest, "actie")
        if isinstance(crisis, Message):
            return Result.say(crisis)
        if not text:
            return Result.say(Message(text="Welke actie? `/crisis actie &lt;wat er moet gebeuren&gt;`"))
        action = crises.add_action(session, crisis, shorten(text, LOG_LIMIT), actor.user_id, ctx.now())
        timeline.record(session, ctx, crisis, "action", f"Actie {action.number}: {action.text}", actor=actor.user_id, post=True)
        reply = Message(text=f"📌 Actie {action.number} staat open in {crisis.reference}. Klaar? `/crisis klaar {action.number}`")
    return Result.say(reply)


def _finish_action(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        crisis, text = _resolve(session, actor, rest, "klaar")
        if isinstance(crisis, Message):
            return Result.say(crisis)
        number = text.lstrip("#")
        if not number.isdigit():
            return Result.say(Message(text="Welke actie is klaar? `/crisis klaar &lt;nummer&gt;` (zie `/crisis status`)."))
        action = crises.action(session, crisis.id, int(number))
        if action is None:
            return Result.say(Message(text=f"Actie {number} bestaat niet in {crisis.reference}."))
        if action.done_at:
            return Result.say(Message(text=f"Actie {number} was al afgerond om {texts.when(ctx, action.done_at)}."))
        crises.finish_action(session, action, actor.user_id, ctx.now())
        timeline.record(session, ctx, crisis, "action_done", f"Actie {action.number} afgerond: {action.text}",
                        actor=actor.user_id, post=True)
        reply = Message(text=f"☑️ Actie {number} afgerond.")
    return Result.say(reply)


def _add_people(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        crisis, who = _resolve(session, actor, rest, "erbij")
        if isinstance(crisis, Message):
            return Result.say(crisis)
        people, role, not_found = _find_people(session, who)
        if not_found:
            return Result.say(Message(text=not_found))
        added = declare.add_people(session, ctx, crisis, people, role, actor.user_id)
        names = ", ".join(mention(m.user_id) for m in added)
        reply = Message(text=f"➕ Erbij gehaald in {crisis.reference}: {names}." if added else "Die zitten al in het crisisteam.")
    return Result.say(reply)


def _find_people(session: Session, who: str) -> tuple[list[Member], str, str]:
    """(people, the role they are added for, a problem to report)."""
    if not who:
        return [], "", "Wie wil je erbij halen? `/crisis erbij &lt;fg | communicatie | naam&gt;`"
    wanted = who.lower()
    if wanted in ROLE_IDS:
        found = holders(session, wanted)
        return found, role_label(wanted), "" if found else f"Niemand in het rooster heeft de rol {escape(role_label(wanted))}."
    mentioned = USER_MENTION.match(who)
    user_id = mentioned.group(1) if mentioned else who
    person = get_member(session, user_id)
    if person and person.active:
        return [person], "", ""
    matches = [m for m in active_members(session) if wanted == m.name.lower()] or \
        [m for m in active_members(session) if wanted in m.name.lower()]
    if len(matches) == 1:
        return matches, "", ""
    if matches:
        return [], "", f"Meerdere mensen passen bij '{escape(who)}': {escape(', '.join(m.name for m in matches))}. Wees specifieker."
    return [], "", f"'{escape(who)}' staat niet in het rooster. Gebruik een naam, een gebruikers-id of een rol (fg, communicatie)."


def _close(ctx: Context, actor: Actor, rest: str) -> Result:
    with ctx.db.session() as session:
        crisis, _ = _resolve(session, actor, rest, "sluit", (OPEN, CLOSED))  # closing twice shows the report again
        if isinstance(crisis, Message):
            return Result.say(crisis)
        closed = closing.close(session, ctx, crisis, actor.user_id)
        report = closing.report_message(ctx, crisis, closing.report_markdown(session, ctx, crisis))
        if not closed:
            report.blocks.insert(0, f"{crisis.reference} was al gesloten om {texts.when(ctx, crisis.closed_at)}.")
    return Result.say(report)


SUBCOMMANDS: dict[str, Callable[[Context, Actor, str], Result]] = {
    "status": _status, "log": _log, "actie": _add_action, "klaar": _finish_action, "erbij": _add_people, "sluit": _close,
}


# --- which crisis, and may this person see it ----------------------------------------------------


def _resolve(session: Session, actor: Actor, rest: str, command: str,
             statuses: tuple[str, ...] = (OPEN,)) -> tuple[Crisis | Message, str]:
    """The crisis a subcommand is about (or a message saying why not) and the rest of its text.

    An explicit reference wins; then the crisis whose room the command was typed in; then the
    only open crisis the person may see. Several? Ask which.
    """
    first, remainder = _first_word(rest)
    if REFERENCE.fullmatch(first):
        crisis = crises.by_reference(session, first)
        if crisis is None:
            return texts.unknown_crisis(first), ""
        return _refusal(session, crisis, actor.user_id, statuses) or crisis, remainder
    visible = [c for c in crises.active(session) if c.status in statuses and _may_see(session, c, actor.user_id)]
    in_room = [c for c in visible if actor.channel and _room_channel(session, c) == actor.channel]
    candidates = in_room or visible
    if len(candidates) == 1:
        return candidates[0], rest
    if not candidates:
        others = [c for c in crises.active(session) if c.status in statuses]
        return (_not_on_team() if others else Message(text="Er is geen open crisis. Een nieuwe? `/crisis &lt;wat er speelt&gt;`")), ""
    return _which(candidates, command), ""


def _refusal(session: Session, crisis: Crisis, user_id: str, statuses: tuple[str, ...]) -> Message | None:
    if not _may_see(session, crisis, user_id):
        return _not_on_team()
    if crisis.status not in statuses:
        state = {REQUESTED: "nog niet bijeengeroepen", CLOSED: "al gesloten", DECLINED: "niet nodig bevonden"}.get(crisis.status, "")
        return Message(text=f"{crisis.reference} is {state}.")
    return None


def _may_see(session: Session, crisis: Crisis, user_id: str) -> bool:
    """Team members and the CISO; for a request also the requester and whoever may decide on it."""
    if crises.member(session, crisis.id, user_id) or any(p.id == user_id for p in holders(session, "ciso")):
        return True
    return crisis.status == REQUESTED and (user_id == crisis.requested_by or _may_decide(session, user_id))


def _room_channel(session: Session, crisis: Crisis) -> str | None:
    delivered = receipt(session, keys.room(crisis.reference))
    return delivered.get("channel") if delivered else None


def _not_on_team() -> Message:
    return Message(text="Je staat niet in het crisisteam, dus dit kan ik je niet laten zien of doen. "
                   "Hoort dat wel? Vraag iemand uit het team om `/crisis erbij &lt;jouw naam&gt;`.")


def _which(candidates: list[Crisis], command: str) -> Message:
    listed = "\n".join(f"• `{c.reference}`: {texts.what(c, 100)}" for c in candidates)
    example = f"/crisis {command} {candidates[0].reference}"
    return Message(text=f"Over welke crisis gaat het? Zet het kenmerk erbij, bijvoorbeeld `{example}`.\n{listed}")


def _crisis(session: Session, reference: str) -> Crisis:
    crisis = crises.by_reference(session, reference)
    assert crisis is not None
    return crisis
