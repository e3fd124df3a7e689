"""The "Gereed" button: someone marks their own deliverable done, which stops their reminders for it."""

from __future__ import annotations

from datetime import date

from commands.audit import record
from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.remind.loader import load_calendar
from commands.remind.texts import format_when
from commands.roster import USER_ID
from commands.text import escape, mention
from storage.people import get_member
from storage.reminders import mark_done

STALE = Message(text="Deze knop werkt niet meer: dit staat niet (meer) in de kalender. Kijk met `/agenda` wat er openstaat.")


def mark_deliverable_done(ctx: Context, actor: Actor, value: str) -> Result:
    """Button value: '<item id>|<occurrence date>|<user id of the addressee>'."""
    parts = value.split("|")
    if len(parts) != 3:
        return Result.say(STALE)
    item_id, day_text, addressee = parts
    if not USER_ID.fullmatch(addressee):  # not from a button of ours: never put it in a mention
        return Result.say(STALE)
    if actor.user_id != addressee:
        with ctx.db.reading() as session:
            if get_member(session, addressee) is None:  # mention only people the roster knows
                return Result.say(STALE)
        return Result.say(Message(text=f"Deze knop is van {mention(addressee)}; alleen die kan dit gereed melden."))
    item = load_calendar().item(item_id)
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return Result.say(STALE)
    occurrence = next(iter(item.occurrences(day, day, ctx.options.timezone)), None) if item and item.deliverable else None
    if occurrence is None:
        return Result.say(STALE)
    with ctx.db.session() as session:
        first_time = mark_done(session, item_id, day, actor.user_id, ctx.now())
        if first_time:
            record(session, ctx, actor.user_id, "remind.done", subject=f"{item_id}:{day.isoformat()}")
    what = f"{escape(occurrence.item.title)} ({format_when(occurrence)})"
    text = f"✅ Gereed gemeld: {what}." if first_time else f"✅ Dit was al gereed gemeld: {what}."
    return Result(update=Message(text=text, blocks=[f"{text} Je krijgt hierover geen herinneringen meer."]))
