"""The console chat: /agenda, reminders printed once as messages to people, and the "Gereed" button by /knop."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.console import Console
from bot.runtime import Runtime
from commands.context import Context
from commands.remind.delivery import send_due_reminders
from tests.support.clock import FakeClock

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def console(roster: Context) -> Console:
    return Console(Runtime(Settings(database_url=roster.db.url), roster), "U01MGRB", out=io.StringIO())


def said(console: Console) -> str:
    out = console.out
    assert isinstance(out, io.StringIO)
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def test_agenda_in_the_console(console: Console, clock: FakeClock) -> None:
    clock.set(datetime(2027, 3, 1, 9, 0, tzinfo=AMS))
    console.handle("/agenda")
    out = said(console)
    assert "📅 Jouw agenda (komende 90 dagen)" in out
    assert "⏰ donderdag 1 april 2027, 17:00: Deelrapportage ENSIA (§8.1) — als afdelingsmanager — nog niet gereed" in out
    assert "[1] ✅ Gereed: Deelrapportage ENSIA 2027" in out
    console.handle("/agenda alles")
    assert "Presentaties ENSIA-verantwoording (§7.3)\n    met afdelingsmanager (3), DSPO (3), CISO @Sanne de Vries" in said(console)


def test_a_reminder_is_shown_once_and_gereed_is_pressed_with_knop(console: Console, clock: FakeClock) -> None:
    clock.set(datetime(2027, 3, 18, 9, 0, tzinfo=AMS))
    send_due_reminders(console.runtime.ctx)
    console.deliver()
    out = said(console)
    assert out.count("Over 14 dagen: Deelrapportage ENSIA") == 3
    assert "📥 Bericht voor jou" in out and "📨 Bericht aan Bram van Leeuwen" in out
    assert "Wie nog meer: @Gerrit Kuipers (afdelingsmanager Informatievoorziening en Automatisering)" in out
    mine = out.split("📥 Bericht voor jou")[1]
    button = mine[mine.index("[") + 1: mine.index("] ✅ Gereed")]

    send_due_reminders(console.runtime.ctx)
    console.deliver()
    assert "Deelrapportage" not in said(console)

    console.handle(f"/knop {button}")
    out = said(console)
    assert "✏️ Bericht bijgewerkt" in out and "✅ Gereed gemeld: Deelrapportage ENSIA" in out
    clock.set(datetime(2027, 3, 30, 9, 0, tzinfo=AMS))
    send_due_reminders(console.runtime.ctx)
    console.deliver()
    out = said(console)
    assert out.count("Over 2 dagen: Deelrapportage ENSIA") == 2 and "📥 Bericht voor jou" not in out
