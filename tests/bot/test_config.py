"""Settings come from the environment; secrets never show in repr, bad values are named."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_need_no_configuration() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite:///data/bot.db"
    assert not settings.socket_mode
    assert settings.options.timezone.key == "Europe/Amsterdam"
    assert settings.options.escalation_ack_seconds == 300


def test_secrets_are_not_in_repr() -> None:
    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-secret-1", "SLACK_APP_TOKEN": "xapp-secret-2",
        "SLACK_SIGNING_SECRET": "shh-3", "DATABASE_URL": "postgresql://u:pw-4@db/x",
    })
    assert settings.socket_mode
    shown = repr(settings)
    for secret in ("xoxb-secret-1", "xapp-secret-2", "shh-3", "pw-4"):
        assert secret not in shown


@pytest.mark.parametrize("env,name", [
    ({"BOT_TIMEZONE": "Mars/Olympus"}, "BOT_TIMEZONE"),
    ({"BOT_ESCALATION_ACK_SECONDS": "vijf"}, "BOT_ESCALATION_ACK_SECONDS"),
    ({"BOT_ESCALATION_ROUNDS": "0"}, "BOT_ESCALATION_ROUNDS"),
])
def test_bad_values_name_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings(env)


@pytest.mark.parametrize("url", [
    "postgresql://u:pw-5@db:geen-poort/x", "mysql://u:pw-5@db/x", "postgres ql://u:pw-5@db/x", "://u:pw-5@",
])
def test_an_unusable_database_url_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL") as refused:
        load_settings({"DATABASE_URL": url})
    assert "pw-5" not in str(refused.value)


@pytest.mark.parametrize("url", ["sqlite:///data/bot.db", "postgres://u:p@db/x", "postgresql+psycopg://u:p@db:5432/x"])
def test_sqlite_and_postgresql_urls_are_accepted(url: str) -> None:
    assert load_settings({"DATABASE_URL": url}).database_url == url
