"""The crisis flow in the console chat: declare, pages with numbered buttons, acknowledge,
escalate on time, log and close; and an employee asking the CISO."""

from __future__ import annotations

import io
import re

import pytest

from bot.config import Settings
from bot.console import Console
from bot.runtime import Runtime
from commands.context import Context
from commands.timers import run_due_timers


@pytest.fixture
def console(roster: Context) -> Console:
    return Console(Runtime(Settings(database_url=roster.db.url), roster), "U01CISO", out=io.StringIO())


def output(console: Console) -> str:
    shown = console.out.getvalue()  # type: ignore[attr-defined]
    console.out.seek(0)
    console.out.truncate()
    return shown


def button(shown: str, label: str, after: str) -> str:
    """The number of the first button labelled `label` after the text `after`."""
    found = re.search(rf"\[(\d+)\] {re.escape(label)}", shown[shown.index(after):])
    assert found, f"no button {label!r} after {after!r}"
    return found.group(1)


def wait_out_the_timeout(console: Console) -> None:
    ctx = console.runtime.ctx
    ctx.clock.advance(seconds=ctx.options.escalation_ack_seconds + 1)  # type: ignore[attr-defined]
    run_due_timers(ctx, console.runtime.router.timers)
    console.deliver()


def test_declare_acknowledge_escalate_log_and_close_in_the_console(console: Console) -> None:
    console.handle("/crisis afdeling=Burgerzaken ransomware op de balie-pc's")
    shown = output(console)
    assert "CRISIS-2026-0001 uitgeroepen" in shown
    for name in ("Marieke van Dam", "Pieter Hendriks", "Ahmet Yilmaz", "Els Janssen"):
        assert f"📨 Bericht aan {name}" in shown
    assert "🏠 Kanaal #crisis-2026-11-30-ransomware-op-de-balie-pc-s aangemaakt" in shown

    console.handle("/als U01DSPOB")
    console.handle(f"/knop {button(shown, '✅ Ik kom', 'Bericht aan Ahmet Yilmaz')}")
    shown = output(console)
    assert "✅ Bevestigd om 09:00" in shown and "✏️ Bericht bijgewerkt (Ahmet Yilmaz)" in shown

    wait_out_the_timeout(console)
    shown = output(console)
    assert "📨 Bericht aan Tom Willems" in shown and "plaatsvervanger van Els Janssen" in shown
    assert "➕ Tom Willems toegevoegd aan #crisis-2026-11-30-ransomware-op-de-balie-pc-s" in shown
    assert "Bericht aan Ahmet Yilmaz" not in shown  # acknowledged: not paged again

    console.handle("/crisis log balie-pc's losgekoppeld")
    console.handle("/als U01CISO")
    console.handle("/crisis sluit")
    shown = output(console)
    assert "📝 Vastgelegd in CRISIS-2026-0001" in shown
    assert "# Crisisverslag CRISIS-2026-0001" in shown and "balie-pc's losgekoppeld" in shown
    assert "🏁 Crisis gesloten om 09:05; je hoeft niet meer te reageren." in shown


def test_an_employee_asks_and_the_ciso_convenes_in_the_console(console: Console) -> None:
    console.handle("/als U01EMP")
    console.handle("/crisis alle pc's tonen een losgeldbericht")
    shown = output(console)
    assert "gevraagd aan de CISO" in shown and "📨 Bericht aan Sanne de Vries" in shown

    console.handle("/als U01CISO")
    console.handle(f"/knop {button(shown, '🚨 Crisisoverleg bijeenroepen', 'Bericht aan Sanne de Vries')}")
    shown = output(console)
    assert "CRISIS-2026-0001 uitgeroepen" in shown
    assert "Crisisoverleg bijeengeroepen door Sanne de Vries" in shown  # the other decision page is settled
    assert "📨 Bericht aan Els Janssen" in shown  # the employee's own department: Burgerzaken
    assert "ℹ️ ICT-crisisoverleg: ter informatie" in shown  # the employee who asked is told and invited
