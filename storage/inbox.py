"""Deliveries from the chat platform already handled, so a retried delivery is ignored."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class ProcessedDelivery(SQLModel, table=True):
    __tablename__ = "processed_delivery"

    key: str = Field(primary_key=True, max_length=200)  # e.g. a Slack event_id
    received_at: datetime = Field(index=True, sa_type=UTCDateTime)
