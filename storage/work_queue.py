"""Requests a web process acknowledged and left for a worker process (see commands.work_queue).

A row holds the request as the chat platform sent it, so it may carry personal data (a report
text): it is deleted as soon as its work is done.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class QueuedWork(SQLModel, table=True):
    __tablename__ = "work_queue"

    id: int | None = Field(default=None, primary_key=True)
    handler: str = Field(max_length=200)  # which piece of work to run for the request
    body: str = Field(sa_column=Column(Text, nullable=False))  # the request as the platform sent it
    content_type: str = Field(max_length=100)
    queued_at: datetime = Field(sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)
    attempts: int = 0
