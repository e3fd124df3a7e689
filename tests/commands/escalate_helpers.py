"""Shortcuts for the crisis tests: run `/crisis`, press buttons, run timers, deliver and look."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import col, select

from commands import build_router
from commands.context import Actor, Context
from commands.delivery import Receipt, deliver_due
from commands.messages import Fields, Message, Result
from commands.timers import run_due_timers
from storage import crises
from storage.crises import Crisis
from storage.outbox import OutboxMessage

ROUTER = build_router()


@dataclass
class Sent:
    kind: str  # direct | room | post | update | invite
    target: str  # user id, room name, channel, or the updated message's channel:ts
    message: Message | None
    members: list[str] = field(default_factory=list)


class RecordingSender:
    """A `Sender` that remembers everything; rooms get channel ids C1, C2, ..."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._rooms = 0

    def _receipt(self, channel: str) -> Receipt:
        return {"channel": channel, "ts": str(len(self.sent))}

    def send_direct(self, user_id: str, message: Message) -> Receipt:
        self.sent.append(Sent("direct", user_id, message))
        return self._receipt(f"D{user_id}")

    def create_room(self, name: str, members: list[str], message: Message) -> Receipt:
        self._rooms += 1
        self.sent.append(Sent("room", name, message, members))
        return self._receipt(f"C{self._rooms}")

    def post(self, channel: str, message: Message) -> Receipt:
        self.sent.append(Sent("post", channel, message))
        return self._receipt(channel)

    def update(self, receipt: Receipt, message: Message) -> Receipt:
        self.sent.append(Sent("update", f"{receipt['channel']}:{receipt['ts']}", message))
        return receipt

    def invite(self, channel: str, members: list[str]) -> Receipt:
        self.sent.append(Sent("invite", channel, None, members))
        return {"channel": channel, "ts": ""}

    def directs_to(self, user_id: str) -> list[Message]:
        return [s.message for s in self.sent if s.kind == "direct" and s.target == user_id and s.message]

    def of_kind(self, kind: str) -> list[Sent]:
        return [s for s in self.sent if s.kind == kind]


def crisis(ctx: Context, user_id: str, text: str, channel: str | None = None) -> Result:
    return ROUTER.run_command(ctx, Actor(user_id, channel=channel), "crisis", text)


def press(ctx: Context, user_id: str, action: str, value: str) -> Result:
    return ROUTER.press(ctx, Actor(user_id), action, value)


def run_timers(ctx: Context) -> int:
    return run_due_timers(ctx, ROUTER.timers)


def deliver(ctx: Context, sender: RecordingSender) -> None:
    while deliver_due(ctx, sender).sent:
        pass


def said(result: Result) -> str:
    """Everything the requester was shown, as one string."""
    return "\n".join(text_of(m) for m in result.messages)


def text_of(message: Message) -> str:
    parts = [message.title or "", message.text]
    for block in message.blocks:
        if isinstance(block, Fields):
            parts.extend(f"{label}: {value}" for label, value in block.pairs)
        else:
            parts.append(block)
    parts += [b.label for b in message.buttons] + [message.footnote or ""]
    return "\n".join(parts)


def outbox_keys(ctx: Context, prefix: str = "crisis:") -> list[str]:
    with ctx.db.session() as session:
        return list(session.exec(select(OutboxMessage.key).where(col(OutboxMessage.key).startswith(prefix)).order_by(OutboxMessage.id)))


def outbox_row(ctx: Context, key: str) -> OutboxMessage:
    with ctx.db.session() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    assert row is not None, f"no outbox row {key}"
    return row


def the_crisis(ctx: Context, reference: str = "CRISIS-2026-0001") -> Crisis:
    with ctx.db.session() as session:
        found = crises.by_reference(session, reference)
    assert found is not None
    return found


def timeline(ctx: Context, reference: str = "CRISIS-2026-0001") -> list[tuple[str, str]]:
    with ctx.db.session() as session:
        found = crises.by_reference(session, reference)
        assert found is not None
        return [(e.kind, e.text) for e in crises.events(session, found.id)]


def members(ctx: Context, reference: str = "CRISIS-2026-0001") -> dict[str, crises.CrisisMember]:
    with ctx.db.session() as session:
        found = crises.by_reference(session, reference)
        assert found is not None
        return {m.user_id: m for m in crises.members(session, found.id)}
