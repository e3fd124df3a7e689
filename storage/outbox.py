"""Messages waiting to be delivered to people or channels (the transactional outbox).

A command writes outbox rows in the same transaction as its own change, so a message is
never sent for a change that was rolled back and never lost when the process dies before
sending. `key` is unique: enqueueing the same message twice is a no-op.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
WITHDRAWN = "withdrawn"  # taken back before sending (e.g. a page after the person acknowledged)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    kind: str = Field(default="direct", max_length=20)  # direct | room | post | update | invite
    recipient: str = Field(max_length=300)  # user id, room name, or key of the message to update
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default=PENDING, index=True, max_length=10)
    attempts: int = 0
    not_before: datetime = Field(index=True, sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    receipt: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    report_failure_to: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
