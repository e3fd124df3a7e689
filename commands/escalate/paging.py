"""Paging the team, escalating when nobody answers, and acknowledging.

Why this is exact (the bugs paging tools are known for):
- Every page is an outbox row with a deterministic key (`keys.seat_page` etc.): a retried
  request, a double click or a timer that runs twice enqueues nothing new.
- Escalation is a timer row per seat and round, in the same transaction as the page, so a
  restart resumes it; the scheduler runs a due timer once.
- Acknowledging cancels the seat's timers first (waiting for a timer already running),
  then records the acknowledgement, withdraws pages still waiting in the outbox, and
  cancels again (the next round a running timer just scheduled). The escalation handler
  locks the seat and re-checks it. Whichever of the two runs first, nobody is paged after
  acknowledging: a page enqueued by a racing timer is withdrawn before it is sent, and one
  already sent loses its button.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from commands.context import Context
from commands.escalate import keys, texts, timeline
from commands.escalate.team import covered_by
from commands.messages import Message
from commands.outbox import invite_to_room, messages_with_prefix, replace_message, send_direct, withdraw
from commands.timers import cancel_timers, set_timer
from storage import crises
from storage.crises import DEPUTY, OPEN, REQUESTED, REQUIRED, Crisis, CrisisMember
from storage.outbox import SENDING, SENT
from storage.people import Member, get_member, holders

PAGE_ATTEMPTS = 3  # with the delivery backoff (10 s, 30 s) an undeliverable page is reported within a minute


def failure_watchers(session: Session, crisis: Crisis) -> list[str]:
    """Who hears about a page that could not be delivered: the initiator and the CISO."""
    initiator = crisis.declared_by or crisis.requested_by
    return [person for person in dict.fromkeys([initiator, *(m.id for m in holders(session, "ciso"))]) if person]


# --- paging seats --------------------------------------------------------------------------


def start_paging(session: Session, ctx: Context, crisis: Crisis, seat: CrisisMember) -> None:
    _page(session, ctx, crisis, seat, keys.seat_page(crisis.reference, seat.user_id, 1), 1, standing_in_for=None)
    _schedule_escalation(session, ctx, crisis, seat, 2)


def _page(session: Session, ctx: Context, crisis: Crisis, member: CrisisMember, key: str, round_: int,
          standing_in_for: CrisisMember | None) -> None:
    message = texts.page(ctx, crisis, member, round_, standing_in_for=standing_in_for)
    if not send_direct(session, key, member.user_id, message, ctx.now(),
                       report_failure_to=failure_watchers(session, crisis), extra={"max_attempts": PAGE_ATTEMPTS}):
        return  # paged before under this key
    member.pages += 1
    member.first_paged_at = member.first_paged_at or ctx.now()
    session.add(member)
    role = f"plaatsvervanger van {standing_in_for.name}" if standing_in_for else member.seats
    timeline.record(session, ctx, crisis, "page", f"{member.name} opgeroepen ({role}), oproep {round_}", subject=member.user_id)


def _schedule_escalation(session: Session, ctx: Context, crisis: Crisis, seat: CrisisMember, round_: int) -> None:
    due = ctx.now() + timedelta(seconds=ctx.options.escalation_ack_seconds)
    payload = {"crisis": crisis.reference, "seat": seat.user_id, "round": round_}
    set_timer(session, ctx, keys.escalation_timer(crisis.reference, seat.user_id, round_), keys.ESCALATE, due, payload)


def escalate(ctx: Context, session: Session, payload: dict[str, Any]) -> None:
    """Timer: the seat was not acknowledged in time. Page again and the deputy, or give up."""
    crisis = crises.by_reference(session, payload["crisis"], lock=True)
    if crisis is None or crisis.status != OPEN:
        return
    seat = crises.member(session, crisis.id, payload["seat"], lock=True)  # serialises with acknowledging
    team = {m.user_id: m for m in crises.members(session, crisis.id)}
    if seat is None or covered_by(seat, team):
        return
    round_ = int(payload["round"])
    if round_ > ctx.options.escalation_rounds:
        _give_up(session, ctx, crisis, seat, team)
        return
    _page(session, ctx, crisis, seat, keys.seat_page(crisis.reference, seat.user_id, round_), round_, standing_in_for=None)
    deputy = _deputy(session, ctx, crisis, seat, team)
    if deputy:
        _page(session, ctx, crisis, deputy, keys.deputy_page(crisis.reference, deputy.user_id, seat.user_id, round_),
              round_ - 1, standing_in_for=seat)
    waited = texts.minutes(ctx.options.escalation_ack_seconds)
    also = f" en plaatsvervanger {deputy.name} opgeroepen" if deputy else "; er is geen plaatsvervanger in het rooster"
    timeline.record(session, ctx, crisis, "escalation",
                    f"Geen reactie van {seat.name} ({seat.seats}) binnen {waited}: opnieuw opgeroepen (oproep {round_}){also}",
                    subject=seat.user_id, post=True, refresh=True)
    _schedule_escalation(session, ctx, crisis, seat, round_ + 1)


def _deputy(session: Session, ctx: Context, crisis: Crisis, seat: CrisisMember, team: dict[str, CrisisMember]) -> CrisisMember | None:
    """The seat holder's deputy on the team; added (and invited to the room) the first time."""
    if not seat.deputy_id:
        return None
    deputy = team.get(seat.deputy_id)
    standing_in = f"plaatsvervanger van {seat.name}"
    if deputy is not None:
        if deputy.kind == DEPUTY and seat.name not in deputy.seats:
            deputy.seats = f"{deputy.seats}, {seat.name}"
            session.add(deputy)
        return deputy
    person = get_member(session, seat.deputy_id)
    if person is None or not person.active:
        return None
    deputy = CrisisMember(crisis_id=crisis.id, user_id=person.id, name=person.name, seats=standing_in, kind=DEPUTY,
                          added_at=ctx.now())
    session.add(deputy)
    session.flush()
    team[person.id] = deputy
    invite_to_room(session, keys.invite(crisis.reference, person.id), keys.room(crisis.reference), [person.id], ctx.now())
    timeline.record(session, ctx, crisis, "join", f"{person.name} toegevoegd als {standing_in}", subject=person.id, post=True)
    return deputy


def _give_up(session: Session, ctx: Context, crisis: Crisis, seat: CrisisMember, team: dict[str, CrisisMember]) -> None:
    """After the last round: tell the CISO and the gemeentesecretaris who has not responded."""
    seat.unanswered_at = ctx.now()
    session.add(seat)
    deputy = team.get(seat.deputy_id or "")
    deputy = deputy if deputy and deputy.pages else None
    notice = texts.unanswered(ctx, crisis, seat, deputy)
    for person in [*holders(session, "ciso"), *holders(session, "gemeentesecretaris")]:
        send_direct(session, keys.unanswered(crisis.reference, seat.user_id, person.id), person.id, notice, ctx.now())
    also = f"; plaatsvervanger {deputy.name} ook niet" if deputy else ""
    timeline.record(session, ctx, crisis, "unanswered",
                    f"Geen reactie van {seat.name} ({seat.seats}) na {seat.pages} oproepen{also}. CISO en gemeentesecretaris ingelicht",
                    subject=seat.user_id, post=True, refresh=True)


# --- acknowledging -------------------------------------------------------------------------


def acknowledge(session: Session, ctx: Context, crisis: Crisis, user_id: str, via: str) -> tuple[CrisisMember | None, bool]:
    """Record that `user_id` comes. Returns (their team row or None, whether this was the first time)."""
    member = crises.member(session, crisis.id, user_id)
    if member is None:
        return None, False
    seats = _seats_covered_by(session, crisis, member)
    _stop_escalation(session, crisis, seats)  # first, so a timer that has not started yet never will
    if not crises.acknowledge(session, member, ctx.now(), via):
        return member, False
    at = texts.when(ctx, member.acknowledged_at)
    for own in (keys.pages_to(crisis.reference, user_id), keys.inform(crisis.reference, user_id)):
        settle_pages(session, ctx, own, f"✅ Bevestigd om {at}")
    for seat in seats:
        if seat.user_id == user_id and seat.deputy_id:
            settle_pages(session, ctx, keys.deputy_pages(crisis.reference, seat.deputy_id, seat.user_id),
                         f"✅ {member.name} komt zelf; jij hoeft niet meer te komen.")
        elif seat.user_id != user_id:
            settle_pages(session, ctx, keys.seat_pages(crisis.reference, seat.user_id),
                         f"✅ {member.name} komt als je plaatsvervanger; jij hoeft niet meer te reageren.")
    role = f" ({member.seats})" if member.seats else ""
    timeline.record(session, ctx, crisis, "ack", f"{member.name}{role} bevestigt: komt", actor=user_id, subject=user_id,
                    post=True, refresh=True)
    _stop_escalation(session, crisis, seats)  # again: a timer that ran meanwhile may have scheduled its next round
    return member, True


def _stop_escalation(session: Session, crisis: Crisis, seats: list[CrisisMember]) -> None:
    for seat in seats:
        cancel_timers(session, keys.escalation_timers(crisis.reference, seat.user_id))


def _seats_covered_by(session: Session, crisis: Crisis, member: CrisisMember) -> list[CrisisMember]:
    """The member's own seat and the seats they are the deputy for."""
    team = crises.members(session, crisis.id)
    return [m for m in team if m.kind == REQUIRED and (m.user_id == member.user_id or m.deputy_id == member.user_id)]


def settle_pages(session: Session, ctx: Context, key_prefix: str, note: str) -> None:
    """Pages that need no answer any more: withdraw the unsent, take the button off the sent."""
    for row in messages_with_prefix(session, key_prefix):
        if row.kind != "direct" or withdraw(session, row.key):
            continue
        session.refresh(row)
        if row.status in (SENDING, SENT):
            original = Message.from_dict(row.payload["message"])
            replace_message(session, keys.settled(row.key), row.key, texts.settled(original, note), ctx.now())


# --- asking the CISO to decide ---------------------------------------------------------------


def deciders(session: Session) -> list[Member]:
    """The CISO and deputy; the gemeentesecretaris and deputy when no CISO is on the roster."""
    for role in ("ciso", "gemeentesecretaris"):
        people = holders(session, role)
        if people:
            deputies = [get_member(session, p.deputy_id) for p in people if p.deputy_id]
            found = {p.id: p for p in [*people, *deputies] if p is not None and p.active}
            return list(found.values())
    return []


def page_deciders(session: Session, ctx: Context, crisis: Crisis, round_: int, people: list[Member] | None = None,
                  *, instead_of_ciso: bool = False) -> list[Member]:
    people = deciders(session) if people is None else people
    message = texts.decision_page(ctx, crisis, round_, instead_of_ciso=instead_of_ciso)
    for person in people:
        if send_direct(session, keys.decision_page(crisis.reference, person.id, round_), person.id, message, ctx.now(),
                       report_failure_to=failure_watchers(session, crisis), extra={"max_attempts": PAGE_ATTEMPTS}):
            timeline.record(session, ctx, crisis, "page", f"{person.name} gevraagd te besluiten, oproep {round_}", subject=person.id)
    return people


def schedule_decision_reminder(session: Session, ctx: Context, crisis: Crisis, round_: int) -> None:
    due = ctx.now() + timedelta(seconds=ctx.options.escalation_ack_seconds)
    set_timer(session, ctx, keys.decision_timer(crisis.reference, round_), keys.DECISION, due,
              {"crisis": crisis.reference, "round": round_})


def remind_decision(ctx: Context, session: Session, payload: dict[str, Any]) -> None:
    """Timer: nobody decided on a request yet. Ask again; after the last round, the gemeentesecretaris."""
    crisis = crises.by_reference(session, payload["crisis"], lock=True)
    if crisis is None or crisis.status != REQUESTED:
        return
    round_ = int(payload["round"])
    if round_ <= ctx.options.escalation_rounds:
        page_deciders(session, ctx, crisis, round_)
        schedule_decision_reminder(session, ctx, crisis, round_ + 1)
        return
    secretaries = [p for p in holders(session, "gemeentesecretaris") if p.id not in {d.id for d in deciders(session)}]
    page_deciders(session, ctx, crisis, round_, secretaries, instead_of_ciso=True)
    if crisis.requested_by:
        send_direct(session, keys.notice(crisis.reference, "undecided", crisis.requested_by), crisis.requested_by,
                    texts.undecided(ctx, crisis), ctx.now())
    asked = " De gemeentesecretaris is gevraagd." if secretaries else ""
    timeline.record(session, ctx, crisis, "unanswered", f"Nog geen besluit na {round_ - 1} oproepen.{asked}")
