"""The audit log: who did or saw what, append-only (the bot offers no way to edit it)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True, sa_type=UTCDateTime)
    actor: str = Field(max_length=64)  # user id, or "system" / "cli"
    action: str = Field(max_length=64)  # e.g. "report.view", "report.reveal", "roster.import"
    subject: str = Field(default="", max_length=200, index=True)
    detail: str = Field(default="", max_length=2000)
