"""What every command gets: the database, the clock and the municipality's options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.db import Database

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Options:
    """Settings that change behaviour, not wiring (see bot.config for where they come from)."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Amsterdam"))
    escalation_ack_seconds: int = 300
    escalation_rounds: int = 3
    retention_years: int = 3
    policy_dir: Path | None = None  # the municipality's own policy data; default: the packaged policy
    ibd_cert_contact: str = "nog niet ingesteld (BOT_IBD_CERT_CONTACT); de CISO heeft het 24/7-nummer"
    seal_key: str | None = field(default=None, repr=False)  # seals anonymous reporters (commands.report.sealing)
    spool_dir: Path = Path("data/spool")  # reports waiting for the database (storage.report_spool)


@dataclass(frozen=True)
class Actor:
    """Who asked: a chat user id (Slack user id), as the roster knows them."""

    user_id: str
    channel: str | None = field(default=None, compare=False)  # where they typed it, when the platform says
    request: str | None = field(default=None, compare=False)  # the platform's id of this request (Slack: trigger_id)


@dataclass
class Context:
    db: Database
    options: Options = field(default_factory=Options)
    clock: Clock = utc_now

    def now(self) -> datetime:
        return self.clock()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.options.timezone)
