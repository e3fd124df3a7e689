"""Reporting in the console chat: the same flows as in Slack, typed."""

from __future__ import annotations

import io

import pytest

from bot.config import Settings
from bot.console import Console
from bot.runtime import Runtime
from tests.support.reports import all_reports, report


@pytest.fixture
def console(roster):  # noqa: ANN001, ANN201
    def start(user: str = "U01EMP", typed: str = "") -> tuple[Console, io.StringIO]:
        out = io.StringIO()
        runtime = Runtime(Settings(database_url=roster.db.url, options=roster.options), roster)
        return Console(runtime, user, out=out, inp=io.StringIO(typed)), out

    return start


def test_a_report_typed_in_the_console_is_filed_and_routed(console) -> None:  # noqa: ANN001
    chat, out = console()

    chat.handle("/meld phishingmail <!channel> met een link & bijlage")

    printed = out.getvalue()
    assert "Melding ontvangen: MELD-2026-0001" in printed
    assert "📨 Bericht aan Sanne de Vries" in printed and "📨 Bericht aan Ahmet Yilmaz" in printed
    assert "phishingmail <!channel> met een link & bijlage" in printed  # shown as typed, never as a broadcast
    assert report(chat.runtime.ctx, "MELD-2026-0001").text == "phishingmail <!channel> met een link & bijlage"


def test_a_handler_takes_it_with_a_button_and_the_others_see_it(console) -> None:  # noqa: ANN001
    chat, out = console()
    chat.handle("/meld laptop kwijt in de trein")
    take = next(i for i, p in enumerate(chat.buttons, 1) if p.recipient == "U01DSPOB" and p.button.label == "In behandeling nemen")

    chat.handle("/als U01DSPOB")
    chat.handle(f"/knop {take}")

    printed = out.getvalue()
    assert "Je hebt MELD-2026-0001 in behandeling genomen" in printed
    assert "✏️ Bericht bijgewerkt (Sanne de Vries)" in printed
    assert report(chat.runtime.ctx, "MELD-2026-0001").handler_id == "U01DSPOB"


def test_the_form_asks_question_by_question(console) -> None:  # noqa: ANN001
    answers = "\n".join(["2", "Excel met adressen gedeeld met de verkeerde partij", "", "", "", "ja", "120", "hoog", "nee"]) + "\n"
    chat, out = console("U01EMP2", answers)

    chat.handle("/meld")

    stored = report(chat.runtime.ctx, "MELD-2026-0001")
    assert (stored.category, stored.department, stored.people_affected, stored.severity) == ("datalek", "Sociaal Domein", 120, "hoog")
    assert "📨 Bericht aan Fatima El Amrani" in out.getvalue()


def test_deel_reports_a_message_as_unsafe(console) -> None:  # noqa: ANN001
    chat, out = console()

    chat.handle("/deel Het wachtwoord van de gedeelde mailbox is Zomer2026")

    assert "Melding ontvangen: MELD-2026-0001" in out.getvalue()
    assert report(chat.runtime.ctx, "MELD-2026-0001").category == "onveilig-gedrag"
    assert "📨 Bericht aan Els Janssen" in out.getvalue()  # the afdelingsmanager


def test_status_and_home_show_only_what_you_may_see(console) -> None:  # noqa: ANN001
    chat, out = console()
    chat.handle("/meld phishing")
    chat.handle("/als U01EMP2")
    out.seek(0)
    out.truncate()

    chat.handle("/meld status")
    chat.handle("/home")
    chat.handle("/meld MELD-2026-0001")

    printed = out.getvalue()
    assert "Je hebt nog niets gemeld" in printed
    assert "MELD-2026-0001 niet gevonden, of je mag hem niet zien" in printed
    assert printed.count("MELD-2026-0001") == 1
    assert len(all_reports(chat.runtime.ctx)) == 1
