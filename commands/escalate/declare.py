"""Declaring a crisis, asking the CISO to decide, and the CISO's decision.

A declaration (or a request) is found again by its `open_key` (the report it came from,
or who typed which description), so a retried request or a double click returns the
crisis already created and pages nobody twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from commands.audit import record
from commands.context import Context
from commands.escalate import keys, paging, team, texts, timeline
from commands.escalate.team import name_of
from commands.messages import Message
from commands.outbox import create_room, invite_to_room, send_direct
from commands.text import clean, mention, shorten
from commands.timers import cancel_timers
from storage import crises
from storage.crises import DECLINED, INFORMED, INITIATOR, OPEN, REQUESTED, REQUIRED, SEATS_LENGTH, Crisis, CrisisMember
from storage.people import Member

REFERENCE_ATTEMPTS = 5  # two declarations at the same moment may pick the same number once


def declare(session: Session, ctx: Context, *, declarer: str, description: str, department: str | None,
            personal_data: bool, source: str | None = None) -> tuple[Crisis, bool]:
    """Open a crisis and page the team at once. Returns (crisis, False) when it was declared already."""
    crisis, created = _create(session, ctx, OPEN, declarer, description, department, personal_data, source)
    if not created:
        return crisis, False
    _assemble(session, ctx, crisis, declarer, f"Crisis uitgeroepen door {name_of(session, declarer)}")
    record(session, ctx, declarer, "crisis.declare", crisis.reference, _audit_detail(crisis))
    return crisis, True


def request_crisis_decision(session: Session, ctx: Context, *, requested_by: str | None, description: str,
                            department: str | None, personal_data: bool, source: str | None = None) -> str:
    """Ask the CISO (and deputy) whether to convene the crisis team; returns the crisis reference.

    `description` is plain text, as typed (never mrkdwn-escaped). Used by `/crisis`
    for people without a declaring role, and by the incident register for critical reports
    (`requested_by` is None for an anonymous report: nobody is named, `source` says where it came from).
    Calling it again for the same source (or the same person and text) returns the same reference.
    """
    requester = name_of(session, requested_by) if requested_by else f"Het meldpunt ({source or 'onbekend'})"
    crisis, created = _create(session, ctx, REQUESTED, requested_by, description, department, personal_data, source)
    if created:
        timeline.record(session, ctx, crisis, "requested", f"{requester} vraagt om een crisisoverleg: {crisis.description}",
                        actor=requested_by or timeline.SYSTEM)
        if not paging.page_deciders(session, ctx, crisis, 1):
            timeline.record(session, ctx, crisis, "vacant", "Geen CISO of gemeentesecretaris in het rooster om te besluiten")
        paging.schedule_decision_reminder(session, ctx, crisis, 2)
        record(session, ctx, requested_by or "system", "crisis.request", crisis.reference, _audit_detail(crisis))
    return crisis.reference


def _audit_detail(crisis: Crisis) -> str:
    """What the audit log keeps about a new crisis: where it came from, never its description.

    The audit log is kept for good and the description may quote a report (personal data
    that the report's retention period removes from the register)."""
    return f"vanuit {crisis.source}" if crisis.source else ""


def convene(session: Session, ctx: Context, crisis: Crisis, actor: str) -> bool:
    """Turn a request into an open crisis; False when someone decided already."""
    cancel_timers(session, keys.decision_timers(crisis.reference))
    now = ctx.now()
    if not crises.move(session, crisis, REQUESTED, OPEN, declared_by=actor, declared_at=now, decided_by=actor, decided_at=now):
        return False
    name = name_of(session, actor)
    paging.settle_pages(session, ctx, keys.decision_pages(crisis.reference),
                        f"🚨 Crisisoverleg bijeengeroepen door {name} om {texts.when(ctx, now)}")
    _assemble(session, ctx, crisis, actor, f"Crisisoverleg bijeengeroepen door {name}")
    record(session, ctx, actor, "crisis.convene", crisis.reference)
    cancel_timers(session, keys.decision_timers(crisis.reference))  # again: one a running reminder scheduled meanwhile
    return True


def decline(session: Session, ctx: Context, crisis: Crisis, actor: str) -> bool:
    """Close a request as not needed and tell the requester; False when someone decided already."""
    cancel_timers(session, keys.decision_timers(crisis.reference))
    now = ctx.now()
    if not crises.move(session, crisis, REQUESTED, DECLINED, decided_by=actor, decided_at=now, open_key=None):
        return False
    name = name_of(session, actor)
    paging.settle_pages(session, ctx, keys.decision_pages(crisis.reference),
                        f"🟢 Niet nodig: besloten door {name} om {texts.when(ctx, now)}")
    timeline.record(session, ctx, crisis, "declined", f"{name}: crisisoverleg niet nodig", actor=actor)
    if crisis.requested_by and crisis.requested_by != actor:
        send_direct(session, keys.notice(crisis.reference, "declined", crisis.requested_by), crisis.requested_by, Message(
            text=f"{crisis.reference}: crisisoverleg niet nodig",
            blocks=[f"{mention(actor)} heeft besloten dat een crisisoverleg voor *{crisis.reference}* niet nodig is "
                    f"({texts.what(crisis)}).", "Bedankt dat je het meldde. Verandert de situatie? Gebruik dan opnieuw `/crisis`."],
        ), now)
    record(session, ctx, actor, "crisis.decline", crisis.reference)
    cancel_timers(session, keys.decision_timers(crisis.reference))  # again: one a running reminder scheduled meanwhile
    return True


# --- creating ------------------------------------------------------------------------------


def _open_key(source: str | None, actor: str | None, description: str) -> str:
    if source:
        return f"source:{source}"
    digest = hashlib.sha256(" ".join(description.lower().split()).encode()).hexdigest()[:24]
    return f"text:{actor}:{digest}"


def _create(session: Session, ctx: Context, status: str, actor: str | None, description: str, department: str | None,
            personal_data: bool, source: str | None) -> tuple[Crisis, bool]:
    description = clean(description)  # stored as typed (plain text); escaped where shown
    open_key = _open_key(source, actor, description)
    existing = crises.by_open_key(session, open_key)
    if existing:
        return existing, False
    now, local = ctx.now(), ctx.local(ctx.now())
    for _ in range(REFERENCE_ATTEMPTS):
        number = crises.highest_number(session, local.year) + 1
        crisis = Crisis(
            reference=f"CRISIS-{local.year}-{number:04d}", status=status, description=description, department=department,
            personal_data=personal_data, source=source, room_name=team.room_name(local.date(), description),
            open_key=open_key, requested_by=actor if status == REQUESTED else None,
            declared_by=actor if status == OPEN else None, declared_at=now if status == OPEN else None, created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(crisis)
        except IntegrityError:  # the same declaration at the same moment, or the number was just taken
            existing = crises.by_open_key(session, open_key)
            if existing:
                return existing, False
            continue
        return crisis, True
    raise RuntimeError("geen vrij crisisnummer gevonden")


def _assemble(session: Session, ctx: Context, crisis: Crisis, initiator: str, declared: str) -> None:
    """Form the team from the roster, page the seats, inform the others and open the room."""
    roster_team = team.compose(session, crisis.department, crisis.personal_data)
    crisis.vacancies = roster_team.vacancies
    session.add(crisis)
    now = ctx.now()
    for user_id, seats in roster_team.seats.items():
        person = roster_team.people[user_id]
        _add(session, crisis, user_id, person.name, seats, REQUIRED, now, person.deputy_id)
    if initiator not in roster_team.seats:
        _add(session, crisis, initiator, name_of(session, initiator), [], INITIATOR, now)
    for user_id, roles in roster_team.informed.items():
        _add(session, crisis, user_id, roster_team.people[user_id].name, roles, INFORMED, now)
    if crisis.requested_by and crisis.requested_by not in {*roster_team.seats, *roster_team.informed, initiator}:
        _add(session, crisis, crisis.requested_by, name_of(session, crisis.requested_by), ["melder"], INFORMED, now)
    session.flush()
    crises.acknowledge(session, crises.member(session, crisis.id, initiator), now, texts.DECLARED_VIA)

    timeline.record(session, ctx, crisis, "declared", f"{declared}: {crisis.description}", actor=initiator)
    for vacancy in crisis.vacancies:
        timeline.record(session, ctx, crisis, "vacant", f"{vacancy}: niemand in het rooster")
    members = crises.members(session, crisis.id)
    for member in members:  # pages first: they are what has to arrive within seconds
        if member.kind == REQUIRED and not member.acknowledged_at:
            paging.start_paging(session, ctx, crisis, member)
    for member in members:
        if member.kind == INFORMED:
            inform(session, ctx, crisis, member)
    create_room(session, keys.room(crisis.reference), crisis.room_name, [m.user_id for m in members],
                texts.summary(ctx, crisis, crises.members(session, crisis.id)), now,
                report_failure_to=paging.failure_watchers(session, crisis))


def _add(session: Session, crisis: Crisis, user_id: str, name: str, seats: Iterable[str], kind: str,
         now: datetime, deputy_id: str | None = None) -> CrisisMember:
    member = CrisisMember(crisis_id=crisis.id, user_id=user_id, name=name, seats=shorten(", ".join(seats), SEATS_LENGTH),
                          kind=kind, deputy_id=deputy_id, added_at=now)
    session.add(member)
    return member


def inform(session: Session, ctx: Context, crisis: Crisis, member: CrisisMember) -> None:
    """Tell an optional member (communicatie, FG, someone added later); no escalation."""
    if send_direct(session, keys.inform(crisis.reference, member.user_id), member.user_id, texts.informed(ctx, crisis, member),
                   ctx.now(), report_failure_to=paging.failure_watchers(session, crisis)):
        timeline.record(session, ctx, crisis, "informed", f"{member.name} geïnformeerd ({member.seats or 'betrokkene'})",
                        subject=member.user_id)


def add_people(session: Session, ctx: Context, crisis: Crisis, people: list[Member], role: str, actor: str) -> list[CrisisMember]:
    """`/crisis erbij`: add people as informed members, invite them to the room and tell them."""
    added = []
    for person in people:
        if crises.member(session, crisis.id, person.id):
            continue
        member = _add(session, crisis, person.id, person.name, [role] if role else [], INFORMED, ctx.now())
        session.flush()
        invite_to_room(session, keys.invite(crisis.reference, person.id), keys.room(crisis.reference), [person.id], ctx.now())
        inform(session, ctx, crisis, member)
        timeline.record(session, ctx, crisis, "join", f"{person.name} erbij gehaald door {name_of(session, actor)}",
                        actor=actor, subject=person.id, post=True, refresh=True)
        added.append(member)
    return added
