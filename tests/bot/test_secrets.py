"""Secrets (the bot token, the signing secret, the seal key, the database password) never show
up in logs, error messages or anything users are sent, also at debug level and when things go
wrong; and they come from the environment only.

The values are recognisable, so a leak of even a part of one is found.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy.engine import make_url

from bot.cli import build_parser
from bot.config import ConfigError, Settings, load_settings
from bot.http import wsgi_app
from bot.runtime import Runtime
from bot.slack.app import build_app, start_slack_delivery
from bot.slack.client import web_client
from commands.context import Actor, Context, Options
from commands.delivery import deliver_due
from storage.db import Database
from tests.conftest import FIXTURES
from tests.support.databases import POSTGRES_URL
from tests.support.fake_slack_api import FakeSlackAPI, Fault
from tests.support.processes import free_port, run_bot, start_bot, wait_for_port
from tests.support.reports import text_of
from tests.support.server import BackgroundServer
from tests.support.signed_slack import SignedSlack

BOT_TOKEN = "xoxb-1111-SECRETBOTTOKEN9f3a7c2e"
APP_TOKEN = "xapp-1-SECRETAPPTOKEN5d1e8b"
SIGNING_SECRET = "SECRETSIGNING0b7c4e9a1f2d6"
SEAL_KEY = "SECRETSEALKEY-0123456789abcdef-0123456789"
DB_PASSWORD = "SECRETDBPASS8e2f"
# what must never appear: every secret, and its recognisable middle (a prefix or a mask would not hide that)
FRAGMENTS = ("SECRETBOTTOKEN", "SECRETAPPTOKEN", "SECRETSIGNING", "SECRETSEALKEY", "SECRETDBPASS",
             BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, SEAL_KEY, DB_PASSWORD)
UNREACHABLE_WITH_PASSWORD = f"postgresql://infobot:{DB_PASSWORD}@127.0.0.1:1/infobot"


def leaks(text: str) -> list[str]:
    return [fragment for fragment in FRAGMENTS if fragment in text]


def with_password(url: str) -> str:
    """The test database's URL with a password in it (the test server does not check it; SQLite has none)."""
    if url.startswith("sqlite"):
        return url
    return make_url(url).set(password=DB_PASSWORD).render_as_string(hide_password=False)


def sent_to_users(fake: FakeSlackAPI) -> str:
    """Everything the bot sent to Slack except the Authorization header (which must carry the token)."""
    return json.dumps([call.params for call in fake.calls], ensure_ascii=False)


def provoke_everything(slack: SignedSlack, fake: FakeSlackAPI, port_url: str) -> None:
    """Bad signatures, Slack API errors (invalid_auth, 5xx), a form, App Home, a broken request."""
    body = urlencode({"command": "/meld", "text": "x", "user_id": "U01EMP"}).encode()
    assert slack.post(body, "application/x-www-form-urlencoded", signed=False).status == 401
    assert slack.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64).status == 401
    assert slack.post(body, "application/x-www-form-urlencoded", timestamp=1).status == 401  # stale
    forged = SignedSlack(port_url, "not-the-signing-secret")
    assert forged.command("/meld", "vervalst").status == 401

    fake.fail("chat.postMessage", *[Fault(200, body={"ok": False, "error": "invalid_auth"})] * 3, Fault(500), Fault(503))
    fake.fail("views.publish", Fault(200, body={"ok": False, "error": "invalid_auth"}))
    fake.fail("views.open", Fault(200, body={"ok": False, "error": "token_revoked"}))
    assert slack.command("/meld", "phishingmail met een link naar een nep-inlogpagina", user_id="U01EMP").status == 200
    assert slack.command("/meld", "", user_id="U01EMP2").status == 200  # the form: views.open fails
    assert slack.event({"type": "app_home_opened", "user": "U01EMP", "tab": "home", "channel": "D1"}).status == 200
    anonymous = {"category": {"type": "static_select", "selected_option": {"value": "onveilig-gedrag"}},
                 "what": {"type": "plain_text_input", "value": "chef deelt wachtwoorden"},
                 "personal_data": {"type": "radio_buttons", "selected_option": {"value": "nee"}},
                 "severity": {"type": "static_select", "selected_option": {"value": "middel"}},
                 "anonymous": {"type": "radio_buttons", "selected_option": {"value": "ja"}},
                 "department": {"type": "static_select", "selected_option": {"value": "Burgerzaken"}}}
    assert slack.submit_view("U01EMP", "report.new", anonymous, "filing-1").status == 200  # sealed with the seal key
    assert slack.button("U01EMP2", "report.reveal|0", "MELD-2026-0002").status == 200  # refused
    assert slack.post(b"payload=%7Bnot-json", "application/x-www-form-urlencoded").status in (400, 401, 404, 500)
    fake.wait_for("response_url", count=2, timeout=15)
    fake.wait_for("views.publish", timeout=15)


# --- HTTP mode as a separate process ------------------------------------------------------------------


def test_serve_at_debug_level_logs_no_secret_whatever_goes_wrong(tmp_path: Path, fake_slack: FakeSlackAPI, database_url: str) -> None:
    port, log = free_port(), tmp_path / "bot.log"
    with log.open("w", encoding="utf-8") as output:
        process = start_bot(
            "serve", "--port", str(port), "--host", "127.0.0.1", cwd=tmp_path, output=output,
            DATABASE_URL=with_password(database_url), SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_APP_TOKEN="", BOT_SEAL_KEY=SEAL_KEY, SLACK_API_URL=fake_slack.url, BOT_LOG_LEVEL="DEBUG",
            BOT_ROSTER=str(FIXTURES / "roster.yaml"), BOT_SPOOL_DIR=str(tmp_path / "spool"),
        )
        try:
            wait_for_port(port, process)
            slack = SignedSlack(f"http://127.0.0.1:{port}", SIGNING_SECRET, fake_slack.base)
            provoke_everything(slack, fake_slack, f"http://127.0.0.1:{port}")
            fake_slack.wait_for("chat.postMessage", count=4, timeout=15)  # the delivery worker met the faults
        finally:
            process.terminate()
            process.wait(timeout=10)
    logged = log.read_text(encoding="utf-8")

    assert "DEBUG" in logged and "invalid_auth" in logged  # it did log, at debug level, about the failures
    assert leaks(logged) == [], logged
    assert leaks(sent_to_users(fake_slack)) == []
    assert all(call.headers.get("authorization") == f"Bearer {BOT_TOKEN}" for call in fake_slack.calls
               if call.method not in ("response_url",))  # the token is used, only where it belongs


@pytest.mark.parametrize("url,code,says,command", [
    (UNREACHABLE_WITH_PASSWORD, 3, "database is niet bereikbaar", ["serve", "--port", "0"]),
    (UNREACHABLE_WITH_PASSWORD, 3, "database is niet bereikbaar", ["incidents", "list", "--json"]),
    (f"postgresql://infobot:{DB_PASSWORD}@127.0.0.1:geen-poort/infobot", 2, "DATABASE_URL is geen bruikbare", ["scheduler"]),
], ids=["unreachable-serve", "unreachable-cli", "unusable"])  # more unusable URLs: tests/bot/test_config.py
def test_a_database_url_that_cannot_be_used_is_a_clear_error_without_the_password(
    tmp_path: Path, url: str, code: int, says: str, command: list[str],
) -> None:
    result = run_bot(*command, cwd=tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                     BOT_LOG_LEVEL="DEBUG")
    assert result.returncode == code, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert leaks(result.stdout + result.stderr) == []


def test_socket_mode_with_a_rejected_app_token_logs_no_token(tmp_path: Path, fake_slack: FakeSlackAPI) -> None:
    fake_slack.fail("apps.connections.open", *[Fault(200, body={"ok": False, "error": "invalid_auth"})] * 5)
    log = tmp_path / "bot.log"
    with log.open("w", encoding="utf-8") as output:
        process = start_bot(cwd=tmp_path, output=output, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                            SLACK_API_URL=fake_slack.url, BOT_LOG_LEVEL="DEBUG", BOT_SEAL_KEY=SEAL_KEY)
        try:
            fake_slack.wait_for("apps.connections.open", timeout=20)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except Exception:  # noqa: BLE001 - a stuck reconnect loop: end it
                process.kill()
                process.wait(timeout=10)
    logged = log.read_text(encoding="utf-8")
    assert leaks(logged) == [], logged


# --- in the process, at debug level -----------------------------------------------------------------------


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def test_in_process_errors_log_and_say_no_secret(roster: Context, fake_slack: FakeSlackAPI, tmp_path: Path,
                                                 debug_logs: pytest.LogCaptureFixture) -> None:
    options = Options(seal_key=SEAL_KEY, spool_dir=tmp_path / "spool")
    ctx = Context(Database(with_password(roster.db.url)), options, roster.clock)
    settings = Settings(database_url=ctx.db.url, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                        slack_app_token=APP_TOKEN, slack_api_url=fake_slack.url, options=options)
    runtime = Runtime(settings, ctx)
    client = web_client(BOT_TOKEN, fake_slack.url, timeout=2)
    start_slack_delivery(runtime, client)
    server = BackgroundServer(wsgi_app(build_app(runtime, client), runtime)).start()
    try:
        slack = SignedSlack(server.url, SIGNING_SECRET, fake_slack.base)
        provoke_everything(slack, fake_slack, server.url)
        runtime.delivery.kick()  # type: ignore[union-attr]
        runtime.delivery.wait_idle(10)  # type: ignore[union-attr]
        # its own spool: the running bot files (and removes) what waits in its own spool
        down = Context(Database(UNREACHABLE_WITH_PASSWORD), replace(options, spool_dir=tmp_path / "spool-down"), roster.clock)
        replies = [runtime.router.run_command(down, Actor("U01EMP"), "meld", "status"),  # the database is gone
                   runtime.router.run_command(down, Actor("U01EMP"), "meld", "laptop kwijt"),  # spooled
                   runtime.router.run_command(down, Actor("U01CISO"), "crisis", "ransomware")]
        said = "\n".join(text_of(m) for reply in replies for m in reply.messages)
        deliver_due(ctx, runtime.delivery.sender)  # type: ignore[union-attr]
    finally:
        server.stop()
        runtime.stop()

    assert "niet bereikbaar" in said
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in debug_logs.records)
    assert any(r.levelno == logging.DEBUG for r in debug_logs.records)
    assert leaks(logged) == [] and leaks(said) == [] and leaks(sent_to_users(fake_slack)) == []
    spooled = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "spool-down").glob("*.json"))
    assert spooled and leaks(spooled) == []
    shown = f"{settings!r} {runtime!r} {ctx!r} {options!r}"
    assert leaks(shown) == [], shown


# --- tokens only from the environment -----------------------------------------------------------------


def _options(parser: argparse.ArgumentParser, path: str = "python -m bot") -> Iterator[tuple[str, str]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, f"{path} {name}")
        else:
            for option in action.option_strings:
                yield path, option
            if not action.option_strings:
                yield path, action.dest


def test_no_command_line_option_takes_a_token_secret_key_or_password() -> None:
    found = list(_options(build_parser()))
    assert ("python -m bot serve", "--port") in found and ("python -m bot incidents list", "--json") in found
    suspicious = [(path, option) for path, option in found
                  if any(word in option.lower() for word in ("token", "secret", "key", "password", "passwd", "url", "dsn"))]
    assert suspicious == []


def test_settings_come_from_the_environment_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"SLACK_BOT_TOKEN={BOT_TOKEN}\nSLACK_SIGNING_SECRET={SIGNING_SECRET}\n")
    for name in [n for n in os.environ if n.startswith(("SLACK_", "BOT_", "DATABASE_URL"))]:
        monkeypatch.delenv(name)
    settings = load_settings()
    assert (settings.slack_bot_token, settings.slack_signing_secret, settings.options.seal_key) == (None, None, None)

    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("BOT_SEAL_KEY", SEAL_KEY)
    settings = load_settings()
    assert settings.slack_bot_token == BOT_TOKEN and settings.options.seal_key == SEAL_KEY
    assert leaks(repr(settings)) == []


def test_a_short_seal_key_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"BOT_SEAL_KEY": "SECRETSEALKEY-short"})
    assert "BOT_SEAL_KEY" in str(refused.value) and leaks(str(refused.value)) == []


def test_the_postgres_url_with_a_password_connects(database_url: str) -> None:
    """The URL with a password used above really is the test database (on PostgreSQL)."""
    if not POSTGRES_URL:
        pytest.skip("SQLite has no password")
    database = Database(with_password(database_url))
    try:
        assert database.ping()
    finally:
        database.dispose()
