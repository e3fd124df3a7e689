"""The database briefly unavailable under a running bot (HTTP mode, signed Slack requests):
clear answers, no report lost, and everything works again when it is back, without a restart.

PostgreSQL: the bot reaches the server through a proxy that drops every connection and
refuses new ones (a server restart or a network cut). SQLite: another process holds the
write lock longer than the bot waits for it (a backup, a long migration, a stuck writer).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.http import wsgi_app
from bot.runtime import Runtime
from bot.slack.app import build_app, start_slack_delivery
from bot.slack.client import web_client
from commands.context import Context
from storage import report_spool
from storage.db import Database
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.fake_slack_api import Call, FakeSlackAPI
from tests.support.reports import SEAL_KEY, all_reports
from tests.support.server import BackgroundServer
from tests.support.signed_slack import SignedSlack
from tests.support.tcp_proxy import TcpProxy

UNAVAILABLE = "niet bereikbaar"


class Outage:
    """Makes the bot's database unavailable and brings it back; `database` is the bot's handle."""

    database: Database
    detected_by_health_check = True

    def begin(self) -> None: ...
    def end(self) -> None: ...
    def close(self) -> None: ...


class ProxyOutage(Outage):
    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432).start()
        self.database = Database(parsed.set(host="127.0.0.1", port=self.proxy.port).render_as_string(hide_password=False))

    def begin(self) -> None:
        self.proxy.cut()

    def end(self) -> None:
        self.proxy.restore()

    def close(self) -> None:
        self.proxy.stop()


class LockOutage(Outage):
    detected_by_health_check = False  # reading still works while another process writes (WAL)

    def __init__(self, url: str) -> None:
        self.path = make_url(url).database or ""
        self.database = Database(url, lock_timeout=0.3)  # the bot gives up on the lock soon (10 s in production)
        self._holder: sqlite3.Connection | None = None

    def begin(self) -> None:
        self._holder = sqlite3.connect(self.path, isolation_level=None)
        self._holder.execute("BEGIN EXCLUSIVE")

    def end(self) -> None:
        if self._holder is not None:
            self._holder.execute("ROLLBACK")
            self._holder.close()
            self._holder = None

    def close(self) -> None:
        self.end()


@dataclass
class Bot:
    ctx: Context
    runtime: Runtime
    fake: FakeSlackAPI
    slack: SignedSlack
    outage: Outage

    def reply(self, user: str, command: str, text: str) -> str:
        """Run a slash command and return what the (first) reply shows."""
        before = len(self.fake.calls_to("response_url"))
        assert self.slack.command(command, text, user_id=user).status == 200  # acknowledged at once, always
        return shown(self.fake.wait_for("response_url", count=before + 1, timeout=10)[before])

    def press(self, user: str, action: str, value: str) -> str:
        before = len(self.fake.calls_to("response_url"))
        assert self.slack.button(user, action, value).status == 200
        return shown(self.fake.wait_for("response_url", count=before + 1, timeout=10)[before])

    def delivered(self) -> None:
        assert self.runtime.delivery is not None
        self.runtime.delivery.kick()
        assert self.runtime.delivery.wait_idle(10)


@pytest.fixture
def bot(roster: Context, fake_slack: FakeSlackAPI, tmp_path: Path) -> Iterator[Bot]:
    outage: Outage = LockOutage(roster.db.url) if roster.db.is_sqlite else ProxyOutage(roster.db.url)
    options = replace(roster.options, seal_key=SEAL_KEY, spool_dir=tmp_path / "spool")
    ctx = Context(outage.database, options, roster.clock)
    settings = Settings(database_url=outage.database.url, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                        slack_api_url=fake_slack.url, options=options)
    runtime = Runtime(settings, ctx)
    client = web_client(BOT_TOKEN, fake_slack.url, timeout=3)
    start_slack_delivery(runtime, client)
    server = BackgroundServer(wsgi_app(build_app(runtime, client), runtime)).start()
    try:
        yield Bot(ctx, runtime, fake_slack, SignedSlack(server.url, SIGNING_SECRET, fake_slack.base), outage)
    finally:
        outage.end()
        server.stop()
        runtime.stop()
        outage.close()


def shown(call: Call) -> str:
    return json.dumps([call.params.get("text"), call.params.get("blocks")], ensure_ascii=False)


def dm(call: Call, user: str, words: str) -> bool:
    return call.params.get("channel") == user and words in str(call.params)


def test_a_report_during_the_outage_waits_and_is_filed_when_the_database_is_back(bot: Bot) -> None:
    assert "MELD-2026-0001" in bot.reply("U01EMP2", "/meld", "voor de storing: phishingmail")

    bot.outage.begin()
    said = bot.reply("U01EMP", "/meld", "tijdens de storing: laptop <b>kwijt</b> in de trein")
    health = bot.slack.request("GET", "/healthz")

    assert UNAVAILABLE in said and "*niet* verloren" in said and "een bericht met het meldingsnummer" in said and "MELD-" not in said
    assert "laptop &lt;b&gt;kwijt&lt;/b&gt; in de trein" in said  # the reporter's text, echoed back
    assert len(report_spool.waiting(bot.ctx.options.spool_dir)) == 1
    if bot.outage.detected_by_health_check:
        assert (health.status, health.json()) == (503, {"status": "degraded", "database": False})

    bot.outage.end()  # no restart from here on
    assert "MELD-2026-0003" in bot.reply("U01EMP2", "/meld", "na de storing: usb-stick gevonden")
    bot.delivered()

    assert bot.slack.request("GET", "/healthz").status == 200
    late = bot.fake.wait_for("chat.postMessage", where=lambda c: dm(c, "U01EMP", "staat nu in het register"))
    assert len(late) == 1 and "MELD-2026-0002" in str(late[0].params)
    assert bot.fake.wait_for("chat.postMessage", where=lambda c: dm(c, "U01DSPOB", "MELD-2026-0002"))  # routed, too
    texts = [(r.reference, r.text) for r in all_reports(bot.ctx)]
    assert texts == [("MELD-2026-0001", "voor de storing: phishingmail"),
                     ("MELD-2026-0002", "tijdens de storing: laptop <b>kwijt</b> in de trein"),
                     ("MELD-2026-0003", "na de storing: usb-stick gevonden")]
    assert report_spool.waiting(bot.ctx.options.spool_dir) == []


def test_every_path_says_clearly_that_the_register_is_unreachable_and_works_again_after(bot: Bot) -> None:
    bot.reply("U01EMP", "/meld", "phishingmail over een pakketje")
    bot.delivered()

    bot.outage.begin()
    during = {
        "/meld status": bot.reply("U01EMP", "/meld", "status"),
        "/meld MELD-…": bot.reply("U01CISO", "/meld", "MELD-2026-0001"),
        "take button": bot.press("U01CISO", "report.take|0", "MELD-2026-0001"),
        "/crisis status": bot.reply("U01CISO", "/crisis", "status"),
        "/crisis <text>": bot.reply("U01CISO", "/crisis", "ransomware op de balie-pc's"),
    }
    for path, said in during.items():
        assert UNAVAILABLE in said and "foutcode" not in said, f"{path}: {said}"
    assert "Bel de CISO en het crisisteam zelf" in during["/crisis <text>"] and "IBD-CERT" in during["/crisis <text>"]

    bot.outage.end()
    assert "MELD-2026-0001" in bot.reply("U01EMP", "/meld", "status")
    assert "Tijdlijn" in bot.reply("U01CISO", "/meld", "MELD-2026-0001")
    assert "in behandeling genomen" in bot.press("U01CISO", "report.take|0", "MELD-2026-0001")
    assert "CRISIS-2026-0001 uitgeroepen" in bot.reply("U01CISO", "/crisis", "ransomware op de balie-pc's")
    bot.delivered()
    assert bot.fake.wait_for("conversations.create")  # the crisis room: delivery recovered as well
    assert [r.status for r in all_reports(bot.ctx)] == ["in_behandeling"]
