"""The timeline: every page, acknowledgement, escalation, join and log line, in the database
and, for what the team should see, in the crisis room, with the pinned summary kept current."""

from __future__ import annotations

from sqlmodel import Session

from commands.context import Context
from commands.escalate import keys, texts
from commands.outbox import post_in_room, replace_message
from storage import crises
from storage.crises import Crisis, CrisisEvent

SYSTEM = "system"


def record(
    session: Session, ctx: Context, crisis: Crisis, kind: str, text: str, *,
    actor: str = SYSTEM, subject: str = "", post: bool = False, refresh: bool = False,
) -> CrisisEvent:
    """Add a line to the timeline; `post` shows it in the room, `refresh` updates the pinned summary."""
    event = crises.add_event(session, crisis, ctx.now(), kind, actor, text, subject)
    has_room = crisis.declared_at is not None  # requests have no room until convened
    if post and has_room:
        post_in_room(session, keys.event_post(crisis.reference, event.id), keys.room(crisis.reference),
                     texts.event_post(ctx, crisis, event), ctx.now())
    if refresh and has_room:
        refresh_summary(session, ctx, crisis, event)
    return event


def refresh_summary(session: Session, ctx: Context, crisis: Crisis, event: CrisisEvent) -> None:
    """Replace the pinned summary with the current state (keyed by the event that changed it)."""
    members = crises.members(session, crisis.id)
    replace_message(session, keys.summary(crisis.reference, event.id), keys.room(crisis.reference),
                    texts.summary(ctx, crisis, members), ctx.now())
