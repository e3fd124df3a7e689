"""Timers: "do X at time T" recorded by any process and run by the scheduler process.

Commands in the web process cannot reach the scheduler (APScheduler does not support
sharing a job store between processes), so they record a timer here; the scheduler
process runs due timers every few seconds. A timer is marked done in the same
transaction as the work it triggers, so it runs once, also across restarts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Timer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    kind: str = Field(max_length=64)  # which use case runs it (see Router.timer)
    due_at: datetime = Field(index=True, sa_type=UTCDateTime)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    done_at: datetime | None = Field(default=None, index=True, sa_type=UTCDateTime)
    cancelled: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
