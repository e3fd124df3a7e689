"""Writing to the audit log (who did or saw what)."""

from __future__ import annotations

from sqlmodel import Session

from commands.context import Context
from storage.audit import AuditEntry


def record(session: Session, ctx: Context, actor: str, action: str, subject: str = "", detail: str = "") -> None:
    session.add(AuditEntry(at=ctx.now(), actor=actor, action=action, subject=subject[:200], detail=detail[:2000]))
