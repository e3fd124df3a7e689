"""Helpers for the report tests: filing, and looks into the register and the outbox.

The `options` fixture (tests/conftest.py) gives every test a seal key and its own spool.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import col, select

from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.router import Router
from storage.audit import AuditEntry
from storage.db import Database
from storage.outbox import OutboxMessage
from storage.reports import Report, ReportEvent, by_reference, timeline
from tests.conftest import SEAL_KEY  # noqa: E402,F401 - re-exported for the report tests

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"  # connection refused at once


def meld(router: Router, ctx: Context, user: str, text: str) -> Result:
    return router.run_command(ctx, Actor(user), "meld", text)


def reference_in(result: Result) -> str:
    """The reference a receipt announces."""
    title = result.messages[0].title or ""
    assert "MELD-" in title, f"no receipt: {result.messages[0].text}"
    return title.rsplit(" ", 1)[1]


def text_of(message: Message) -> str:
    """Everything a person reads in a message, as one string."""
    parts = [message.text, message.title or "", message.footnote or ""]
    for block in message.blocks:
        parts.append(block if isinstance(block, str) else "\n".join(f"{k}: {v}" for k, v in block.pairs))
    parts += [button.label for button in message.buttons]
    return "\n".join(parts)


def report(ctx: Context, reference: str) -> Report:
    with ctx.db.session() as session:
        found = by_reference(session, reference)
        assert found is not None, reference
        return found


def all_reports(ctx: Context) -> list[Report]:
    with ctx.db.session() as session:
        return list(session.exec(select(Report).order_by(Report.id)))


def events(ctx: Context, reference: str) -> list[ReportEvent]:
    with ctx.db.session() as session:
        found = by_reference(session, reference)
        assert found is not None
        return timeline(session, found)


def outbox(ctx: Context, key_prefix: str = "report:") -> list[OutboxMessage]:
    with ctx.db.session() as session:
        return list(session.exec(
            select(OutboxMessage).where(col(OutboxMessage.key).startswith(key_prefix)).order_by(OutboxMessage.id)
        ))


def direct_messages(ctx: Context, key_prefix: str = "report:") -> dict[str, list[Message]]:
    """Direct messages in the outbox by recipient."""
    found: dict[str, list[Message]] = {}
    for row in outbox(ctx, key_prefix):
        if row.kind == "direct":
            found.setdefault(row.recipient, []).append(Message.from_dict(row.payload["message"]))
    return found


def audit(ctx: Context, action: str | None = None) -> list[AuditEntry]:
    with ctx.db.session() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(session.exec(query))


def unreachable(ctx: Context) -> Context:
    """The same bot with its database gone."""
    return replace(ctx, db=Database(UNREACHABLE))


def row_values(model: Any) -> str:
    return " ".join(str(value) for value in model.model_dump().values())
