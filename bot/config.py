"""Settings from the environment (names per design.md). Secrets never appear in repr or logs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from commands.context import Options
from storage.db import DEFAULT_URL, normalise_url

SECRET_FIELDS = {"slack_bot_token", "slack_signing_secret", "slack_app_token", "database_url"}


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    roster_path: Path | None = None
    options: Options = field(default_factory=Options)
    log_level: str = "INFO"

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_bot_token and self.slack_app_token)

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SECRET_FIELDS and value:
                value = "***"
            shown.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(shown)})"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    defaults = Options()
    options = Options(
        timezone=_timezone(env.get("BOT_TIMEZONE", "Europe/Amsterdam")),
        escalation_ack_seconds=_positive_int(env, "BOT_ESCALATION_ACK_SECONDS", defaults.escalation_ack_seconds),
        escalation_rounds=_positive_int(env, "BOT_ESCALATION_ROUNDS", defaults.escalation_rounds),
        retention_years=_positive_int(env, "BOT_RETENTION_YEARS", defaults.retention_years),
        ibd_cert_contact=env.get("BOT_IBD_CERT_CONTACT", defaults.ibd_cert_contact),
        policy_dir=Path(env["BOT_POLICY_DIR"]) if env.get("BOT_POLICY_DIR") else None,
        seal_key=_seal_key(env.get("BOT_SEAL_KEY")),
        spool_dir=Path(env.get("BOT_SPOOL_DIR") or defaults.spool_dir),
    )
    roster = env.get("BOT_ROSTER")
    return Settings(
        database_url=_database_url(env.get("DATABASE_URL") or DEFAULT_URL),
        slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=env.get("SLACK_APP_TOKEN") or None,
        slack_api_url=env.get("SLACK_API_URL") or None,
        roster_path=Path(roster) if roster else None,
        options=options,
        log_level=env.get("BOT_LOG_LEVEL", "INFO").upper(),
    )


def _database_url(url: str) -> str:
    """The URL if the bot can use it. The error never shows the value: it may hold a password."""
    problem = ("DATABASE_URL is geen bruikbare database-URL; gebruik sqlite:///pad/naar/bot.db of "
               "postgresql://gebruiker:wachtwoord@host:5432/database (de waarde wordt niet getoond: er kan een "
               "wachtwoord in staan).")
    try:
        parsed = make_url(normalise_url(url))
        parsed.port  # noqa: B018 - parsing the port raises for a port that is not a number
    except (ArgumentError, ValueError):
        raise ConfigError(problem) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(problem)
    return url


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"BOT_TIMEZONE={name!r} is geen bekende tijdzone (bijvoorbeeld Europe/Amsterdam).") from None


def _seal_key(value: str | None) -> str | None:
    if value and len(value) < 32:
        raise ConfigError("BOT_SEAL_KEY moet minstens 32 tekens lang zijn (bijvoorbeeld: openssl rand -base64 32).")
    return value or None


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} moet een geheel getal zijn.") from None
    if value <= 0:
        raise ConfigError(f"{name} moet groter dan 0 zijn.")
    return value
